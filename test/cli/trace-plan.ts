// A plan whose requests stream from an NDJSON trace beside it, long or ending in a bad line,
// and the held-back reports a replay spills to the temporary folder: shared by the tests of
// what a trace replay writes (plan-io, output, leftovers, validate).
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const PLAN = `version: 1
hosts:
  - {name: "cmp-{n}", count: 20, vcpus: 64, memory_mb: 262144, local_gb: 4000}
flavors:
  - {name: m1, vcpus: 1, memory_mb: 512, root_gb: 1}
requests: {file: trace.ndjson}
`;

/** A plan beside a trace of `builds` builds (and as many deletes), then `lastLine`. */
export function tracePlan(builds: number, lastLine = ''): { directory: string; plan: string } {
  const directory = mkdtempSync(join(tmpdir(), 'claimplan-trace-'));
  const lines: string[] = [];
  for (let n = 1; n <= builds; n++) lines.push(JSON.stringify({ build: 'm1', name: `vm-${n}` }), JSON.stringify({ delete: `vm-${n}` }));
  if (lastLine !== '') lines.push(lastLine);
  writeFileSync(join(directory, 'trace.ndjson'), `${lines.join('\n')}\n`);
  writeFileSync(join(directory, 'plan.yaml'), PLAN);
  return { directory, plan: join(directory, 'plan.yaml') };
}

/** The held-back reports in the temporary folder now, each claimplan-PID-N.tmp. */
export function spilledFiles(): string[] {
  return readdirSync(tmpdir()).filter((name) => /^claimplan-\d+-\d+\.tmp$/.test(name));
}
