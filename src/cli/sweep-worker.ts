// One sweep thread (docs/contributing.md, "Sweeps in parallel"): loads the plan as the
// command did, then replays it at each value the command sends, posting back the counts
// and one byte per decision. Built as its own entry, dist/sweep-worker.js.
import { parentPort, workerData } from 'node:worker_threads';
import { replayAtValue } from '../engine/sweep.ts';
import { loadPlan } from '../plan/load.ts';
import { cloudsForValues } from '../plan/sweep-range.ts';
import type { SweepJob, SweepTask } from './sweep-pool.ts';

const job = workerData as SweepJob;
const loaded = loadPlan(job.paths, { readStdin: () => job.stdin ?? '', settingOverrides: job.settingOverrides });
if (!loaded.ok) throw new Error('the plan the sweep command loaded does not load in its worker');
const plan = loaded.value;

parentPort!.on('message', ({ index, value }: SweepTask) => {
  const clouds = cloudsForValues(plan.cloud, job.key, [value], () => plan.requests());
  if (!clouds.ok) throw new Error(clouds.error);
  const requests = plan.requests();
  const replayed = replayAtValue(value, clouds.value[0], requests, job.flavors);
  parentPort!.postMessage({ index, replayed, problems: requests.problems }, [replayed.outcomes.buffer as ArrayBuffer]);
});
