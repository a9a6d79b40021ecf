// The forecast's runs side by side on worker threads, or one after another in this thread:
// each thread loads the plan and the history once and replays the plan once per count of
// added hosts; a task is a block of runs, and its outcomes come back in run order, so the
// report is the same for any `--jobs` (docs/contributing.md, "Sweeps in parallel").
import type { RunOutcome } from '../engine/scenarios/forecast/forecast-run.ts';
import type { ForecastJob, ForecastRunner, ForecastTask } from './forecast-runs.ts';
import { WorkerPool } from './worker-pool.ts';

/** Runs per task: enough that a message's cost is small beside them, few enough that threads share the work evenly. */
const RUNS_PER_TASK = 10;

export interface RunMaker {
  run(task: ForecastTask): Promise<RunOutcome[]>;
  /** how many tasks may run at once */
  readonly threads: number;
  close(): void;
}

export function threadRunMaker(job: ForecastJob, threads: number): RunMaker {
  return new WorkerPool<ForecastTask, RunOutcome[]>({ thread: 'forecast', job }, threads);
}

export function inProcessRunMaker(runner: ForecastRunner): RunMaker {
  return { run: (task) => Promise.resolve(runner.run(task)), threads: 1, close: () => {} };
}

/** Which runs to make, and from which state: the plan's, or with `added` hosts of the job's SKU `sku`. */
export interface RunRequest {
  runs: number;
  sku: number | null;
  added: number;
  /** end each run at the first refusal of these flavors (forecastRun) */
  stopAt: readonly number[] | null;
  /** seen after each block of runs: true when those made already answer the question, and the rest are not made */
  enough?: (made: readonly RunOutcome[]) => boolean;
}

/**
 * The runs, in run order, no more than a thread each in flight; `onRun` sees the count
 * made. Fewer when `enough` says so: which ones then depends on timing, the answer not.
 */
export async function makeRuns(maker: RunMaker, request: RunRequest, onRun: (done: number) => void): Promise<RunOutcome[]> {
  const { runs, sku, added, stopAt, enough } = request;
  const blocks: RunOutcome[][] = [];
  const made: RunOutcome[] = [];
  let next = 0;
  let stopped = false;
  const worker = async () => {
    while (!stopped && next < runs) {
      const first = next;
      next = Math.min(runs, next + RUNS_PER_TASK);
      const outcomes = await maker.run({ sku, added, first, runs: next - first, stopAt: stopAt === null ? null : [...stopAt] });
      blocks[first / RUNS_PER_TASK] = outcomes;
      made.push(...outcomes);
      onRun(made.length);
      if (enough?.(made)) stopped = true;
    }
  };
  await Promise.all(Array.from({ length: maker.threads }, worker));
  return stopped ? made : blocks.flat();
}
