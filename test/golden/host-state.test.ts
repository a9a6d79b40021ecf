// Hosts going down and up in a plan (docs/plan-format.md, "down and up"): the report
// is compared whole with reviewed copies in test/fixtures/golden/; UPDATE_GOLDEN=1 rewrites them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { assertMatchesGoldenIn } from '../golden-file.ts';
import { PROJECT_ROOT, runCli } from '../run-cli.ts';

const GOLDEN = join(PROJECT_ROOT, 'test/fixtures/golden');

for (const format of ['table', 'json']) {
  test(`replays a host going down and up as ${format}: passed over, refused by name, counted under down`, () => {
    const run = runCli(['replay', 'test/fixtures/host-down.yaml', '-f', format, '--explain']);
    assert.equal(run.stderr, '');
    assert.equal(run.status, 0);
    assertMatchesGoldenIn(GOLDEN, `host-down.${format}`, run.stdout);
  });
}
