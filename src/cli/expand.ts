// claimplan expand PLAN... --add SKU [--add SKU…] : how many hosts of a kind to add so that
// no build an added host could take is rejected (and, with --target failover:N, no loss of
// N hosts strands an instance).
import { Command, Option } from 'commander';
import { collect, expandTarget, gates, wholeNumberAtLeastOne } from './arguments.ts';
import { withExamples, withOutputOptions, withSettingOverrides } from './options.ts';
import { EXPAND_GATE_METRICS, runExpand, type ExpandCommandOptions } from './run/expand.ts';

export function expandCommand(): Command {
  const command = new Command('expand')
    .description('find how many hosts of a kind to add so that the replay rejects no build an added host could take')
    .argument('<plan...>', "plan files, merged in order ('-' reads standard input)")
    .option('--add <sku>', 'a host_templates entry, a host group (cmp-{n:03}) or a host to copy; one answer each (repeatable)', collect, [])
    .addOption(new Option('--target <target>', 'builds, or failover:N to survive losing any N hosts too').argParser(expandTarget).default(null, 'builds'))
    .addOption(
      new Option('--position <where>', 'added hosts first or last in the host list, the scheduler\'s tie-breaker (Nova lists new compute nodes after the existing ones)')
        .choices(['first', 'last'])
        .default('last'),
    )
    .option('--fail-if <condition>', "exit 1 when the answer meets it: 'hosts>N', 'cost>N' or 'rejected>N', quoted (repeatable)", gates(EXPAND_GATE_METRICS), [])
    .option('--exact', 'replay every count below the answer, so that it is exact even where bisection would stop', false)
    .option('--jobs <n>', 'counts replayed side by side, one thread each; the counts tried depend on it (default: 2 for a plan with a trace, else 1)', wholeNumberAtLeastOne);
  withSettingOverrides(command);
  withOutputOptions(command);
  withExamples(command, [
    ['claimplan expand examples/growth.yaml --add r640', 'how many r640 hosts the year of requests needs'],
    ['claimplan expand examples/growth.yaml --add r640 --add r740 --target failover:1', 'the same per SKU, surviving the loss of any one host'],
    ["claimplan expand plan.yaml --add cmp-{n:03} --fail-if 'hosts>10' -f json", 'a CI gate: exit 1 when more than 10 hosts of a group are needed'],
  ]);
  return command.action((paths: string[], options: ExpandCommandOptions) => runExpand(paths, options));
}
