// Replays for `claimplan expand`, side by side on worker threads or one after another in
// this thread: the search asks for a count whenever a thread is free (docs/contributing.md,
// "Sweeps in parallel": the threads load the plan as sweep's do).
import type { CountTask } from '../engine/scenarios/expand/answers.ts';
import type { CountReplay } from '../engine/scenarios/expand/replay-at-count.ts';
import type { Position } from '../engine/scenarios/expand/sku.ts';
import type { PlanError } from '../plan/errors.ts';
import { WorkerPool, type PlanJob } from './worker-pool.ts';

/** What every thread needs to load the plan and the SKUs exactly as the command did. */
export interface ExpandJob extends PlanJob {
  /** the `--add` names, in the order given */
  skus: string[];
  position: Position;
  failoverHosts: number | null;
}

export interface ExpandResult {
  replayed: CountReplay;
  /** what the trace showed as it streamed, located */
  problems: PlanError[];
}

/** What runs the replays: a pool of threads, or this thread (expand-replays.ts). */
export interface Replayer {
  run(task: CountTask): Promise<ExpandResult>;
  /** how many replays may run at once */
  readonly threads: number;
  close(): void;
}

/** `threads` workers, each taking the next count as it finishes one. */
export function workerReplayer(job: ExpandJob, threads: number): Replayer {
  return new WorkerPool<CountTask, ExpandResult>({ thread: 'expand', job }, threads);
}
