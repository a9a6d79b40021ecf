// claimplan validate PLAN... : the schema and semantic checks only.
import { Command } from 'commander';
import { loadPlansOrExit } from './common.ts';
import { writeStderr } from './output.ts';

export function validateCommand(): Command {
  return new Command('validate')
    .description('check plan files against the schema and the semantic rules; exit 0 when valid, 2 when not')
    .argument('<plan...>', "plan files, merged in order ('-' reads standard input)")
    .action((paths: string[]) => {
      const plan = loadPlansOrExit(paths, []);
      const { hosts, flavors } = plan.cloud;
      writeStderr(`${paths.join(' ')}: valid (${hosts.length} hosts, ${flavors.length} flavors, ${plan.requestCount} requests)\n`);
    });
}
