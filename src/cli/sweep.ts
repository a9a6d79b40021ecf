// claimplan sweep PLAN... --vary KEY=FROM:TO:STEP : one setting (or a group's host
// count) over a range; claimed, rejected and fit per flavor at each value.
import { Command } from 'commander';
import { collect, exitOnUsageProblems, failUsage, withExamples, withOutputOptions, withSettingOverrides, type PlanCommandOptions } from './options.ts';

interface SweepCommandOptions extends PlanCommandOptions {
  vary: string;
  flavor: string[];
  chart?: string;
}

export function sweepCommand(): Command {
  const command = new Command('sweep')
    .description('replay the plan at each value of one setting (or a host group\'s count) and show claimed, rejected and fit')
    .argument('<plan...>', "plan files, merged in order ('-' reads standard input)")
    .requiredOption('--vary <KEY=FROM:TO:STEP>', 'a cloud setting, or hosts.<group name>.count, over a range')
    .option('--flavor <name>', 'flavors whose fit to show at each value (repeatable)', collect, [])
    .option('--chart <file.svg>', 'also write the chart as SVG');
  withSettingOverrides(command);
  withOutputOptions(command);
  withExamples(command, [
    ['claimplan sweep examples/small-cloud.yaml --vary cpu_allocation_ratio=1:16:1 --flavor m1.medium', 'where builds start to fail as the CPU ratio falls'],
    ['claimplan sweep plan.yaml --vary hosts.gen-{n:02}.count=2:12:2 --chart hosts.svg', 'how many hosts of a group the plan needs, with an SVG chart'],
    ['claimplan sweep plan.yaml --vary ram_allocation_ratio=1:1.5:0.1 -f csv', 'the same over the RAM ratio, as CSV'],
  ]);
  return command.action(async (paths: string[], options: SweepCommandOptions) => {
    const [{ emit, exitOnStreamProblems, loadPlansOrExit, unknownFlavorProblems }, { cloudsForValues, parseRange }, { Sweep }, { renderSweep, sweepSvg }, { Progress }] = await Promise.all([
      import('./plan-io.ts'),
      import('../plan/sweep-range.ts'),
      import('../engine/sweep.ts'),
      import('../report/sweep.ts'),
      import('./progress.ts'),
    ]);
    const plan = loadPlansOrExit(paths, options.set);
    const range = parseRange(options.vary);
    if (!range.ok) failUsage(range.error);
    const { key, values } = range.value;
    exitOnUsageProblems(unknownFlavorProblems(plan.cloud.flavors, options.flavor));
    const clouds = cloudsForValues(plan.cloud, key, values, () => plan.requests());
    if (!clouds.ok) failUsage(clouds.error);
    const progress = new Progress(process.stderr.isTTY === true);
    const sweep = new Sweep(options.flavor);
    for (const [index, cloud] of clouds.value.entries()) {
      progress.update(() => `sweep ${index + 1}/${values.length}: ${key} = ${values[index]}`);
      const requests = plan.requests();
      sweep.add(values[index], cloud, requests);
      exitOnStreamProblems(requests);
    }
    progress.done();
    const report = { key, flavors: options.flavor, points: sweep.points, turning: sweep.turning };
    emit(options.output, (sink) => renderSweep(report, options.format, (chunk) => sink.write(chunk), { color: sink.color }));
    if (options.chart) emit(options.chart, (sink) => sink.write(sweepSvg(report)));
  });
}
