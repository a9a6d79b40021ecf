// Sweep values replayed side by side on worker threads, one plan load per thread, the
// results put back in the order of the values (docs/contributing.md, "Sweeps in parallel").
import { Worker } from 'node:worker_threads';
import type { ValueReplay } from '../engine/sweep.ts';
import type { PlanError } from '../plan/errors.ts';

/** What every thread needs to load the plan exactly as the command did. */
export interface SweepJob {
  paths: string[];
  /** standard input's text, when a path is `-`: a thread cannot read it again */
  stdin: string | null;
  settingOverrides: string[];
  key: string;
  flavors: string[];
}

export interface SweepTask {
  index: number;
  value: number;
}

interface SweepResult {
  index: number;
  replayed: ValueReplay;
  problems: PlanError[];
}

// The build puts each thread's entry beside the command line's: dist/run/ → dist/.
const WORKER_ENTRY = new URL('../sweep-worker.js', import.meta.url);

/** Replays every value on `threads` threads; `onReplayed` sees each as it finishes, in any order. */
export function replayInParallel(
  job: SweepJob,
  values: number[],
  threads: number,
  onReplayed: (done: number) => void,
): Promise<{ replays: ValueReplay[]; problems: PlanError[] }> {
  return new Promise((resolve, reject) => {
    const replays = new Array<ValueReplay>(values.length);
    const problems: PlanError[] = [];
    let next = 0;
    let done = 0;
    const workers = Array.from({ length: Math.min(threads, values.length) }, () => new Worker(WORKER_ENTRY, { workerData: job }));
    const finish = (error?: unknown) => {
      for (const worker of workers) void worker.terminate();
      if (error) reject(error);
      else resolve({ replays, problems });
    };
    const feed = (worker: Worker) => {
      if (next < values.length) worker.postMessage({ index: next, value: values[next++] } satisfies SweepTask);
    };
    for (const worker of workers) {
      worker.on('message', (result: SweepResult) => {
        replays[result.index] = result.replayed;
        if (problems.length === 0) problems.push(...result.problems);
        onReplayed(++done);
        if (done === values.length) finish();
        else feed(worker);
      });
      worker.on('error', finish);
      feed(worker);
    }
  });
}
