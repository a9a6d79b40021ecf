// What `claimplan validate` does: load and check every file, reading any trace to its end.
import { STDIN_NAME } from '../../plan/load.ts';
import { plural } from '../../report/text.ts';
import { exitOnStreamProblems, loadPlansOrExit } from '../plan-io.ts';
import { writeStderr } from '../write.ts';

export function runValidate(paths: string[]): void {
  const plan = loadPlansOrExit(paths, []);
  const requests = plan.requests();
  for (const _request of requests);
  exitOnStreamProblems(requests);
  const { hosts, flavors } = plan.cloud;
  // Standard input is named as its errors name it.
  const files = paths.map((path) => (path === '-' ? STDIN_NAME : path)).join(' ');
  writeStderr(`${files}: valid (${plural(hosts.length, 'host')}, ${plural(flavors.length, 'flavor')}, ${plural(requests.requestCount, 'request')})\n`);
}
