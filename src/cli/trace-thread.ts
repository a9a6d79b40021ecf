// The thread that reads a plan's trace (docs/contributing.md, "Reading a trace on its own
// thread"): it loads the plan as the command did, reads and checks the requests as the
// command's own stream would, and posts them encoded a chunk at a time, then the problems
// found; the command's thread replays each chunk while this one reads the next.
import { postChunkMessage, type ChunkMessage } from './chunk-channel.ts';
import { encodeRequests } from './encoded-requests.ts';
import type { TraceJob } from './trace-reading.ts';
import { loadJobPlan } from './worker-pool.ts';

export function serveTrace(job: TraceJob): void {
  const post = (message: ChunkMessage) => postChunkMessage(job.requests, message);
  try {
    const requests = loadJobPlan(job, 'trace-reading').requests();
    // Posted on, not kept: the command's thread keeps what it needs.
    encodeRequests(requests, { onChunk: (chunk) => post({ kind: 'chunk', chunk }), keep: false });
    post({ kind: 'end', problems: requests.problems, requestCount: requests.requestCount });
  } catch (error) {
    // Anything else would leave the command's thread waiting for the next chunk.
    post({ kind: 'failed', error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  } finally {
    job.requests.port.close();
  }
}
