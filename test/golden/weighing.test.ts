// Why a host won (`--explain`) and the scheduler's seeded draws, through the real CLI on
// examples/weighing.yaml and examples/small-cloud.yaml.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { assertMatchesGoldenIn } from '../golden-file.ts';
import { PROJECT_ROOT, runCli } from '../run-cli.ts';

const GOLDEN = join(PROJECT_ROOT, 'test/fixtures/golden');
const matchesGolden = (name: string, actual: string) => assertMatchesGoldenIn(GOLDEN, name, actual);

test('shows why the build landed on cmp-07 and not on the host with the most free RAM, as table and json', () => {
  const table = runCli(['replay', 'examples/weighing.yaml', '--explain']);
  assert.equal(table.status, 0);
  matchesGolden('weighing.explain.table', table.stdout);
  const json = runCli(['replay', 'examples/weighing.yaml', '--explain', '-f', 'json']);
  matchesGolden('weighing.explain.json', json.stdout);
  const [decision] = JSON.parse(json.stdout).decisions;
  assert.deepEqual(
    decision.weighed.map((w: { host: string; weight: number }) => [w.host, w.weight]),
    [
      ['cmp-07', 3.05],
      ['gpu-01', 3],
      ['mem-01', 2.1],
    ],
  );
  assert.equal(decision.weighed[0].weights.PCIWeigher, 1);
});

test('sends the build to the GPU host once the PCI weigher is set to 0', () => {
  const run = runCli(['replay', 'examples/weighing.yaml', '--set', 'pci_weight_multiplier=0', '-f', 'json']);
  assert.equal(JSON.parse(run.stdout).decisions[0].host, 'gpu-01');
});

test('draws among the three best hosts reproducibly with --seed, and the summary states the seed', () => {
  const hosts = (seed: string) => {
    const run = runCli(['replay', 'examples/small-cloud.yaml', '--set', 'host_subset_size=3', '--seed', seed, '-f', 'json']);
    assert.equal(run.status, 0);
    const report = JSON.parse(run.stdout);
    assert.equal(report.summary.seed, Number(seed));
    return report.decisions.map((d: { host: string | null }) => d.host).join(',');
  };
  assert.equal(hosts('7'), hosts('7'));
  const seeds = ['0', '1', '2', '3', '4', '5', '6', '7'].map(hosts);
  assert.ok(new Set(seeds).size > 1, 'different seeds draw differently');
  const table = runCli(['replay', 'examples/small-cloud.yaml', '--set', 'host_subset_size=3', '--seed', '7']);
  assert.match(table.stdout, /random choices seeded with\s*│\s*7 │/);
  const unseeded = JSON.parse(runCli(['replay', 'examples/small-cloud.yaml', '-f', 'json']).stdout);
  assert.equal(unseeded.summary.seed, undefined, 'no draws, no seed');
});

test('refuses a seed that is not a whole number', () => {
  const run = runCli(['replay', 'examples/small-cloud.yaml', '--seed', '-1']);
  assert.equal(run.status, 2);
  assert.match(run.stderr, /--seed/);
});
