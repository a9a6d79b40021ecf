// `claimplan fit`: usage errors before any replay; counts checked against replaying that many builds.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runCli } from '../../run-cli.ts';

test('exits 2 naming the missing option when given no --flavor', () => {
  const run = runCli(['fit', 'examples/small-cloud.yaml']);
  assert.equal(run.status, 2);
  assert.equal(run.stdout, '');
  assert.match(run.stderr, /--flavor/);
});

test('exits 2 for a flavor or an aggregate the plan does not have, printing no report', () => {
  const run = runCli(['fit', 'examples/small-cloud.yaml', '--flavor', 'm9.huge', '--aggregate', 'nowhere']);
  assert.equal(run.status, 2);
  assert.equal(run.stdout, '');
  assert.match(run.stderr, /--flavor m9\.huge: no such flavor in the plan/);
  assert.match(run.stderr, /--aggregate nowhere: no host carries this label/);
});

test('counts a flavor the API refuses as fitting nowhere, with Nova\'s reason as the bottleneck', () => {
  const run = runCli(['fit', 'test/fixtures/pci-alias-undefined.yaml', '--flavor', 'gpu.any', '-f', 'json']);
  assert.equal(run.status, 0);
  const [fit] = JSON.parse(run.stdout).flavors as { total: number; hosts: { count: number; bottleneck: string[] }[] }[];
  assert.equal(fit.total, 0);
  for (const host of fit.hosts) assert.deepEqual([host.count, host.bottleneck], [0, ['PCI alias gpu is not defined']]);
});
