// `claimplan validate`: exit 0 for a valid plan, 2 with every problem located.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../run-cli.ts';
import { tracePlan } from '../trace-plan.ts';

test('exits 0 for a valid plan, saying what it holds, and 2 for an invalid one', () => {
  const valid = runCli(['validate', 'examples/small-cloud.yaml']);
  assert.equal(valid.status, 0);
  assert.match(valid.stderr, /^examples\/small-cloud\.yaml: valid \(7 hosts, 7 flavors, 22 requests\)\n$/);
  const path = join(mkdtempSync(join(tmpdir(), 'claimplan-')), 'plan.yaml');
  writeFileSync(path, 'version: 2\n');
  const invalid = runCli(['validate', path]);
  assert.equal(invalid.status, 2);
  assert.match(invalid.stderr, /plan\.yaml:1:10 {2}version {2}must be 1, the only plan format so far/);
});

const ONE_OF_EACH = `version: 1
hosts:
  - {name: a, vcpus: 2, memory_mb: 4096, local_gb: 10}
flavors:
  - {name: f, vcpus: 1, memory_mb: 4096, root_gb: 1}
requests:
  - {build: f, name: one}
`;

test('names standard input as its errors do, and counts one of each in the singular', () => {
  const valid = runCli(['validate', '-'], { input: ONE_OF_EACH });
  assert.equal(valid.status, 0);
  assert.equal(valid.stderr, '<stdin>: valid (1 host, 1 flavor, 1 request)\n');
  const invalid = runCli(['validate', '-'], { input: 'version: 2\n' });
  assert.match(invalid.stderr, /^<stdin>:1:10 /);
});

test('reports count one host, one request and one combination in the singular', () => {
  const failover = runCli(['failover', '-', '--k', '1'], { input: ONE_OF_EACH });
  assert.match(failover.stdout, /^Failover after replaying 1 request: the worst loss of 1 host, all 1 combination run\n/);
  assert.match(runCli(['failover', '-', '--k', '2'], { input: ONE_OF_EACH }).stderr, /--k 2: the plan has only 1 host\n/);
  assert.match(runCli(['fit', '-', '--flavor', 'f'], { input: ONE_OF_EACH }).stdout, /after replaying 1 request \(/);
});

test('validate reads the trace to the end and counts its requests', () => {
  const { plan } = tracePlan(25);
  const run = runCli(['validate', plan]);
  assert.equal(run.status, 0);
  assert.match(run.stderr, /valid \(20 hosts, 1 flavor, 50 requests\)/);
  assert.equal(runCli(['validate', tracePlan(25, '{"biuld": "m1"}').plan]).status, 2);
});
