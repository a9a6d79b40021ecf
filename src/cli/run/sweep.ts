// What `claimplan sweep` does once its options are read: a replay per value, on threads
// when the plan is large, compared in value order.
import { availableParallelism } from 'node:os';
import type { Request } from '../../engine/core/model.ts';
import { instancesAt, replayAtValue, Sweep, type ValueReplay } from '../../engine/scenarios/sweep.ts';
import { cloudsForValues, parseRange } from '../../plan/sweep-range.ts';
import { renderSweep, sweepSvg } from '../../report/sweep.ts';
import { exitOnUsageProblems, failUsage, type PlanCommandOptions } from '../options.ts';
import { emit, exitOnUnwritableOutputs, exitOnStreamProblems, loadPlansOrExit, unknownFlavorProblems } from '../plan-io.ts';
import { doneOfTotal, Progress } from '../progress.ts';
import { encodeRequests, SharedRequestReader } from '../encoded-requests.ts';
import { startSweepThreads } from '../sweep-pool.ts';

export interface SweepCommandOptions extends PlanCommandOptions {
  vary: string;
  flavor: string[];
  chart?: string;
  jobs?: number;
}

export async function runSweep(paths: string[], options: SweepCommandOptions): Promise<void> {
  const plan = loadPlansOrExit(paths, options.set, options.seed, options.novaConf);
  exitOnUnwritableOutputs(options.output, options.chart);
  const range = parseRange(options.vary);
  if (!range.ok) failUsage(range.error);
  const { key, values } = range.value;
  exitOnUsageProblems(unknownFlavorProblems(plan.cloud.flavors, options.flavor));
  const clouds = cloudsForValues(plan.cloud, key, values, () => plan.requests());
  if (!clouds.ok) failUsage(clouds.error);
  const progress = new Progress(process.stderr.isTTY === true);
  const showProgress = (done: number) => progress.update(() => `sweep: ${doneOfTotal(done, values.length, 'values replayed')}`);
  // A thread costs a start and the requests' one encoding: worth it for a trace's
  // thousands of requests, not for a plan written by hand.
  const threads = options.jobs ?? (plan.requests().checksWhileStreaming ? availableParallelism() : 1);
  let replays: ValueReplay[];
  // Where the turning points' instances are named: the requests the threads replayed, or the plan's stream.
  let requestsAgain = () => plan.requests() as Iterable<Request>;
  if (threads > 1 && values.length > 1) {
    // Read and checked here once, sent to the threads a chunk at a time as they replay (docs/contributing.md, "Sweeps in parallel").
    const sweeping = startSweepThreads({ cloud: plan.cloud, key, flavors: options.flavor }, values, threads, showProgress);
    try {
      const requests = plan.requests();
      const shared = encodeRequests(requests, { onChunk: (chunk) => sweeping.send({ kind: 'chunk', chunk }) });
      sweeping.send({ kind: 'end', problems: [], requestCount: requests.requestCount });
      exitOnStreamProblems(requests);
      replays = await sweeping.replays;
      requestsAgain = () => new SharedRequestReader(shared);
    } finally {
      sweeping.close();
    }
  } else {
    replays = clouds.value.map((cloud, index) => {
      const requests = plan.requests();
      const replayed = replayAtValue(values[index], cloud, requests, options.flavor);
      exitOnStreamProblems(requests);
      showProgress(index + 1);
      return replayed;
    });
  }
  progress.done();
  const sweep = new Sweep();
  for (const replayed of replays) sweep.add(replayed);
  const names = instancesAt(requestsAgain(), sweep.turningSeqs);
  const turning = sweep.turningPoints((seq) => names.get(seq) ?? `#${seq}`);
  const report = { key, flavors: options.flavor, points: sweep.points, turning };
  emit(options.output, (sink) => renderSweep(report, options.format, (chunk) => sink.write(chunk), { color: sink.color }));
  if (options.chart) emit(options.chart, (sink) => sink.write(sweepSvg(report)));
}
