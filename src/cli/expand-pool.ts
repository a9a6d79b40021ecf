// Replays for `claimplan expand`, side by side on worker threads or one after another in
// this thread: the search asks for a count whenever a thread is free (docs/contributing.md,
// "Sweeps in parallel": the threads load the plan as sweep's do).
import { Worker } from 'node:worker_threads';
import type { CountReplay } from '../engine/expand/replay-at-count.ts';
import type { PlanError } from '../plan/errors.ts';

/** What every thread needs to load the plan and the SKUs exactly as the command did. */
export interface ExpandJob {
  paths: string[];
  /** standard input's text, when a path is `-`: a thread cannot read it again */
  stdin: string | null;
  settingOverrides: string[];
  /** the `--add` names, in the order given */
  skus: string[];
  position: 'first' | 'last';
  failoverHosts: number | null;
}

/** One replay: hosts of the SKUs at `skus` (indexes into the job's) added `counts` times. */
export interface ExpandTask {
  skus: number[];
  counts: number[];
  stopEarly: boolean;
}

export interface ExpandResult {
  replayed: CountReplay;
  /** what the trace showed as it streamed, located */
  problems: PlanError[];
}

export interface Replayer {
  replay(task: ExpandTask): Promise<ExpandResult>;
  /** how many replays may run at once */
  readonly threads: number;
  close(): void;
}

// The build puts each thread's entry beside the command line's: dist/run/ → dist/.
const WORKER_ENTRY = new URL('../expand-worker.js', import.meta.url);

/** `threads` workers, each taking the next task as it finishes one. */
export class WorkerReplayer implements Replayer {
  private readonly idle: Worker[] = [];
  private readonly queue: { task: ExpandTask; resolve: (result: ExpandResult) => void; reject: (error: unknown) => void }[] = [];
  private readonly workers: Worker[];

  constructor(
    job: ExpandJob,
    readonly threads: number,
  ) {
    this.workers = Array.from({ length: threads }, () => new Worker(WORKER_ENTRY, { workerData: job }));
    this.idle.push(...this.workers);
  }

  replay(task: ExpandTask): Promise<ExpandResult> {
    return new Promise((resolve, reject) => {
      this.queue.push({ task, resolve, reject });
      this.dispatch();
    });
  }

  private dispatch(): void {
    while (this.idle.length > 0 && this.queue.length > 0) {
      const worker = this.idle.pop()!;
      const { task, resolve, reject } = this.queue.shift()!;
      const done = (settle: () => void) => {
        worker.off('message', onMessage);
        worker.off('error', onError);
        this.idle.push(worker);
        settle();
        this.dispatch();
      };
      const onMessage = (result: ExpandResult) => done(() => resolve(result));
      const onError = (error: unknown) => done(() => reject(error));
      worker.on('message', onMessage);
      worker.on('error', onError);
      worker.postMessage(task);
    }
  }

  close(): void {
    for (const worker of this.workers) void worker.terminate();
  }
}
