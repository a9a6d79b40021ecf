// Moves in a plan (docs/plan-format.md, "Moves"; docs/semantics.md, "Moves"): resize,
// confirm, revert, cold and live migration and evacuation, what Nova refuses on the way,
// in both capacity models and with NUMA and PCI re-fitted on the destination. Each report
// is compared whole with reviewed copies in test/fixtures/golden/; UPDATE_GOLDEN=1 rewrites them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { assertMatchesGoldenIn } from '../golden-file.ts';
import { PROJECT_ROOT, runCli } from '../run-cli.ts';

const GOLDEN = join(PROJECT_ROOT, 'test/fixtures/golden');

for (const format of ['table', 'json', 'csv', 'ndjson']) {
  test(`replays every move as ${format}, each expectation met`, () => {
    const run = runCli(['replay', 'test/fixtures/moves.yaml', '-f', format]);
    assert.equal(run.stderr, '');
    assert.equal(run.status, 0);
    assertMatchesGoldenIn(GOLDEN, `moves.${format}`, run.stdout);
  });
}

test('replays every move under the Placement model: the same decisions, with the allocations moved', () => {
  const run = runCli(['replay', 'test/fixtures/moves.yaml', '--set', 'capacity_model=placement', '-f', 'json']);
  assert.equal(run.status, 0, run.stderr);
  assertMatchesGoldenIn(GOLDEN, 'moves.placement.json', run.stdout);
  const legacy = JSON.parse(runCli(['replay', 'test/fixtures/moves.yaml', '-f', 'json']).stdout);
  const placement = JSON.parse(run.stdout);
  const outcome = (d: { result: string; host: string | null; from?: string | null }) => [d.result, d.host, d.from];
  assert.deepEqual(placement.decisions.map(outcome), legacy.decisions.map(outcome));
});

test('fits NUMA and PCI afresh on a move\'s destination and keeps the source\'s until confirm', () => {
  const run = runCli(['replay', 'examples/numa-gpu.yaml', 'test/fixtures/moves-numa-gpu.yaml']);
  assert.equal(run.status, 0, run.stderr);
  assertMatchesGoldenIn(GOLDEN, 'moves-numa-gpu.table', run.stdout);
});

test('confirms each move as it lands when the cloud says so: a second resize goes ahead, a confirm finds nothing', () => {
  const run = runCli(['replay', 'test/fixtures/moves.yaml', '--set', 'auto_confirm_moves=true', '-f', 'json']);
  assert.equal(run.status, 1, 'the plan\'s expectations were written for moves that wait for confirm');
  const [, , , resize, again, confirm] = JSON.parse(run.stdout).decisions;
  assert.deepEqual([resize.result, again.result, again.from, again.host], ['claimed', 'claimed', 'cmp-3', 'cmp-1']);
  assert.equal(confirm.reasons[0], "Cannot 'confirmResize' instance app-1 while it is in vm_state active");
});
