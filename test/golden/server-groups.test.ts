// Server groups in a plan (docs/plan-format.md, "Server groups"): each report
// is compared whole with reviewed copies in test/fixtures/golden/; UPDATE_GOLDEN=1 rewrites them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { assertMatchesGoldenIn } from '../golden-file.ts';
import { PROJECT_ROOT, runCli } from '../run-cli.ts';

const GOLDEN = join(PROJECT_ROOT, 'test/fixtures/golden');

for (const format of ['table', 'json']) {
  test(`replays builds in server groups as ${format}: filtered, weighed, refused in Nova's words and explained`, () => {
    const run = runCli(['replay', 'test/fixtures/server-groups.yaml', '-f', format, '--explain']);
    assert.equal(run.stderr, '');
    assert.equal(run.status, 0);
    assertMatchesGoldenIn(GOLDEN, `server-groups.${format}`, run.stdout);
  });
}

test('evacuates server group members by their policies when each host is lost', () => {
  const run = runCli(['failover', 'test/fixtures/server-groups.yaml', '--each', 'host']);
  assert.equal(run.status, 0);
  assertMatchesGoldenIn(GOLDEN, 'server-groups.failover.table', run.stdout);
});
