// One sweep thread (docs/contributing.md, "Sweeps in parallel"): takes the cloud the
// command checked, and the requests as the command sends them, then replays them at each
// value the command sends, posting back the counts and one byte per decision.
import { parentPort } from 'node:worker_threads';
import { replayAtValue } from '../engine/scenarios/sweep.ts';
import { cloudsForValues } from '../plan/sweep-range.ts';
import { ArrivingRequests } from './chunk-channel.ts';
import type { SweepJob } from './sweep-pool.ts';

export function serveSweepValues(job: SweepJob): void {
  const requests = new ArrivingRequests(job.requests);
  parentPort!.on('message', (value: number) => {
    // The command checked the range against the requests before any thread started.
    const clouds = cloudsForValues(job.cloud, job.key, [value], () => []);
    if (!clouds.ok) throw new Error(clouds.error);
    const replayed = replayAtValue(value, clouds.value[0], requests, job.flavors);
    parentPort!.postMessage(replayed, [replayed.outcomes.buffer as ArrayBuffer]);
  });
}
