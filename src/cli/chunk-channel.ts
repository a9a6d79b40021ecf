// Encoded requests (encoded-requests.ts) sent to another thread a chunk at a time while
// the sender is still reading the trace: the reading thread's to the command's thread,
// the command's to sweep's threads (docs/contributing.md, "Reading a trace on its own
// thread"). A replay pulls its requests synchronously, so a receiver that has used every
// chunk posted waits on a count of the messages posted (Atomics.wait) and takes the next
// from its port (receiveMessageOnPort), never from its event loop.
import { MessageChannel, receiveMessageOnPort, type MessagePort } from 'node:worker_threads';
import type { Request } from '../engine/core/model.ts';
import type { PlanError } from '../plan/load.ts';
import { RequestChunkDecoder, type RequestChunk } from './encoded-requests.ts';

/** One end of a channel: the port, and the count of the messages posted on it, shared by both ends. */
export interface ChunkChannel {
  port: MessagePort;
  posted: Int32Array;
}

/** What goes through a channel: the chunks in order, then the problems the sender's stream found (or why it failed). */
export type ChunkMessage =
  | { kind: 'chunk'; chunk: RequestChunk }
  | { kind: 'end'; problems: PlanError[]; requestCount: number }
  | { kind: 'failed'; error: string };

/** A channel's two ends: `sending` stays, `receiving` is handed to the thread (its port in the transfer list). */
export function chunkChannel(): { sending: ChunkChannel; receiving: ChunkChannel } {
  const { port1, port2 } = new MessageChannel();
  const posted = new Int32Array(new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT));
  return { sending: { port: port1, posted }, receiving: { port: port2, posted } };
}

export function postChunkMessage({ port, posted }: ChunkChannel, message: ChunkMessage): void {
  port.postMessage(message);
  // Counted after the post, so that a receiver woken by the count finds the message there.
  Atomics.add(posted, 0, 1);
  Atomics.notify(posted, 0);
}

/**
 * How long a sender may post nothing before the receiver gives up on it: a sender posts a
 * chunk every few thousand requests, so only a thread that died (out of memory, which no
 * message reports) is silent this long.
 */
const SILENCE_LIMIT_MS = 120_000;

/** The next message, the `received`-th from 0, waiting for it while there is none. */
function nextChunkMessage({ port, posted }: ChunkChannel, received: number): ChunkMessage {
  const since = Date.now();
  for (;;) {
    const message = receiveMessageOnPort(port);
    if (message !== undefined) return message.message as ChunkMessage;
    if (Date.now() - since > SILENCE_LIMIT_MS) throw new Error(`the thread sending the requests posted nothing for ${SILENCE_LIMIT_MS / 1000} s`);
    Atomics.wait(posted, 0, received, 1000);
  }
}

type EndMessage = Extract<ChunkMessage, { kind: 'end' }>;

/** The chunks arriving on a channel, in order, each as it comes; then the sender's end. */
export function* arrivingChunks(channel: ChunkChannel): Generator<RequestChunk, EndMessage> {
  for (let received = 0; ; received++) {
    const message = nextChunkMessage(channel, received);
    if (message.kind === 'failed') throw new Error(`the thread sending the requests failed: ${message.error}`);
    if (message.kind === 'end') return message;
    yield message.chunk;
  }
}

/**
 * The requests arriving on a channel, each chunk kept as it arrives: every iteration reads
 * them all from the first, taking more from the channel as it catches up (a sweep thread
 * replays its first value while the command still reads the trace, then its later values
 * from the chunks kept). Problems the sender found are its to report; here the requests end.
 */
export class ArrivingRequests implements Iterable<Request> {
  private readonly chunks: RequestChunk[] = [];
  private readonly arriving: Generator<RequestChunk, EndMessage>;
  private ended = false;

  constructor(channel: ChunkChannel) {
    this.arriving = arrivingChunks(channel);
  }

  *[Symbol.iterator](): Generator<Request> {
    const decoder = new RequestChunkDecoder();
    for (let index = 0; ; index++) {
      while (index === this.chunks.length && !this.ended) {
        const next = this.arriving.next();
        if (next.done) this.ended = true;
        else this.chunks.push(next.value);
      }
      if (index === this.chunks.length) return;
      yield* decoder.decode(this.chunks[index]);
    }
  }
}
