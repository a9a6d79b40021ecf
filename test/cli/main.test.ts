// The command line as a whole: version, help with examples, usage errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { PROJECT_ROOT, runCli } from '../run-cli.ts';

const COMMANDS = ['replay', 'fit', 'compare', 'sweep', 'validate', 'import', 'failover', 'expand', 'consolidate'];

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
