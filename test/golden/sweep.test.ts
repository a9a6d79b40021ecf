// `claimplan sweep` on the bundled example, every format compared whole with a reviewed copy.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assertMatchesGoldenIn } from '../golden-file.ts';
import { PROJECT_ROOT, runCli } from '../run-cli.ts';

const GOLDEN = join(PROJECT_ROOT, 'test/fixtures/golden');
const matchesGolden = (name: string, actual: string) => assertMatchesGoldenIn(GOLDEN, name, actual);

const SWEEP = ['sweep', 'examples/small-cloud.yaml', '--vary', 'cpu_allocation_ratio=16:1:-3', '--flavor', 'm1.large', '--flavor', 'c1.8xlarge'];

for (const format of ['table', 'json', 'yaml', 'ndjson', 'csv', 'markdown']) {
  test(`sweeps cpu_allocation_ratio on the example as ${format}, byte for byte as reviewed`, () => {
    const run = runCli([...SWEEP, '-f', format]);
    assert.equal(run.stderr, '');
    assert.equal(run.status, 0);
    matchesGolden(`small-cloud.sweep.${format}`, run.stdout);
  });
}

test('calls out the first value at which a build that was claimed is rejected, naming it', () => {
  const plan = `version: 1
cloud: {enabled_filters: [CoreFilter]}
hosts: [{name: a, vcpus: 4, memory_mb: 65536, local_gb: 500}]
flavors: [{name: m1, vcpus: 2, memory_mb: 1024, root_gb: 10}]
requests: [{build: m1, count: 6}]
`;
  const path = join(mkdtempSync(join(tmpdir(), 'claimplan-sweep-')), 'plan.yaml');
  writeFileSync(path, plan);
  const run = runCli(['sweep', path, '--vary', 'cpu_allocation_ratio=4:1:-1', '-f', 'json']);
  const report = JSON.parse(run.stdout);
  assert.deepEqual(report.points.map((p: { rejected: number }) => p.rejected), [0, 0, 2, 4]);
  assert.deepEqual(report.turning_points.first_claim_lost, { value: 2, previous: 3, count: 2, seq: 5, instance: 'm1-5' });
  assert.match(
    runCli(['sweep', path, '--vary', 'cpu_allocation_ratio=4:1:-1']).stdout,
    /First claim lost at cpu_allocation_ratio = 2: m1-5 \(seq 5\) \(and 1 more\), claimed at 3, is rejected\./,
  );
});

test('sweeps a host group\'s count, adding empty hosts', () => {
  const run = runCli(['sweep', 'examples/small-cloud.yaml', '--vary', 'hosts.gen-{n:02}.count=2:6:2', '--flavor', 'm1.large', '-f', 'json']);
  const { points } = JSON.parse(run.stdout);
  assert.deepEqual(points.map((p: { fit: { total: number }[] }) => p.fit[0].total), [17, 37, 59]);
});

test('writes the chart as a standalone SVG with --chart', () => {
  const chart = join(mkdtempSync(join(tmpdir(), 'claimplan-chart-')), 'sweep.svg');
  assert.equal(runCli([...SWEEP, '-f', 'csv', '--chart', chart]).status, 0);
  const svg = readFileSync(chart, 'utf8');
  assert.match(svg, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
  assert.equal(svg.match(/<polyline /g)?.length, 4);
});

test('exits 2 for a malformed range, an invalid value or an unknown group', () => {
  for (const vary of ['cpu_allocation_ratio=1:4', 'cpu_allocation_ratio=1:4:0', 'ram_allocation_ratio=-1:1:1', 'hosts.nope.count=1:2:1', 'cpu_alocation_ratio=1:2:1']) {
    const run = runCli(['sweep', 'examples/small-cloud.yaml', '--vary', vary]);
    assert.equal(run.status, 2, vary);
    assert.equal(run.stdout, '', vary);
  }
});
