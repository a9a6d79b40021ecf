// `claimplan expand` on the bundled examples, every format compared whole with a reviewed
// copy in test/fixtures/golden/. UPDATE_GOLDEN=1 rewrites the copies.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { assertMatchesGoldenIn } from '../golden-file.ts';
import { PROJECT_ROOT, runCli } from '../run-cli.ts';

const GOLDEN = join(PROJECT_ROOT, 'test/fixtures/golden');
const matchesGolden = (name: string, actual: string) => assertMatchesGoldenIn(GOLDEN, name, actual);

for (const format of ['table', 'json', 'yaml', 'ndjson', 'csv', 'markdown', 'openmetrics']) {
  test(`says how many r640s the growth example needs, as ${format}`, () => {
    const run = runCli(['expand', 'examples/growth.yaml', '--add', 'r640', '-f', format]);
    assert.equal(run.stderr, '');
    assert.equal(run.status, 0);
    matchesGolden(`growth.expand-r640.${format}`, run.stdout);
  });
}

test('answers per SKU in the order given, then the cheapest mix when every template has a cost', () => {
  const run = runCli(['expand', 'examples/growth.yaml', '--add', 'r640', '--add', 'r740']);
  assert.equal(run.status, 0);
  matchesGolden('growth.expand-mix.table', run.stdout);
  const json = JSON.parse(runCli(['expand', 'examples/growth.yaml', '--add', 'r640', '--add', 'r740', '-f', 'json']).stdout);
  assert.deepEqual(
    json.answers.map((answer: { add: { sku: string; count: number }[]; cost: number }) => [answer.add.map(({ sku, count }) => `${count} ${sku}`).join(' + '), answer.cost]),
    [
      ['4 r640', 36000],
      ['3 r740', 45000],
      ['4 r640 + 0 r740', 36000],
    ],
  );
  assert.deepEqual(json.summary, { add: 'r640', found: true, hosts: 4, cost: 36000, rejected: 3, method: 'exact', replays: 20 });
});

test('with --target failover:1, survives losing any one host too', () => {
  const run = runCli(['expand', 'examples/growth.yaml', '--add', 'r740', '--target', 'failover:1']);
  assert.equal(run.status, 0);
  matchesGolden('growth.expand-failover.table', run.stdout);
});

test('grows the bundled small cloud by a host group, surviving the loss of a host', () => {
  const run = runCli(['expand', 'examples/small-cloud.yaml', '--add', 'mem-{n:02}', '--target', 'failover:1', '-f', 'json']);
  assert.equal(run.status, 0);
  matchesGolden('small-cloud.expand-failover.json', run.stdout);
  const [answer] = JSON.parse(run.stdout).answers;
  assert.deepEqual(answer.names, ['mem-03']);
});

test('answers under the Placement model as well', () => {
  const run = runCli(['expand', 'examples/growth.yaml', '--add', 'r640', '--set', 'capacity_model=placement', '-f', 'json']);
  assert.equal(run.status, 0);
  matchesGolden('growth.expand-placement.json', run.stdout);
  assert.match(JSON.parse(run.stdout).answers[0].fewer.failed[0].reasons[0], /^No valid host was found\./);
});
