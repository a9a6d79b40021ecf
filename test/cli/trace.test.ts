// A plan whose requests come from an NDJSON trace: read once, checked as the replay
// streams it, and the report held back until the trace has been read to the end clean.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { runCli } from '../run-cli.ts';

const PLAN = `version: 1
hosts:
  - {name: "cmp-{n}", count: 20, vcpus: 64, memory_mb: 262144, local_gb: 4000}
flavors:
  - {name: m1, vcpus: 1, memory_mb: 512, root_gb: 1}
requests: {file: trace.ndjson}
`;

/** A plan beside a trace of `builds` builds (and as many deletes), then `lastLine`. */
function tracePlan(builds: number, lastLine = ''): { directory: string; plan: string } {
  const directory = mkdtempSync(join(tmpdir(), 'claimplan-trace-'));
  const lines: string[] = [];
  for (let n = 1; n <= builds; n++) lines.push(JSON.stringify({ build: 'm1', name: `vm-${n}` }), JSON.stringify({ delete: `vm-${n}` }));
  if (lastLine !== '') lines.push(lastLine);
  writeFileSync(join(directory, 'trace.ndjson'), `${lines.join('\n')}\n`);
  writeFileSync(join(directory, 'plan.yaml'), PLAN);
  return { directory, plan: join(directory, 'plan.yaml') };
}

function spilledFiles(): string[] {
  return readdirSync(tmpdir()).filter((name) => /^claimplan-\d+-\d+\.tmp$/.test(name));
}

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

test('holds back a report larger than memory holds, in a temporary file, and removes it after', () => {
  const before = spilledFiles();
  const { directory, plan } = tracePlan(40_000);
  const output = join(directory, 'report.ndjson');
  const toStdout = runCli(['replay', plan, '-f', 'ndjson']);
  assert.equal(toStdout.status, 0);
  assert.ok(toStdout.stdout.length > 4 * 2 ** 20, 'the report is larger than what is held in memory');
  assert.equal(runCli(['replay', plan, '-f', 'ndjson', '-o', output]).status, 0);
  assert.equal(toStdout.stdout, readFileSync(output, 'utf8'));
  const bad = tracePlan(40_000, '{"build": "m1", "name": "vm-1", "count": 2}');
  const refused = runCli(['replay', bad.plan, '-f', 'ndjson']);
  assert.equal(refused.status, 2);
  assert.equal(refused.stdout, '');
  assert.deepEqual(spilledFiles(), before, 'no held-back report is left behind');
});

test('validate reads the trace to the end and counts its requests', () => {
  const { plan } = tracePlan(25);
  const run = runCli(['validate', plan]);
  assert.equal(run.status, 0);
  assert.match(run.stderr, /valid \(20 hosts, 1 flavor, 50 requests\)/);
  assert.equal(runCli(['validate', tracePlan(25, '{"biuld": "m1"}').plan]).status, 2);
});

/** Waits up to `ms` for `holds` to become true, checking every 20 ms. */
async function eventually(holds: () => boolean, ms: number): Promise<boolean> {
  for (const start = Date.now(); Date.now() - start < ms; await sleep(20)) if (holds()) return true;
  return holds();
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  test(`removes the --output temporary file and the held-back report when a trace replay is stopped by ${signal}`, async () => {
    const { directory, plan } = tracePlan(300_000);
    const spilledBefore = spilledFiles();
    const bin = fileURLToPath(new URL('../../bin/claimplan.js', import.meta.url));
    const temporary = () => readdirSync(directory).filter((name) => name.endsWith('.tmp'));
    const toFile = spawn(process.execPath, [bin, 'replay', plan, '-f', 'ndjson', '-o', join(directory, 'rep.json')], { stdio: 'ignore' });
    const toStdout = spawn(process.execPath, [bin, 'replay', plan, '-f', 'ndjson'], { stdio: ['ignore', 'pipe', 'ignore'] });
    toStdout.stdout.resume();
    const spilling = () => spilledFiles().some((name) => !spilledBefore.includes(name) && name.startsWith(`claimplan-${toStdout.pid}-`));
    assert.ok(await eventually(() => temporary().length > 0 && spilling(), 20_000), 'both replays are under way');
    toFile.kill(signal);
    toStdout.kill(signal);
    const [[, fileSignal], [, stdoutSignal]] = await Promise.all([once(toFile, 'exit'), once(toStdout, 'exit')]);
    assert.deepEqual([fileSignal, stdoutSignal], [signal, signal], 'both were still replaying');
    assert.ok(await eventually(() => temporary().length === 0 && !spilling(), 5_000), `left behind: ${temporary()}`);
    assert.deepEqual(readdirSync(directory).sort(), ['plan.yaml', 'trace.ndjson']);
    rmSync(directory, { recursive: true });
  });
}

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
