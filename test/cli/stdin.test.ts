// Standard input read whole, even from a pipe another Node process left non-blocking, and
// a plan given as `-` named <stdin> as its errors name it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { PROJECT_ROOT, runCli } from '../run-cli.ts';

const PLAN = `version: 1
hosts:
  - {name: a, vcpus: 4, memory_mb: 4096, local_gb: 100}
flavors:
  - {name: m1, vcpus: 1, memory_mb: 2048, root_gb: 10}
requests:
  - {build: m1, name: one}
  - {build: m1, name: two}
  - {build: m1, name: three}
`;

test('reads a plan from standard input when given -', () => {
  const run = runCli(['replay', '-', '-f', 'ndjson'], { input: PLAN });
  const lines = run.stdout.trim().split('\n').map((line) => JSON.parse(line));
  assert.equal(lines.length, 4);
  assert.deepEqual(lines[3].summary.claimed, 2);
});

test('reads standard input piped from another claimplan, reporting the content, not a read failure', () => {
  // The case that once failed with EAGAIN: the upstream Node process leaves the pipe non-blocking.
  const node = JSON.stringify(process.execPath);
  const pipeline = `${node} bin/claimplan.js replay examples/small-cloud.yaml -f json | ${node} bin/claimplan.js validate -`;
  const run = spawnSync('bash', ['-c', pipeline], { cwd: PROJECT_ROOT, encoding: 'utf8' });
  assert.equal(run.status, 2);
  assert.match(run.stderr, /^<stdin>:1:1 {2}missing `version`/);
  assert.doesNotMatch(run.stderr, /cannot read|EAGAIN/);
});
