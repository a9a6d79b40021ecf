// claimplan failover PLAN... --lose HOST | --each host|aggregate | --k N : lose hosts after the replay and re-home their instances.
import { Command, Option } from 'commander';
import { collect, wholeNumberAtLeastOne } from './arguments.ts';
import { withExamples, withOutputOptions, withSettingOverrides } from './options.ts';
import { runFailover, type FailoverCommandOptions } from './run/failover.ts';

export function failoverCommand(): Command {
  const command = new Command('failover')
    .description('replay the plan, then lose hosts and evacuate their instances through the scheduler: what moves, what is stranded')
    .argument('<plan...>', "plan files, merged in order ('-' reads standard input)")
    .option('--lose <host>', 'a host to lose, or aggregate:NAME for every host of it (repeatable; all lost together)', collect, [])
    .addOption(new Option('--each <kind>', 'one scenario per host or per aggregate, worst first').choices(['host', 'aggregate']))
    .option('--k <count>', 'the worst loss of this many hosts at once', wholeNumberAtLeastOne)
    .option('--fail-if-stranded', 'exit 1 when any scenario strands an instance', false);
  withSettingOverrides(command);
  withOutputOptions(command);
  withExamples(command, [
    ['claimplan failover examples/small-cloud.yaml --each host', 'every host lost in turn, the scenario that strands most first'],
    ['claimplan failover plan.yaml --lose cmp-001 --lose cmp-002', 'two hosts lost together: where each of their instances goes'],
    ['claimplan failover plan.yaml --lose aggregate:rack-3 --fail-if-stranded', 'a whole rack lost; exit 1 when an instance finds no host'],
    ['claimplan failover plan.yaml --k 2 -f json', 'the worst pair of hosts to lose, as JSON'],
  ]);
  return command.action((paths: string[], options: FailoverCommandOptions) => runFailover(paths, options));
}
