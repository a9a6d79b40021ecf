// claimplan consolidate PLAN... [--keep failover:N] : after the replay, which hosts live
// migration can empty, so that they can be powered off.
import { Command } from 'commander';
import { failoverHosts } from './arguments.ts';
import { withExamples, withOutputOptions, withSettingOverrides } from './options.ts';
import { runConsolidate, type ConsolidateCommandOptions } from './run/consolidate.ts';

export function consolidateCommand(): Command {
  const command = new Command('consolidate')
    .description('replay the plan, then empty hosts one at a time by live-migrating their instances through the scheduler, in the best of several orders: which hosts can be powered off, and at most how many could be')
    .argument('<plan...>', "plan files, merged in order ('-' reads standard input)")
    .option('--keep <target>', 'failover:N: empty a host only if no loss of N hosts then strands more instances than the same loss did before', failoverHosts);
  withSettingOverrides(command);
  withOutputOptions(command);
  withExamples(command, [
    ['claimplan consolidate examples/small-cloud.yaml', 'which hosts live migration can empty after the replay'],
    ['claimplan consolidate examples/small-cloud.yaml --keep failover:1', 'the same, never making the loss of any one host worse'],
    ['claimplan consolidate plan.yaml -f json -o drain.json', 'the live migrations to run, as JSON'],
  ]);
  return command.action((paths: string[], options: ConsolidateCommandOptions) => runConsolidate(paths, options));
}
