// Replays for `claimplan expand`, side by side on worker threads or one after another in
// this thread: the search asks for a count whenever a thread is free (docs/contributing.md,
// "Sweeps in parallel": the threads start from the plan and requests the command checked,
// as sweep's do).
import type { CountReplayer, CountTask } from '../engine/scenarios/expand/answers.ts';
import type { CountReplay } from '../engine/scenarios/expand/replay-at-count.ts';
import type { Position } from '../engine/scenarios/expand/sku.ts';
import type { SkuTemplate } from '../plan/host-templates.ts';
import { WorkerPool, type SharedPlanJob } from './worker-pool.ts';

/** What every thread needs to replay the plan with the SKUs the command checked. */
export interface ExpandJob extends SharedPlanJob {
  /** the plan's host templates, which `--add` may name */
  hostTemplates: SkuTemplate[];
  /** the `--add` names, in the order given */
  skus: string[];
  position: Position;
  failoverHosts: number | null;
}

/** What runs the replays: a pool of threads, or this thread (expand-replays.ts). */
export interface Replayer extends CountReplayer {
  close(): void;
}

/** `threads` workers, each taking the next count as it finishes one. */
export function workerReplayer(job: ExpandJob, threads: number): Replayer {
  return new WorkerPool<CountTask, CountReplay>({ thread: 'expand', job }, threads);
}
