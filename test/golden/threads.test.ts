// sweep and expand on threads, which replay the requests the command checked and encoded
// once, against --jobs 1, which replays them in the command's own thread: a trace of every
// kind of request gives the same sweep byte for byte, and expand the same answer (the
// counts it tries depend on --jobs: docs/output.md, "expand").
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { assertMatchesGoldenIn } from '../golden-file.ts';
import { PROJECT_ROOT, runCli } from '../run-cli.ts';

const GOLDEN = join(PROJECT_ROOT, 'test/fixtures/golden');
const PLAN = 'test/fixtures/threads/trace-cloud.yaml';

test('sweeps a trace on threads to the report --jobs 1 makes, byte for byte as reviewed', () => {
  const args = ['sweep', PLAN, '--vary', 'cpu_allocation_ratio=1:4:1', '--flavor', 'm1.large', '-f', 'json'];
  for (const jobs of ['1', '2', '3']) {
    const run = runCli([...args, '--jobs', jobs]);
    assert.equal(run.stderr, '');
    assert.equal(run.status, 0);
    assertMatchesGoldenIn(GOLDEN, 'threads.sweep.json', run.stdout);
  }
});

test('expands a trace on threads to the answer --jobs 1 finds, each byte for byte as reviewed', () => {
  const args = ['expand', PLAN, '--add', 'cmp-05', '-f', 'json'];
  const reports = ['1', '2'].map((jobs) => {
    const run = runCli([...args, '--jobs', jobs]);
    assert.equal(run.stderr, '');
    assert.equal(run.status, 0);
    assertMatchesGoldenIn(GOLDEN, `threads.expand-cmp-05.jobs-${jobs}.json`, run.stdout);
    return JSON.parse(run.stdout);
  });
  const [alone, threaded] = reports.map((report) => ({ summary: { ...report.summary, replays: null }, answer: { ...report.answers[0], search: null } }));
  assert.deepEqual(threaded, alone);
});
