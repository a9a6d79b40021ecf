// What `claimplan validate` does: load and check every file, reading any trace to its end.
import { exitOnStreamProblems, loadPlansOrExit } from '../plan-io.ts';
import { writeStderr } from '../write.ts';

export function runValidate(paths: string[]): void {
  const plan = loadPlansOrExit(paths, []);
  const requests = plan.requests();
  for (const _request of requests);
  exitOnStreamProblems(requests);
  const { hosts, flavors } = plan.cloud;
  writeStderr(`${paths.join(' ')}: valid (${hosts.length} hosts, ${flavors.length} flavors, ${requests.requestCount} requests)\n`);
}
