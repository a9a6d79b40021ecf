// claimplan expand PLAN... --add SKU [--add SKU…] : how many hosts of a kind to add so that
// no build an added host could take is rejected (and, with --target failover:N, no loss of
// N hosts strands an instance).
import { Command, InvalidArgumentError } from 'commander';
import { collect, withExamples, withOutputOptions, withSettingOverrides } from './options.ts';
import type { ExpandCommandOptions } from './run/expand.ts';
import { runner } from './runner.ts';

function positiveInteger(text: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) throw new InvalidArgumentError('must be a positive whole number');
  return value;
}

export function expandCommand(): Command {
  const command = new Command('expand')
    .description('find how many hosts of a kind to add so that the replay rejects no build an added host could take')
    .argument('<plan...>', "plan files, merged in order ('-' reads standard input)")
    .option('--add <sku>', 'a host_templates entry, a host group (cmp-{n:03}) or a host to copy; one answer each (repeatable)', collect, [])
    .option('--target <target>', 'builds, or failover:N to survive losing any N hosts too', 'builds')
    .option(
      '--position <where>',
      'added hosts first or last in the host list, the scheduler\'s tie-breaker (default last: Nova lists new compute nodes after the existing ones)',
      'last',
    )
    .option('--fail-if <condition>', "exit 1 when the answer meets it: 'hosts>N', 'cost>N' or 'rejected>N', quoted (repeatable)", collect, [])
    .option('--exact', 'replay every count below the answer, so that it is exact even where bisection would stop', false)
    .option('--jobs <n>', 'counts replayed side by side, one thread each; the counts tried depend on it (default: 2 for a plan with a trace, else 1)', positiveInteger);
  withSettingOverrides(command);
  withOutputOptions(command);
  withExamples(command, [
    ['claimplan expand examples/growth.yaml --add r640', 'how many r640 hosts the year of requests needs'],
    ['claimplan expand examples/growth.yaml --add r640 --add r740 --target failover:1', 'the same per SKU, surviving the loss of any one host'],
    ["claimplan expand plan.yaml --add cmp-{n:03} --fail-if 'hosts>10' -f json", 'a CI gate: exit 1 when more than 10 hosts of a group are needed'],
  ]);
  return command.action(async (paths: string[], options: ExpandCommandOptions) => (await runner('expand')).runExpand(paths, options));
}
