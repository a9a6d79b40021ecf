// One `claimplan expand` thread: takes the plan, its requests and the SKUs the command
// checked, then replays the plan with hosts added at each count the command sends,
// posting back what the replay decided.
import { parentPort } from 'node:worker_threads';
import type { CountTask } from '../engine/scenarios/expand/answers.ts';
import type { ExpandJob } from './expand-pool.ts';
import { ExpandReplays } from './expand-replays.ts';

export function serveExpandCounts(job: ExpandJob): void {
  const replays = ExpandReplays.of(job);
  parentPort!.on('message', (task: CountTask) => parentPort!.postMessage(replays.run(task)));
}
