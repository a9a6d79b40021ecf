// claimplan validate PLAN... : the schema and semantic checks only.
import { Command } from 'commander';
import { withExamples } from './options.ts';
import { runValidate } from './run/validate.ts';

export function validateCommand(): Command {
  const command = new Command('validate')
    .description('check plan files against the schema and the semantic rules; exit 0 when valid, 2 when not')
    .argument('<plan...>', "plan files, merged in order ('-' reads standard input)");
  withExamples(command, [
    ['claimplan validate examples/small-cloud.yaml', 'check a plan; every problem is printed as FILE:LINE:COL  PATH  message'],
    ['claimplan validate base.yaml overrides.yaml', 'check several files as they merge'],
    ['claimplan import --hypervisors h.json --flavors f.json | claimplan validate -', 'check a plan read from standard input'],
  ]);
  return command.action((paths: string[]) => runValidate(paths));
}
