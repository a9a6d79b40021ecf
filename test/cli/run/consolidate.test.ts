// `claimplan consolidate`'s own rules: a --keep it cannot read refused before any work, and
// --keep failover:N handed to the engine (its help and examples: test/cli/main.test.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runCli } from '../../run-cli.ts';

test('exits 2 on a --keep it cannot read, with nothing on standard output', () => {
  for (const keep of ['failover', 'failover:0', 'hosts:2']) {
    const run = runCli(['consolidate', 'examples/small-cloud.yaml', '--keep', keep]);
    assert.equal(run.status, 2, keep);
    assert.equal(run.stdout, '');
    assert.match(run.stderr, new RegExp(`option '--keep <target>' argument '${keep}' is invalid\\. must be failover:N`));
  }
});

test('--keep failover:N makes the engine keep the worst loss of N hosts no worse, and empties fewer hosts for it', () => {
  const summary = (...keep: string[]) => {
    const run = runCli(['consolidate', 'examples/small-cloud.yaml', ...keep, '-f', 'json']);
    assert.equal(run.status, 0, run.stderr);
    return JSON.parse(run.stdout).summary;
  };
  const free = summary();
  const kept = summary('--keep', 'failover:1');
  assert.equal(free.failover, undefined);
  assert.deepEqual(kept.failover, { hosts: 1, before: 2, after: 2 });
  assert.ok(kept.emptied < free.emptied, `${kept.emptied} emptied keeping failover, ${free.emptied} without`);
});
