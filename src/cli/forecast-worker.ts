// One `claimplan forecast` thread: loads the plan and the history as the command did, then
// makes each block of runs the command sends and posts back their outcomes. Built as its
// own entry, dist/forecast-worker.js.
import { parentPort, workerData } from 'node:worker_threads';
import { ForecastRunner, type ForecastJob, type ForecastTask } from './forecast-runs.ts';

const runner = ForecastRunner.of(workerData as ForecastJob);

parentPort!.on('message', (task: ForecastTask) => parentPort!.postMessage(runner.run(task)));
