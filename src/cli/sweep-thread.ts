// One sweep thread (docs/contributing.md, "Sweeps in parallel"): loads the plan as the
// command did, then replays it at each value the command sends, posting back the counts
// and one byte per decision.
import { parentPort } from 'node:worker_threads';
import { replayAtValue } from '../engine/scenarios/sweep.ts';
import { cloudsForValues } from '../plan/sweep-range.ts';
import type { SweepJob, SweepResult } from './sweep-pool.ts';
import { loadJobPlan } from './worker-pool.ts';

export function serveSweepValues(job: SweepJob): void {
  const plan = loadJobPlan(job, 'sweep');
  parentPort!.on('message', (value: number) => {
    const clouds = cloudsForValues(plan.cloud, job.key, [value], () => plan.requests());
    if (!clouds.ok) throw new Error(clouds.error);
    const requests = plan.requests();
    const replayed = replayAtValue(value, clouds.value[0], requests, job.flavors);
    parentPort!.postMessage({ replayed, problems: requests.problems } satisfies SweepResult, [replayed.outcomes.buffer as ArrayBuffer]);
  });
}
