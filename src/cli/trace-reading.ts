// A plan's requests read and checked on a thread of their own while the command's thread
// replays them (docs/contributing.md, "Reading a trace on its own thread"): reading,
// parsing and checking a long trace's lines is a sixth of a replay or more, and needs
// nothing the replay decides. The requests arrive encoded a chunk at a time
// (encoded-requests.ts); when the replay has used every chunk posted, it waits for the
// next. What the command sees is what its own stream would give: the same requests, the
// same problems, located the same way, once the trace has been read to its end.
import { Worker } from 'node:worker_threads';
import type { Request } from '../engine/core/model.ts';
import type { CheckedRequests, PlanError } from '../plan/load.ts';
import { arrivingChunks, chunkChannel, type ChunkChannel } from './chunk-channel.ts';
import { RequestChunkDecoder } from './encoded-requests.ts';
import { THREAD_ENTRY, type PlanJob } from './worker-pool.ts';

/** What the reading thread is given: the plan to load, and the channel to post the requests on. */
export interface TraceJob extends PlanJob {
  requests: ChunkChannel;
}

/**
 * The reading thread's young generation, in MB. What it allocates is a line's parse, dead
 * by the next line: a small young generation costs it a few more collections on a CPU the
 * replay does not use, where V8's default would add tens of megabytes to the process's
 * peak (docs/contributing.md, "Reading a trace on its own thread").
 */
const READER_YOUNG_GENERATION_MB = 4;

/**
 * The plan's requests as its stream gives them, read on another thread: iterated once. A
 * replay that stops early (a reader gone, `| head`) ends the thread with it.
 */
export class ThreadedRequests implements CheckedRequests {
  problems: PlanError[] = [];
  requestCount = 0;
  readonly checksWhileStreaming = true;
  readonly total = null;
  private readonly channel: ChunkChannel;
  private readonly worker: Worker;
  private started = false;

  /** Starts the thread at once: it loads the plan while this one sets up the replay. */
  constructor(job: PlanJob) {
    const { sending, receiving } = chunkChannel();
    this.channel = receiving;
    const trace: TraceJob = { ...job, requests: sending };
    this.worker = new Worker(THREAD_ENTRY, { workerData: { thread: 'trace', job: trace }, transferList: [sending.port], resourceLimits: { maxYoungGenerationSizeMb: READER_YOUNG_GENERATION_MB } });
    // The command's thread waits for it only while it iterates; it never keeps the process alive.
    this.worker.unref();
  }

  *[Symbol.iterator](): Generator<Request> {
    if (this.started) throw new Error('requests read on their own thread are read once');
    this.started = true;
    const decoder = new RequestChunkDecoder();
    const arriving = arrivingChunks(this.channel);
    try {
      for (let next = arriving.next(); ; next = arriving.next()) {
        if (next.done) {
          this.problems = next.value.problems;
          this.requestCount = next.value.requestCount;
          return;
        }
        yield* decoder.decode(next.value);
      }
    } finally {
      this.channel.port.close();
      void this.worker.terminate();
    }
  }
}
