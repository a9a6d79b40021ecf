// Worker threads that each start from the plan, then take one task after another: sweep's
// values and expand's counts, from the cloud and requests the command checked and handed
// them; forecast's runs, from the plan and history each thread loads again
// (docs/contributing.md, "Sweeps in parallel").
import { Worker, type Transferable } from 'node:worker_threads';
import type { Cloud } from '../engine/core/model.ts';
import { loadPlan, type LoadedPlan } from '../plan/load.ts';
import type { SharedRequests } from './encoded-requests.ts';

// In the bundle, this module's URL is dist/claimplan.cjs's; each thread starts from the
// entry beside it, as the command line did.
export const THREAD_ENTRY = new URL('./claimplan.js', import.meta.url);

/**
 * What a thread replays: the cloud the command loaded and checked, and its requests,
 * checked and encoded once (encoded-requests.ts). The thread reads no file.
 */
export interface SharedPlanJob {
  cloud: Cloud;
  requests: SharedRequests;
}

/** What every thread needs to load the plan exactly as the command did (forecast, which reads a history too). */
export interface PlanJob {
  paths: string[];
  /** standard input's text, when a path is `-`: a thread cannot read it again */
  stdin: string | null;
  settingOverrides: string[];
  novaConfPaths: string[];
}

/** In a thread: the plan the command loaded, which loaded there, so it loads here too. */
export function loadJobPlan(job: PlanJob, thread: string): LoadedPlan {
  const loaded = loadPlan(job.paths, { readStdin: () => job.stdin ?? '', settingOverrides: job.settingOverrides, novaConfPaths: job.novaConfPaths });
  if (!loaded.ok) throw new Error(`the plan the command loaded does not load in its ${thread} thread`);
  return loaded.value;
}

/** `threads` workers started on `start`, each taking the next task as it finishes one. */
export class WorkerPool<Task, Result> {
  private readonly idle: Worker[] = [];
  private readonly queue: { task: Task; resolve: (result: Result) => void; reject: (error: unknown) => void }[] = [];
  private readonly workers: Worker[];

  constructor(
    /** which work each thread takes (src/cli/threads.ts), and the plan it starts from */
    start: { thread: string; job: object },
    readonly threads: number,
    /** what each thread is handed of its own (a channel's port), by its number from 0, moved to it */
    own: (thread: number) => { job: object; transfer: Transferable[] } = () => ({ job: {}, transfer: [] }),
  ) {
    this.workers = Array.from({ length: threads }, (_, thread) => {
      const { job, transfer } = own(thread);
      return new Worker(THREAD_ENTRY, { workerData: { ...start, job: { ...start.job, ...job } }, transferList: transfer });
    });
    this.idle.push(...this.workers);
  }

  run(task: Task): Promise<Result> {
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
      const onMessage = (result: Result) => done(() => resolve(result));
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
