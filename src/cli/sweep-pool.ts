// Sweep values replayed side by side on worker threads, each starting from the plan the
// command checked and the requests it sends them a chunk at a time as it reads the trace,
// the results put back in the order of the values (docs/contributing.md, "Sweeps in parallel").
import type { Cloud } from '../engine/core/model.ts';
import type { ValueReplay } from '../engine/scenarios/sweep.ts';
import { chunkChannel, postChunkMessage, type ChunkChannel, type ChunkMessage } from './chunk-channel.ts';
import { WorkerPool } from './worker-pool.ts';

/** The plan, what to vary and count, and the channel the requests arrive on. */
export interface SweepJob {
  cloud: Cloud;
  key: string;
  flavors: string[];
  requests: ChunkChannel;
}

/** The threads replaying a sweep's values, fed the requests by `send`. */
export interface SweepThreads {
  /** every thread gets each message, in order: the chunks, then the end */
  send(message: ChunkMessage): void;
  /** the replays, in the order of the values */
  replays: Promise<ValueReplay[]>;
  close(): void;
}

/**
 * Starts `threads` threads replaying every value, at once: each replays its first value
 * as the requests arrive and its later ones from the requests kept. `onReplayed` sees
 * each as it finishes, in any order.
 */
export function startSweepThreads(job: Omit<SweepJob, 'requests'>, values: number[], threads: number, onReplayed: (done: number) => void): SweepThreads {
  const channels = Array.from({ length: Math.min(threads, values.length) }, () => chunkChannel());
  const pool = new WorkerPool<number, ValueReplay>({ thread: 'sweep', job }, channels.length, (thread) => ({
    job: { requests: channels[thread].receiving },
    transfer: [channels[thread].receiving.port],
  }));
  let done = 0;
  const replays = Promise.all(
    values.map(async (value) => {
      const replayed = await pool.run(value);
      onReplayed(++done);
      return replayed;
    }),
  );
  return {
    send: (message) => channels.forEach(({ sending }) => postChunkMessage(sending, message)),
    replays,
    close: () => pool.close(),
  };
}
