// `claimplan failover` on the bundled example, every format compared whole with a reviewed
// copy in test/fixtures/golden/. UPDATE_GOLDEN=1 rewrites the copies.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { assertMatchesGoldenIn } from '../golden-file.ts';
import { PROJECT_ROOT, runCli } from '../run-cli.ts';

const GOLDEN = join(PROJECT_ROOT, 'test/fixtures/golden');
const matchesGolden = (name: string, actual: string) => assertMatchesGoldenIn(GOLDEN, name, actual);

for (const format of ['table', 'json', 'yaml', 'ndjson', 'csv', 'markdown', 'openmetrics']) {
  test(`ranks losing each host of the bundled example as ${format}, worst first`, () => {
    const run = runCli(['failover', 'examples/small-cloud.yaml', '--each', 'host', '-f', format]);
    assert.equal(run.stderr, '');
    assert.equal(run.status, 0);
    matchesGolden(`small-cloud.failover-each-host.${format}`, run.stdout);
  });
}

test('loses a host and an aggregate together, listing every evacuation', () => {
  const run = runCli(['failover', 'examples/small-cloud.yaml', '--lose', 'gen-01', '--lose', 'aggregate:az2']);
  assert.equal(run.status, 0);
  matchesGolden('small-cloud.failover-lose.table', run.stdout);
});

test('finds the worst pair of hosts by trying every pair, and says so', () => {
  const run = runCli(['failover', 'examples/small-cloud.yaml', '--k', '2', '-f', 'json']);
  assert.equal(run.status, 0);
  matchesGolden('small-cloud.failover-k2.json', run.stdout);
  assert.deepEqual(JSON.parse(run.stdout).summary, { scenarios: 1, stranding: 1, placed: 1, stranded: 3, method: 'exact', combinations: 21, evaluated: 21 });
});

test('ranks losing each aggregate, the whole of az1 first, each scenario named after its aggregate', () => {
  const run = runCli(['failover', 'examples/small-cloud.yaml', '--each', 'aggregate', '-f', 'json']);
  assert.equal(run.status, 0);
  const scenarios = JSON.parse(run.stdout).scenarios as { lost: string[]; aggregate: string; stranded: unknown[] }[];
  assert.deepEqual(
    scenarios.map((s) => [s.aggregate, s.lost.join(','), s.stranded.length]),
    [
      ['az1', 'gen-01,gen-02,gen-03,gen-04,mem-01,mem-02', 11],
      ['general', 'gen-01,gen-02,gen-03,gen-04', 6],
      ['az2', 'edge-01', 2],
      ['highmem', 'mem-01,mem-02', 1],
    ],
  );
});

test('names the aggregate lost in the table, the CSV and the OpenMetrics label', () => {
  const each = (format: string) => runCli(['failover', 'examples/small-cloud.yaml', '--each', 'aggregate', '-f', format]).stdout;
  assert.match(each('table'), /│ aggregate:general \(4 hosts\) +│/);
  assert.match(each('csv'), /^aggregate:az2,edge-app-1,/m);
  assert.match(each('openmetrics'), /^claimplan_failover_stranded_instances\{lost="aggregate:az1"\} 11$/m);
});
