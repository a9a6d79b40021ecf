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
