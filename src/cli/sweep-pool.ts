// Sweep values replayed side by side on worker threads, one plan load per thread, the
// results put back in the order of the values (docs/contributing.md, "Sweeps in parallel").
import type { ValueReplay } from '../engine/scenarios/sweep.ts';
import type { PlanError } from '../plan/errors.ts';
import { WorkerPool, type PlanJob } from './worker-pool.ts';

/** What every thread needs to load the plan exactly as the command did, and what to count. */
export interface SweepJob extends PlanJob {
  key: string;
  flavors: string[];
}

export interface SweepResult {
  replayed: ValueReplay;
  problems: PlanError[];
}

/** Replays every value on `threads` threads; `onReplayed` sees each as it finishes, in any order. */
export async function replayInParallel(
  job: SweepJob,
  values: number[],
  threads: number,
  onReplayed: (done: number) => void,
): Promise<{ replays: ValueReplay[]; problems: PlanError[] }> {
  const pool = new WorkerPool<number, SweepResult>({ thread: 'sweep', job }, Math.min(threads, values.length));
  const problems: PlanError[] = [];
  let done = 0;
  try {
    const replays = await Promise.all(
      values.map(async (value) => {
        const result = await pool.run(value);
        if (problems.length === 0) problems.push(...result.problems);
        onReplayed(++done);
        return result.replayed;
      }),
    );
    return { replays, problems };
  } finally {
    pool.close();
  }
}
