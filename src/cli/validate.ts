// claimplan validate PLAN... : the schema and semantic checks only.
import { Command } from 'commander';
import { withExamples } from './options.ts';

export function validateCommand(): Command {
  const command = new Command('validate')
    .description('check plan files against the schema and the semantic rules; exit 0 when valid, 2 when not')
    .argument('<plan...>', "plan files, merged in order ('-' reads standard input)");
  withExamples(command, [
    ['claimplan validate examples/small-cloud.yaml', 'check a plan; every problem is printed as FILE:LINE:COL  PATH  message'],
    ['claimplan validate base.yaml overrides.yaml', 'check several files as they merge'],
    ['claimplan import --hypervisors h.json --flavors f.json | claimplan validate -', 'check a plan read from standard input'],
  ]);
  return command.action(async (paths: string[]) => {
    const [{ exitOnStreamProblems, loadPlansOrExit }, { writeStderr }] = await Promise.all([import('./plan-io.ts'), import('./write.ts')]);
    const plan = loadPlansOrExit(paths, []);
    const requests = plan.requests();
    for (const _request of requests);
    exitOnStreamProblems(requests);
    const { hosts, flavors } = plan.cloud;
    writeStderr(`${paths.join(' ')}: valid (${hosts.length} hosts, ${flavors.length} flavors, ${requests.requestCount} requests)\n`);
  });
}
