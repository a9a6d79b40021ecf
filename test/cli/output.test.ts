// Where reports go: a file that cannot take one is the user's input (exit 2, one line,
// nothing left behind); standard output that closes early ends quietly.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PROJECT_ROOT, runCli } from '../run-cli.ts';
import { spilledFiles, tracePlan } from './trace-plan.ts';

const BIN = fileURLToPath(new URL('../../bin/claimplan.js', import.meta.url));
const IMPORT_FIXTURES = 'test/fixtures/import/osc';

const scratches: string[] = [];
after(() => scratches.forEach((directory) => rmSync(directory, { recursive: true })));

function scratch(): string {
  const directory = mkdtempSync(join(tmpdir(), 'claimplan-output-'));
  scratches.push(directory);
  copyFileSync(join(PROJECT_ROOT, 'examples/small-cloud.yaml'), join(directory, 'plan.yaml'));
  mkdirSync(join(directory, 'reports'));
  return directory;
}

function assertRefused(args: string[], file: string, reason: RegExp): void {
  const run = runCli(args);
  assert.equal(run.status, 2, `${args.join(' ')}: ${run.stderr}`);
  assert.equal(run.stdout, '');
  // An import's warnings on what it read may come before.
  const lines = run.stderr.trimEnd().split('\n').filter((line) => !line.includes('warning:'));
  assert.equal(lines.length, 1, run.stderr);
  assert.match(lines[0], new RegExp(`^claimplan: cannot write ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: ${reason.source}`));
}

test('refuses a report, a chart or an imported plan whose directory does not exist, with exit 2 and one line', () => {
  const directory = scratch();
  const plan = join(directory, 'plan.yaml');
  const missing = join(directory, 'nonexistent/x.json');
  assertRefused(['replay', plan, '-o', missing], missing, /no such directory .*nonexistent/);
  assertRefused(['sweep', plan, '--vary', 'cpu_allocation_ratio=2:4:1', '--chart', missing.replace('.json', '.svg')], missing.replace('.json', '.svg'), /no such directory .*nonexistent/);
  assertRefused(['import', `${IMPORT_FIXTURES}/hypervisors-show.json`, `${IMPORT_FIXTURES}/flavors.json`, '-o', missing], missing, /no such directory .*nonexistent/);
  assertRefused(['replay', plan, '-o', join(plan, 'x.json')], join(plan, 'x.json'), /.*plan\.yaml is not a directory/);
  assert.deepEqual(readdirSync(directory).sort(), ['plan.yaml', 'reports']);
});

test('refuses a directory as the report file and leaves no hidden temporary file beside it', () => {
  const directory = scratch();
  const reports = join(directory, 'reports');
  assertRefused(['replay', join(directory, 'plan.yaml'), '-f', 'json', '-o', reports], reports, /is a directory/);
  assert.deepEqual(readdirSync(directory).sort(), ['plan.yaml', 'reports']);
  assert.deepEqual(readdirSync(reports), []);
});

test('refuses a directory it may not write in', { skip: !existsSync('/sys/kernel') }, () => {
  assertRefused(['replay', 'examples/small-cloud.yaml', '-o', '/sys/claimplan-report.json'], '/sys/claimplan-report.json', /permission denied|read-only file system/);
  assertRefused(['import', `${IMPORT_FIXTURES}/hypervisors-show.json`, `${IMPORT_FIXTURES}/flavors.json`, '-o', '/sys/cloud.yaml'], '/sys/cloud.yaml', /permission denied|read-only file system/);
});

test('refuses to write a report over one of its inputs: the plan, its trace or an export', () => {
  const directory = scratch();
  const plan = join(directory, 'plan.yaml');
  const before = readFileSync(plan, 'utf8');
  assertRefused(['replay', plan, '-o', plan], plan, /it is an input of this command; choose another file/);
  assertRefused(['compare', plan, '--set', 'cpu_allocation_ratio=4', '-o', `${directory}/./plan.yaml`], `${directory}/./plan.yaml`, /it is an input/);
  assert.equal(readFileSync(plan, 'utf8'), before);
  const flavors = `${IMPORT_FIXTURES}/flavors.json`;
  assertRefused(['import', `${IMPORT_FIXTURES}/hypervisors-show.json`, flavors, '-o', flavors], flavors, /it is an input/);
  assertRefused(['sweep', plan, '--vary', 'cpu_allocation_ratio=2:4:1', '-o', join(directory, 'a.txt'), '--chart', join(directory, 'a.txt')], join(directory, 'a.txt'), /it is named twice/);
  assert.deepEqual(readdirSync(directory).sort(), ['plan.yaml', 'reports']);
});

test('writes the report into place and nothing beside it', () => {
  const directory = scratch();
  const report = join(directory, 'reports/report.json');
  assert.equal(runCli(['replay', join(directory, 'plan.yaml'), '-f', 'json', '-o', report]).status, 0);
  assert.ok(statSync(report).size > 0);
  assert.deepEqual(readdirSync(join(directory, 'reports')), ['report.json']);
});

for (const args of [['--version'], ['--help'], ['help', 'fit'], ['fit', '--help']]) {
  test(`ends quietly when standard output closes before \`claimplan ${args.join(' ')}\` is written`, () => {
    for (let attempt = 0; attempt < 3; attempt++) {
      const run = spawnSync('/bin/sh', ['-c', `{ "${process.execPath}" "${BIN}" ${args.join(' ')}; echo "exit $?" >&2; } | head -0`], { encoding: 'utf8' });
      assert.equal(run.stderr, 'exit 0\n');
    }
  });
}

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

test('prints no colour codes when piped, and colours when FORCE_COLOR is set', () => {
  const ESC = String.fromCharCode(27);
  assert.ok(!runCli(['replay', 'examples/small-cloud.yaml']).stdout.includes(ESC));
  assert.ok(runCli(['replay', 'examples/small-cloud.yaml'], { env: { FORCE_COLOR: '1' } }).stdout.includes(ESC));
  assert.ok(!runCli(['replay', 'examples/small-cloud.yaml'], { env: { NO_COLOR: '1' } }).stdout.includes(ESC));
});
