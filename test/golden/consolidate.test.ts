// `claimplan consolidate` on the bundled example, every format compared whole with a
// reviewed copy in test/fixtures/golden/. UPDATE_GOLDEN=1 rewrites the copies.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { assertMatchesGoldenIn } from '../golden-file.ts';
import { PROJECT_ROOT, runCli } from '../run-cli.ts';

const GOLDEN = join(PROJECT_ROOT, 'test/fixtures/golden');
const matchesGolden = (name: string, actual: string) => assertMatchesGoldenIn(GOLDEN, name, actual);

for (const format of ['table', 'json', 'yaml', 'ndjson', 'csv', 'markdown', 'openmetrics']) {
  test(`says which hosts of the bundled example live migration can empty, as ${format}`, () => {
    const run = runCli(['consolidate', 'examples/small-cloud.yaml', '-f', format]);
    assert.equal(run.stderr, '');
    assert.equal(run.status, 0);
    matchesGolden(`small-cloud.consolidate.${format}`, run.stdout);
  });
}

test('keeps each loss of a host no worse than it was, and says which hosts stay for it', () => {
  const run = runCli(['consolidate', 'examples/small-cloud.yaml', '--keep', 'failover:1']);
  assert.equal(run.status, 0);
  matchesGolden('small-cloud.consolidate-keep-failover.table', run.stdout);
});

test('empties hosts under the Placement model as well', () => {
  const run = runCli(['consolidate', 'examples/placement-cloud.yaml', '--set', 'capacity_model=placement', '-f', 'json']);
  assert.equal(run.status, 0);
  matchesGolden('placement-cloud.consolidate.json', run.stdout);
});
