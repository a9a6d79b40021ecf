// `claimplan consolidate`'s own usage rule: a --keep it cannot read (its help and examples:
// test/cli/main.test.ts, for every command).
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
