// A trace read on a thread of its own while the command replays it (src/cli/trace-reading.ts)
// against the same trace read on the command's thread: CLAIMPLAN_TRACE_THREAD_BYTES=0
// sends every trace to the reading thread, and each command answers byte for byte as it
// does without it — reports, located problems, exit codes — over a trace of every kind of
// request, one of many chunks, one with problems late in it, and a plan read from
// standard input.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { runCli, type CliRun } from '../run-cli.ts';
import { tracePlan } from '../cli/trace-plan.ts';

const PLAN = 'test/fixtures/threads/trace-cloud.yaml';
const ON_ITS_THREAD = { CLAIMPLAN_TRACE_THREAD_BYTES: '0' };

function bothWays(args: string[], input?: string): { here: CliRun; threaded: CliRun } {
  return { here: runCli(args, { input }), threaded: runCli(args, { input, env: ON_ITS_THREAD }) };
}

for (const args of [
  ['replay', PLAN, '-f', 'ndjson'],
  ['replay', PLAN, '--explain'],
  ['replay', PLAN, '-f', 'json', '--fail-on-reject'],
  ['failover', PLAN, '--each', 'host', '-f', 'json'],
  ['fit', PLAN, '--flavor', 'm1.large', '-f', 'csv'],
  ['consolidate', PLAN, '-f', 'json'],
]) {
  test(`\`claimplan ${args.join(' ')}\` answers the same with the trace read on a thread of its own`, () => {
    const { here, threaded } = bothWays(args);
    assert.ok(here.stdout.length > 0);
    assert.deepEqual(threaded, here);
  });
}

test('a trace of many chunks replays the same, and one with problems late in it is refused the same, nothing written', () => {
  const long = tracePlan(30_000);
  const bad = tracePlan(30_000, '{"build": "m1", "name": "vm-1", "count": 2}\n{"delete": "nobody"}\nnot json');
  try {
    const replayed = bothWays(['replay', long.plan, '-f', 'ndjson']);
    assert.equal(replayed.here.status, 0);
    assert.deepEqual(replayed.threaded, replayed.here);
    const refused = bothWays(['replay', bad.plan, '-f', 'ndjson']);
    assert.equal(refused.here.status, 2);
    assert.equal(refused.here.stdout, '');
    assert.match(refused.here.stderr, /trace\.ndjson:60003:1/);
    assert.deepEqual(refused.threaded, refused.here);
  } finally {
    rmSync(long.directory, { recursive: true });
    rmSync(bad.directory, { recursive: true });
  }
});

test('a plan read from standard input reads its trace on its thread the same', () => {
  const { directory } = tracePlan(2_000);
  try {
    const plan = readFileSync(`${directory}/plan.yaml`, 'utf8').replace('file: trace.ndjson', `file: ${directory}/trace.ndjson`);
    const { here, threaded } = bothWays(['replay', '-', '-f', 'csv'], plan);
    assert.equal(here.status, 0);
    assert.deepEqual(threaded, here);
  } finally {
    rmSync(directory, { recursive: true });
  }
});

test('ends quietly when standard output closes while the trace is still being read', () => {
  const { directory, plan } = tracePlan(30_000);
  const bin = fileURLToPath(new URL('../../bin/claimplan.js', import.meta.url));
  try {
    const run = spawnSync('/bin/sh', ['-c', `{ "${process.execPath}" "${bin}" replay "${plan}" -f ndjson; echo "exit $?" >&2; } | head -1 > /dev/null`], {
      encoding: 'utf8',
      env: { ...process.env, ...ON_ITS_THREAD },
    });
    assert.equal(run.stderr, 'exit 0\n');
  } finally {
    rmSync(directory, { recursive: true });
  }
});
