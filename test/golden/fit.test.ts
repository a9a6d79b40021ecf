// `claimplan fit` on the bundled examples, every format compared whole with a reviewed copy.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assertMatchesGoldenIn } from '../golden-file.ts';
import { PROJECT_ROOT, runCli } from '../run-cli.ts';

const GOLDEN = join(PROJECT_ROOT, 'test/fixtures/golden');
const matchesGolden = (name: string, actual: string) => assertMatchesGoldenIn(GOLDEN, name, actual);

const FIT_ARGS = ['fit', 'examples/small-cloud.yaml', '--flavor', 'm1.large', '--flavor', 'r1.4xlarge'];

for (const format of ['table', 'json', 'yaml', 'ndjson', 'csv', 'markdown', 'openmetrics']) {
  test(`counts how many more fit on the bundled example as ${format}, byte for byte as reviewed`, () => {
    const run = runCli([...FIT_ARGS, '-f', format]);
    assert.equal(run.stderr, '');
    assert.equal(run.status, 0);
    matchesGolden(`small-cloud.fit.${format}`, run.stdout);
  });
}

test('counts pinned and GPU flavors on the NUMA/GPU example through NUMA and PCI', () => {
  const run = runCli(['fit', 'examples/numa-gpu.yaml', '--flavor', 'gpu.a100', '--flavor', 'pinned.large', '-f', 'table']);
  assert.equal(run.status, 0);
  matchesGolden('numa-gpu.fit.table', run.stdout);
});

test('accepts exactly the counted builds on each host, and refuses the next with the bottleneck', () => {
  const { flavors } = JSON.parse(runCli([...FIT_ARGS, '-f', 'json']).stdout);
  const original = readFileSync(join(PROJECT_ROOT, 'examples/small-cloud.yaml'), 'utf8');
  for (const { flavor, hosts } of flavors) {
    for (const { host, count, bottleneck } of hosts.slice(0, 3)) {
      const extra = Array.from({ length: count + 1 }, (_, n) => `  - {build: ${flavor}, name: extra-${n}, host: ${host}}`);
      const path = join(mkdtempSync(join(tmpdir(), 'claimplan-fit-')), 'plan.yaml');
      writeFileSync(path, `${original.trimEnd()}\n${extra.join('\n')}\n`);
      const { decisions } = JSON.parse(runCli(['replay', path, '-f', 'json']).stdout);
      const added = decisions.filter((d: { instance: string }) => d.instance.startsWith('extra-'));
      assert.deepEqual(added.slice(0, -1).map((d: { result: string }) => d.result), Array(count).fill('claimed'), `${flavor} on ${host}`);
      assert.equal(added.at(-1).result, 'rejected');
      assert.deepEqual(added.at(-1).reasons, bottleneck);
    }
  }
});

test('narrows to an aggregate, and exits 2 naming an unknown flavor or aggregate', () => {
  const { flavors } = JSON.parse(runCli([...FIT_ARGS, '--aggregate', 'highmem', '-f', 'json']).stdout);
  assert.deepEqual(flavors[0].hosts.map((h: { host: string }) => h.host), ['mem-01', 'mem-02']);
  const bad = runCli(['fit', 'examples/small-cloud.yaml', '--flavor', 'm9.huge', '--aggregate', 'nowhere']);
  assert.equal(bad.status, 2);
  assert.equal(bad.stdout, '');
  assert.match(bad.stderr, /--flavor m9\.huge: no such flavor/);
  assert.match(bad.stderr, /--aggregate nowhere: no host carries this label/);
});

test('reports unbounded hosts as unlimited, with a null total, when no filter limits the flavor', () => {
  const run = runCli([...FIT_ARGS, '--set', 'enabled_filters=ComputeFilter', '-f', 'json']);
  const { flavors } = JSON.parse(run.stdout);
  assert.equal(flavors[0].total, null);
  assert.deepEqual(flavors[0].hosts[0], { host: 'gen-01', count: null, bottleneck: [] });
});
