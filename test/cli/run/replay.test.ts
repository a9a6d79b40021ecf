// `claimplan replay`: exit codes, standard input, --output written whole, pipes and colour.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PROJECT_ROOT, runCli } from '../../run-cli.ts';

const PLAN = `version: 1
hosts:
  - {name: a, vcpus: 4, memory_mb: 4096, local_gb: 100}
flavors:
  - {name: m1, vcpus: 1, memory_mb: 2048, root_gb: 10}
requests:
  - {build: m1, name: one, expect: claimed}
  - {build: m1, name: two}
  - {build: m1, name: three, expect: claimed}
`;

function planFile(text: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'claimplan-')), 'plan.yaml');
  writeFileSync(path, text);
  return path;
}

test('exits 1 when an expectation fails, after printing the whole report', () => {
  const run = runCli(['replay', planFile(PLAN), '-f', 'json']);
  assert.equal(run.status, 1);
  const report = JSON.parse(run.stdout);
  assert.equal(report.summary.expectations_failed, 1);
});

test('exits 0 when every expectation holds, and 1 with --fail-on-reject when something was rejected', () => {
  const held = PLAN.replace('{build: m1, name: three, expect: claimed}', '{build: m1, name: three, expect: rejected}');
  assert.equal(runCli(['replay', planFile(held), '-f', 'json']).status, 0);
  assert.equal(runCli(['replay', planFile(held), '-f', 'json', '--fail-on-reject']).status, 1);
});

test('exits 2 with located errors and nothing on stdout for a bad plan', () => {
  const run = runCli(['replay', planFile(PLAN.replace('memory_mb: 4096', 'memory_mb: -4'))]);
  assert.equal(run.status, 2);
  assert.equal(run.stdout, '');
  assert.match(run.stderr, /plan\.yaml:3:\d+ {2}hosts\[0\]\.memory_mb {2}/);
  assert.doesNotMatch(run.stderr, /\n\s+at /, 'no stack trace');
});

test('exits 2 on a usage error such as an unknown format', () => {
  const run = runCli(['replay', 'examples/small-cloud.yaml', '-f', 'xml']);
  assert.equal(run.status, 2);
  assert.equal(run.stdout, '');
});

test('reads a plan from standard input when given -', () => {
  const run = runCli(['replay', '-', '-f', 'ndjson'], { input: PLAN });
  const lines = run.stdout.trim().split('\n').map((line) => JSON.parse(line));
  assert.equal(lines.length, 4);
  assert.deepEqual(lines[3].summary.claimed, 2);
});

test('writes --output whole, leaving no temporary file beside it', () => {
  const dir = mkdtempSync(join(tmpdir(), 'claimplan-out-'));
  const target = join(dir, 'report.json');
  const run = runCli(['replay', 'examples/small-cloud.yaml', '-f', 'json', '-o', target]);
  assert.equal(run.status, 0);
  assert.equal(run.stdout, '');
  assert.ok(JSON.parse(readFileSync(target, 'utf8')).summary);
  assert.deepEqual(readdirSync(dir), ['report.json']);
});

test('writes no output file at all when the plan is bad', () => {
  const dir = mkdtempSync(join(tmpdir(), 'claimplan-out-'));
  const target = join(dir, 'report.json');
  runCli(['replay', planFile('version: 1\nhosts: 3\n'), '-o', target]);
  assert.equal(existsSync(target), false);
  assert.deepEqual(readdirSync(dir), []);
});

test('ends quietly when the reader of its output goes away, as with | head', async () => {
  const trace = ['version: 1', 'hosts: [{name: a, vcpus: 4, memory_mb: 4096, local_gb: 100}]', 'flavors: [{name: m1, vcpus: 1, memory_mb: 1, root_gb: 0}]', 'requests:', '  - {build: m1, count: 200000}'].join('\n');
  const child = spawn(process.execPath, ['bin/claimplan.js', 'replay', planFile(trace), '-f', 'ndjson'], { cwd: PROJECT_ROOT });
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  child.stdout.once('data', () => child.stdout.destroy());
  const code = await new Promise<number | null>((resolve) => child.on('close', (status) => resolve(status)));
  assert.equal(stderr, '');
  assert.equal(code, 0);
});

test('prints no colour codes when piped, and colours when FORCE_COLOR is set', () => {
  const ESC = String.fromCharCode(27);
  assert.ok(!runCli(['replay', 'examples/small-cloud.yaml']).stdout.includes(ESC));
  assert.ok(runCli(['replay', 'examples/small-cloud.yaml'], { env: { FORCE_COLOR: '1' } }).stdout.includes(ESC));
  assert.ok(!runCli(['replay', 'examples/small-cloud.yaml'], { env: { NO_COLOR: '1' } }).stdout.includes(ESC));
});

test('reads standard input piped from another claimplan, reporting the content, not a read failure', () => {
  // The case that once failed with EAGAIN: the upstream Node process leaves the pipe non-blocking.
  const node = JSON.stringify(process.execPath);
  const pipeline = `${node} bin/claimplan.js replay examples/small-cloud.yaml -f json | ${node} bin/claimplan.js validate -`;
  const run = spawnSync('bash', ['-c', pipeline], { cwd: PROJECT_ROOT, encoding: 'utf8' });
  assert.equal(run.status, 2);
  assert.match(run.stderr, /^<stdin>:1:1 {2}missing `version`/);
  assert.doesNotMatch(run.stderr, /cannot read|EAGAIN/);
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
