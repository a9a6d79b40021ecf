// `claimplan consolidate`: usage errors and its help.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runCli } from '../run-cli.ts';

test('ends its help with real examples of the command', () => {
  const run = runCli(['consolidate', '--help']);
  assert.equal(run.status, 0);
  const examples = (run.stdout.split('\nExamples:\n')[1] ?? '').split('\n').filter((line) => line.trim().startsWith('$ claimplan consolidate '));
  assert.ok(examples.length >= 2 && examples.length <= 3);
});

test('exits 2 on a --keep it cannot read, with nothing on standard output', () => {
  for (const keep of ['failover', 'failover:0', 'hosts:2']) {
    const run = runCli(['consolidate', 'examples/small-cloud.yaml', '--keep', keep]);
    assert.equal(run.status, 2, keep);
    assert.equal(run.stdout, '');
    assert.match(run.stderr, new RegExp(`option '--keep <target>' argument '${keep}' is invalid\\. must be failover:N`));
  }
});
