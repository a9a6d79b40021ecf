// One `claimplan forecast` thread: loads the plan and the history as the command did, then
// makes each block of runs the command sends and posts back their outcomes.
import { parentPort } from 'node:worker_threads';
import { ForecastRunner, type ForecastJob, type ForecastTask } from './forecast-runs.ts';

export function serveForecastRuns(job: ForecastJob): void {
  const runner = ForecastRunner.of(job);
  parentPort!.on('message', (task: ForecastTask) => parentPort!.postMessage(runner.run(task)));
}
