// Sweep values replayed side by side on worker threads, each starting from the plan and
// requests the command checked, the results put back in the order of the values
// (docs/contributing.md, "Sweeps in parallel").
import type { ValueReplay } from '../engine/scenarios/sweep.ts';
import { WorkerPool, type SharedPlanJob } from './worker-pool.ts';

/** The plan and its requests, and what to vary and count. */
export interface SweepJob extends SharedPlanJob {
  key: string;
  flavors: string[];
}

/** Replays every value on `threads` threads; `onReplayed` sees each as it finishes, in any order. */
export async function replayInParallel(job: SweepJob, values: number[], threads: number, onReplayed: (done: number) => void): Promise<ValueReplay[]> {
  const pool = new WorkerPool<number, ValueReplay>({ thread: 'sweep', job }, Math.min(threads, values.length));
  let done = 0;
  try {
    return await Promise.all(
      values.map(async (value) => {
        const replayed = await pool.run(value);
        onReplayed(++done);
        return replayed;
      }),
    );
  } finally {
    pool.close();
  }
}
