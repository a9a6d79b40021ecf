// Loading plans and running a report: a bad plan's problems one located line each, then
// their count, exit 2 and nothing written; a trace read once, checked as the replay streams
// it, and the report held back until the trace has been read to the end clean, problems
// found late ending with no report and exit 2.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../run-cli.ts';
import { tracePlan } from './trace-plan.ts';

test('stops at a bad line at the end of a trace with the located error, printing no report', () => {
  const { plan } = tracePlan(50, '{"build": "m2", "name": "late"}');
  const run = runCli(['replay', plan, '-f', 'ndjson']);
  assert.equal(run.status, 2);
  assert.equal(run.stdout, '');
  assert.match(run.stderr, /trace\.ndjson:101:11 {2}requests\[100\]\.build {2}unknown flavor `m2`/);
  assert.match(run.stderr, /1 problem found; no report was written/);
});

test('writes no --output file when a trace turns out bad after the replay began', () => {
  const { directory, plan } = tracePlan(50, '{"delete": "never-built"}');
  const output = join(directory, 'report.json');
  assert.equal(runCli(['replay', plan, '-f', 'json', '-o', output]).status, 2);
  assert.equal(existsSync(output), false);
  assert.deepEqual(readdirSync(directory).sort(), ['plan.yaml', 'trace.ndjson']);
});

test('counts the problems a trace did not show in the total it ends with', () => {
  const { directory, plan } = tracePlan(0);
  const lines = Array.from({ length: 250 }, (_, n) => JSON.stringify({ build: 'zz', name: `vm-${n}` }));
  writeFileSync(join(directory, 'trace.ndjson'), `${lines.join('\n')}\n`);
  const run = runCli(['validate', plan]);
  assert.equal(run.status, 2);
  const stderr = run.stderr.trimEnd().split('\n');
  assert.match(stderr.at(-2)!, /trace\.ndjson:250:10 {2}and 150 more problems in this trace, the last one here$/);
  assert.equal(stderr.at(-1), 'claimplan: 250 problems found; no report was written');
  rmSync(directory, { recursive: true });
});

test('reports the ten mistakes of the fixture as ten located lines and exits 2, printing no result', () => {
  const run = runCli(['replay', 'test/fixtures/plan/ten-mistakes.yaml']);
  assert.equal(run.status, 2);
  assert.equal(run.stdout, '');
  const lines = run.stderr.trimEnd().split('\n');
  assert.equal(lines.length, 11);
  for (const line of lines.slice(0, 10)) assert.match(line, /^test\/fixtures\/plan\/ten-mistakes\.yaml:\d+:\d+ {2}\S+ {2}\S/);
  assert.equal(lines[10], 'claimplan: 10 problems found; nothing was replayed');
});

test('writes no output file at all when the plan is bad', () => {
  const dir = mkdtempSync(join(tmpdir(), 'claimplan-out-'));
  const target = join(dir, 'report.json');
  const plan = join(dir, 'plan.yaml');
  writeFileSync(plan, 'version: 1\nhosts: 3\n');
  assert.equal(runCli(['replay', plan, '-o', target]).status, 2);
  assert.equal(existsSync(target), false);
  assert.deepEqual(readdirSync(dir), ['plan.yaml']);
});
