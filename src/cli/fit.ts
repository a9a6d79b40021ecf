// claimplan fit PLAN... --flavor F : how many more of each flavor fit, per host and in total.
import { Command, Option } from 'commander';
import { FIT_FORMATS } from '../report/formats.ts';
import { collect } from './arguments.ts';
import { withExamples, withOutputOptions, withSettingOverrides } from './options.ts';
import { runFit, type FitCommandOptions } from './run/fit.ts';

export function fitCommand(): Command {
  const command = new Command('fit')
    .description('replay the plan, then count how many more of each flavor every host accepts, one claim after another')
    .argument('<plan...>', "plan files, merged in order ('-' reads standard input)")
    .addOption(new Option('--flavor <name>', 'a flavor to count (repeatable, at least one)').argParser(collect).makeOptionMandatory())
    .option('--aggregate <label>', 'only the hosts carrying this label')
    .option('--availability-zone <zone>', "only the hosts of this zone, with the zone's filters applied");
  withSettingOverrides(command);
  withOutputOptions(command, FIT_FORMATS);
  withExamples(command, [
    ['claimplan fit examples/small-cloud.yaml --flavor m1.medium', 'how many more m1.medium fit on each host, and what stops the next one'],
    ['claimplan fit plan.yaml --flavor gpu.large --aggregate gpu -f json', 'the same for the gpu aggregate only, as JSON'],
    ['claimplan fit examples/aggregates.yaml --flavor ssd.large --availability-zone az1', 'how many more SSD builds zone az1 takes'],
    ['claimplan fit plan.yaml --flavor m1.small -f openmetrics > fit.prom', 'gauges for a Prometheus textfile collector'],
  ]);
  return command.action((paths: string[], options: FitCommandOptions) => runFit(paths, options));
}
