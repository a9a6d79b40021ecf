// claimplan sweep PLAN... --vary KEY=FROM:TO:STEP : one setting (or a group's host
// count) over a range; claimed, rejected and fit per flavor at each value.
import { availableParallelism } from 'node:os';
import { Command, InvalidArgumentError } from 'commander';
import type { ValueReplay } from '../engine/sweep.ts';
import { collect, exitOnUsageProblems, failUsage, withExamples, withOutputOptions, withSettingOverrides, type PlanCommandOptions } from './options.ts';

interface SweepCommandOptions extends PlanCommandOptions {
  vary: string;
  flavor: string[];
  chart?: string;
  jobs?: number;
}

function positiveInteger(text: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) throw new InvalidArgumentError('must be a positive whole number');
  return value;
}

export function sweepCommand(): Command {
  const command = new Command('sweep')
    .description('replay the plan at each value of one setting (or a host group\'s count) and show claimed, rejected and fit')
    .argument('<plan...>', "plan files, merged in order ('-' reads standard input)")
    .requiredOption('--vary <KEY=FROM:TO:STEP>', 'a cloud setting, or hosts.<group name>.count, over a range')
    .option('--flavor <name>', 'flavors whose fit to show at each value (repeatable)', collect, [])
    .option('--chart <file.svg>', 'also write the chart as SVG')
    .option('--jobs <n>', 'values replayed side by side, one thread each (default: one per CPU for a plan with a trace, else 1)', positiveInteger);
  withSettingOverrides(command);
  withOutputOptions(command);
  withExamples(command, [
    ['claimplan sweep examples/small-cloud.yaml --vary cpu_allocation_ratio=1:16:1 --flavor m1.medium', 'where builds start to fail as the CPU ratio falls'],
    ['claimplan sweep plan.yaml --vary hosts.gen-{n:02}.count=2:12:2 --chart hosts.svg', 'how many hosts of a group the plan needs, with an SVG chart'],
    ['claimplan sweep plan.yaml --vary ram_allocation_ratio=1:1.5:0.1 -f csv', 'the same over the RAM ratio, as CSV'],
  ]);
  return command.action(async (paths: string[], options: SweepCommandOptions) => {
    const [plans, { cloudsForValues, parseRange }, { instancesAt, replayAtValue, Sweep }, { renderSweep, sweepSvg }, { Progress }, { replayInParallel }, { stdinTextIfRead }] =
      await Promise.all([
        import('./plan-io.ts'),
        import('../plan/sweep-range.ts'),
        import('../engine/sweep.ts'),
        import('../report/sweep.ts'),
        import('./progress.ts'),
        import('./sweep-pool.ts'),
        import('./stdin.ts'),
      ]);
    const plan = plans.loadPlansOrExit(paths, options.set);
    const range = parseRange(options.vary);
    if (!range.ok) failUsage(range.error);
    const { key, values } = range.value;
    exitOnUsageProblems(plans.unknownFlavorProblems(plan.cloud.flavors, options.flavor));
    const clouds = cloudsForValues(plan.cloud, key, values, () => plan.requests());
    if (!clouds.ok) failUsage(clouds.error);
    const progress = new Progress(process.stderr.isTTY === true);
    const showProgress = (done: number) => progress.update(() => `sweep: ${done}/${values.length} values replayed`);
    // A thread costs a start and a plan load (a fifth of a second): worth it for a trace's
    // thousands of requests, not for a plan written by hand.
    const threads = options.jobs ?? (plan.requests().checksWhileStreaming ? availableParallelism() : 1);
    let replays: ValueReplay[];
    if (threads > 1 && values.length > 1) {
      const job = { paths, stdin: stdinTextIfRead(), settingOverrides: options.set, key, flavors: options.flavor };
      const parallel = await replayInParallel(job, values, threads, showProgress);
      plans.exitOnLateProblems(parallel.problems);
      replays = parallel.replays;
    } else {
      replays = clouds.value.map((cloud, index) => {
        const requests = plan.requests();
        const replayed = replayAtValue(values[index], cloud, requests, options.flavor);
        plans.exitOnStreamProblems(requests);
        showProgress(index + 1);
        return replayed;
      });
    }
    progress.done();
    const sweep = new Sweep();
    for (const replayed of replays) sweep.add(replayed);
    const names = instancesAt(plan.requests(), sweep.turningSeqs);
    const turning = sweep.turningPoints((seq) => names.get(seq) ?? `#${seq}`);
    const report = { key, flavors: options.flavor, points: sweep.points, turning };
    plans.emit(options.output, (sink) => renderSweep(report, options.format, (chunk) => sink.write(chunk), { color: sink.color }));
    if (options.chart) plans.emit(options.chart, (sink) => sink.write(sweepSvg(report)));
  });
}
