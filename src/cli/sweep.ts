// claimplan sweep PLAN... --vary KEY=FROM:TO:STEP : one setting (or a group's host
// count) over a range; claimed, rejected and fit per flavor at each value.
import { Command } from 'commander';
import { collect, wholeNumberAtLeastOne } from './arguments.ts';
import { withExamples, withOutputOptions, withSettingOverrides } from './options.ts';
import { runSweep, type SweepCommandOptions } from './run/sweep.ts';

export function sweepCommand(): Command {
  const command = new Command('sweep')
    .description('replay the plan at each value of one setting (or a host group\'s count) and show claimed, rejected and fit')
    .argument('<plan...>', "plan files, merged in order ('-' reads standard input)")
    .requiredOption('--vary <KEY=FROM:TO:STEP>', 'a cloud setting, or hosts.<group name>.count, over a range')
    .option('--flavor <name>', 'flavors whose fit to show at each value (repeatable)', collect, [])
    .option('--chart <file.svg>', 'also write the chart as SVG')
    .option('--jobs <n>', 'values replayed side by side, one thread each (default: one per CPU for a plan with a trace, else 1)', wholeNumberAtLeastOne);
  withSettingOverrides(command);
  withOutputOptions(command);
  withExamples(command, [
    ['claimplan sweep examples/small-cloud.yaml --vary cpu_allocation_ratio=1:16:1 --flavor m1.medium', 'where builds start to fail as the CPU ratio falls'],
    ['claimplan sweep plan.yaml --vary hosts.gen-{n:02}.count=2:12:2 --chart hosts.svg', 'how many hosts of a group the plan needs, with an SVG chart'],
    ['claimplan sweep plan.yaml --vary ram_allocation_ratio=1:1.5:0.1 -f csv', 'the same over the RAM ratio, as CSV'],
  ]);
  return command.action((paths: string[], options: SweepCommandOptions) => runSweep(paths, options));
}
