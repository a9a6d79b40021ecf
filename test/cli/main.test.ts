// The command line as a whole: version, help with examples, usage errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PROJECT_ROOT, runCli } from '../run-cli.ts';

const COMMANDS = ['replay', 'fit', 'compare', 'sweep', 'validate', 'import', 'failover', 'expand', 'consolidate', 'forecast'];

test('prints the version package.json gives', () => {
  const { version } = JSON.parse(readFileSync(`${PROJECT_ROOT}/package.json`, 'utf8')) as { version: string };
  const run = runCli(['--version']);
  assert.equal(run.status, 0);
  assert.equal(run.stdout, `${version}\n`);
});

test('ends every command\'s help with real examples that name that command', () => {
  for (const command of COMMANDS) {
    const run = runCli([command, '--help']);
    assert.equal(run.status, 0, command);
    const examples = run.stdout.split('\nExamples:\n')[1] ?? '';
    const lines = examples.split('\n').filter((line) => line.trim().startsWith('$ claimplan '));
    assert.ok(lines.length >= 2, `${command} --help shows at least two examples`);
    for (const line of lines) assert.match(line, new RegExp(`claimplan ${command} `), command);
  }
});

test('a bare `claimplan` prints its help on standard error and exits 2, as for a missing command', () => {
  const run = runCli([]);
  assert.equal(run.status, 2);
  assert.equal(run.stdout, '');
  assert.match(run.stderr, /^Usage: claimplan /);
  assert.equal(runCli(['help']).status, 0);
});

test('every usage error, commander\'s and claimplan\'s own, begins `claimplan:`', () => {
  for (const args of [['replay', '--bogus'], ['nosuch'], ['fit', 'examples/small-cloud.yaml'], ['replay', 'examples/small-cloud.yaml', '-f', 'xml'], ['fit', 'examples/small-cloud.yaml', '--flavor', 'zz']]) {
    const run = runCli(args);
    assert.equal(run.status, 2, args.join(' '));
    assert.match(run.stderr, /^claimplan: /, args.join(' '));
    assert.doesNotMatch(run.stderr, /^error:/m, args.join(' '));
  }
});

test('no help shows `(default: [])` for a repeatable option', () => {
  for (const command of COMMANDS) {
    const run = runCli([command, '--help']);
    assert.doesNotMatch(run.stdout.replace(/\s+/g, ' '), /default: \[\]/, command);
  }
  assert.match(runCli(['replay', '--help']).stdout.replace(/\s+/g, ' '), /default: "table"\)/);
});

/** A folder to run examples in: the bundled examples, `plan.yaml` a copy of one, and `claimplan` on PATH. */
function exampleFolder(): { folder: string; env: NodeJS.ProcessEnv } {
  const folder = mkdtempSync(join(tmpdir(), 'claimplan-examples-'));
  cpSync(join(PROJECT_ROOT, 'examples'), join(folder, 'examples'), { recursive: true });
  copyFileSync(join(PROJECT_ROOT, 'examples/small-cloud.yaml'), join(folder, 'plan.yaml'));
  const bin = join(folder, '.bin');
  mkdirSync(bin);
  writeFileSync(join(bin, 'claimplan'), `#!/bin/sh\nexec "${process.execPath}" "${join(PROJECT_ROOT, 'bin/claimplan.js')}" "$@"\n`, { mode: 0o755 });
  // No cloud of the machine running the tests: a live import finds no clouds.yaml.
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('OS_') && name !== 'FORCE_COLOR'));
  return { folder, env: { ...env, PATH: `${bin}:${process.env.PATH}`, HOME: folder, XDG_CONFIG_HOME: join(folder, '.config'), NO_COLOR: '1' } };
}

/** The files an example line names for its output: after -o, --output, --chart, --save-exports or >. */
function namedOutputs(commandLine: string): string[] {
  const words = commandLine.split(/\s+/);
  return words.flatMap((word, index) => (['-o', '--output', '--chart', '--save-exports', '>'].includes(word) ? [words[index + 1].replace(/\/$/, '')] : []));
}

test('runs every example in every command\'s help through sh as written: no internal error, no stack trace, no stray file', () => {
  const { folder, env } = exampleFolder();
  for (const command of COMMANDS) {
    const help = runCli([command, '--help']).stdout;
    const examples = help.split('\n').filter((line) => line.trim().startsWith('$ ')).map((line) => line.trim().slice(2));
    for (const example of examples) {
      const before = new Set(readdirSync(folder));
      const run = spawnSync('/bin/sh', ['-c', example], { cwd: folder, env, encoding: 'utf8', timeout: 60_000 });
      assert.ok(run.status === 0 || run.status === 1 || run.status === 2, `${example}: exit ${run.status}\n${run.stderr}`);
      assert.doesNotMatch(run.stderr, /internal error|^\s+at /m, example);
      const created = readdirSync(folder).filter((name) => !before.has(name));
      assert.deepEqual(created.filter((name) => !namedOutputs(example).includes(name)), [], `${example} left files it does not name`);
      for (const name of created) rmSync(join(folder, name), { recursive: true });
    }
  }
  rmSync(folder, { recursive: true });
});
