// `claimplan compare` on the bundled example, every format compared whole with a reviewed copy.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { assertMatchesGoldenIn } from '../golden-file.ts';
import { PROJECT_ROOT, runCli } from '../run-cli.ts';

const GOLDEN = join(PROJECT_ROOT, 'test/fixtures/golden');
const matchesGolden = (name: string, actual: string) => assertMatchesGoldenIn(GOLDEN, name, actual);

const LOWER_CPU_RATIO = ['compare', 'examples/small-cloud.yaml', '--set', 'cpu_allocation_ratio=1'];

for (const format of ['table', 'json', 'yaml', 'ndjson', 'csv', 'markdown']) {
  test(`compares the example under a lower cpu_allocation_ratio as ${format}, byte for byte as reviewed`, () => {
    const run = runCli([...LOWER_CPU_RATIO, '-f', format]);
    assert.equal(run.stderr, '');
    assert.equal(run.status, 0);
    matchesGolden(`small-cloud.compare.${format}`, run.stdout);
  });
}

test('lists each changed decision with both sides, and counts the claims lost', () => {
  const report = JSON.parse(runCli([...LOWER_CPU_RATIO, '-f', 'json']).stdout);
  const db2 = report.changed_decisions.find((c: { instance: string }) => c.instance === 'db-2');
  assert.deepEqual(db2.before, { result: 'claimed', host: 'mem-01', reasons: [] });
  assert.deepEqual(db2.after, { result: 'rejected', host: 'mem-01', reasons: ['Free vcpu 8.00 VCPU < requested 16 VCPU'] });
  assert.equal(report.summary.after.claimed, report.summary.before.claimed - 2);
});

test('exits 1 with --fail-if-worse when a claimed request becomes rejected, and 0 when none does', () => {
  assert.equal(runCli([...LOWER_CPU_RATIO, '--fail-if-worse', '-f', 'json']).status, 1);
  assert.equal(runCli(['compare', 'examples/small-cloud.yaml', '--set', 'reserved_host_memory_mb=2048', '--fail-if-worse', '-f', 'json']).status, 0);
});

test('compares two plans given side by side', () => {
  const run = runCli(['compare', 'examples/small-cloud.yaml', 'test/fixtures/planning/small-cloud-ratio-1.yaml', '-f', 'json']);
  assert.equal(run.status, 0);
  const report = JSON.parse(run.stdout);
  assert.equal(report.after, 'test/fixtures/planning/small-cloud-ratio-1.yaml');
  assert.ok(report.changed_decisions.length > 0);
});

test('exits 2 when there is nothing to compare with', () => {
  const run = runCli(['compare', 'examples/small-cloud.yaml']);
  assert.equal(run.status, 2);
  assert.match(run.stderr, /needs --set KEY=VALUE changes, or exactly two plans/);
});
