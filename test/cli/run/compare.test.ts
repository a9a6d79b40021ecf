// `claimplan compare` of two plans that do not share every host and flavor.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runCli } from '../../run-cli.ts';

const TWO_CLOUDS = ['compare', 'examples/small-cloud.yaml', 'examples/numa-gpu.yaml'];

interface Row {
  host?: string;
  flavor?: string;
  only_in?: string;
}

test('marks hosts and flavors that only one of two plans has, instead of calling them unlimited', () => {
  const run = runCli([...TWO_CLOUDS, '-f', 'json']);
  assert.equal(run.status, 0, run.stderr);
  const report = JSON.parse(run.stdout) as { hosts: Row[]; fit: Row[] };
  const onlyIn = (rows: Row[], name: string) => rows.find((row) => (row.host ?? row.flavor) === name)?.only_in;
  assert.equal(onlyIn(report.hosts, 'gen-01'), 'before');
  assert.equal(onlyIn(report.hosts, 'gpu-01'), 'after');
  assert.equal(onlyIn(report.fit, 'm1.large'), 'before');
  assert.equal(onlyIn(report.fit, 'gpu.a100'), 'after');
  const table = runCli(TWO_CLOUDS).stdout;
  assert.match(table, /│ gpu-01 +│ +\(not in plan\) → \d+ │/);
  assert.match(table, /│ m1\.large +│ +\d+ │ +\(not in plan\) │/);
});

test('leaves only_in out when both sides have every host and flavor', () => {
  const report = JSON.parse(runCli(['compare', 'examples/small-cloud.yaml', '--set', 'cpu_allocation_ratio=2', '-f', 'json']).stdout);
  assert.ok(report.hosts.length > 0 && report.fit.length > 0);
  assert.ok([...report.hosts, ...report.fit].every((row: Row) => !('only_in' in row)));
});

test('exits 2 naming a --flavor that neither plan has, before replaying anything', () => {
  const run = runCli(['compare', 'examples/small-cloud.yaml', '--set', 'cpu_allocation_ratio=2', '--flavor', 'm9.huge']);
  assert.equal(run.status, 2);
  assert.equal(run.stdout, '');
  assert.equal(run.stderr, 'claimplan: --flavor m9.huge: no such flavor in the plans compared\n');
});

test('says no decision changed, in place of an empty table, when nothing changed', () => {
  for (const format of ['table', 'markdown']) {
    const run = runCli(['compare', 'examples/small-cloud.yaml', 'examples/small-cloud.yaml', '-f', format], { env: { NO_COLOR: '1' } });
    assert.equal(run.status, 0);
    assert.match(run.stdout, /Decisions that changed\n\n?None: every request was decided the same way, on the same host\.\n/, format);
    assert.doesNotMatch(run.stdout, /seq \S+ instance/, format);
  }
});
