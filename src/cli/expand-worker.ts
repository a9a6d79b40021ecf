// One `claimplan expand` thread: loads the plan and the SKUs as the command did, then
// replays the plan with hosts added at each count the command sends, posting back what
// the replay decided. Built as its own entry, dist/expand-worker.js.
import { parentPort, workerData } from 'node:worker_threads';
import { loadPlan } from '../plan/load.ts';
import type { ExpandJob, ExpandTask } from './expand-pool.ts';
import { ExpandReplays } from './expand-replays.ts';

const job = workerData as ExpandJob;
const loaded = loadPlan(job.paths, { readStdin: () => job.stdin ?? '', settingOverrides: job.settingOverrides });
if (!loaded.ok) throw new Error('the plan the expand command loaded does not load in its worker');
const replays = ExpandReplays.of(loaded.value, job);

parentPort!.on('message', (task: ExpandTask) => parentPort!.postMessage(replays.run(task)));
