// `claimplan failover`: usage errors before any replay, and --fail-if-stranded's exit code.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runCli } from '../../run-cli.ts';

test('exits 2 unless exactly one of --lose, --each and --k is given', () => {
  for (const args of [[], ['--lose', 'gen-01', '--each', 'host'], ['--k', '1', '--each', 'host']]) {
    const run = runCli(['failover', 'examples/small-cloud.yaml', ...args]);
    assert.equal(run.status, 2, args.join(' '));
    assert.equal(run.stdout, '');
    assert.match(run.stderr, /give one of --lose HOST\|aggregate:NAME, --each host\|aggregate or --k N/);
  }
});

test('exits 2 naming each host, aggregate or count the plan cannot lose', () => {
  const lose = runCli(['failover', 'examples/small-cloud.yaml', '--lose', 'cmp-9', '--lose', 'aggregate:nowhere']);
  assert.equal(lose.status, 2);
  assert.match(lose.stderr, /--lose cmp-9: the plan has no host cmp-9/);
  assert.match(lose.stderr, /--lose aggregate:nowhere: no host carries aggregate nowhere/);
  assert.match(runCli(['failover', 'examples/small-cloud.yaml', '--k', '8']).stderr, /--k 8: the plan has only 7 hosts/);
  assert.match(runCli(['failover', 'examples/small-cloud.yaml', '--k', '0']).stderr, /option '--k <count>' argument '0' is invalid\. must be a whole number, at least 1/);
  assert.match(runCli(['failover', 'examples/small-cloud.yaml', '--each', 'rack']).stderr, /option '--each <kind>' argument 'rack' is invalid\. Allowed choices are host, aggregate/);
});

test('exits 1 with --fail-if-stranded when a scenario strands an instance, 0 when none does', () => {
  assert.equal(runCli(['failover', 'examples/small-cloud.yaml', '--lose', 'edge-01', '--fail-if-stranded']).status, 1);
  assert.equal(runCli(['failover', 'examples/small-cloud.yaml', '--lose', 'gen-01', '--fail-if-stranded']).status, 0);
  assert.equal(runCli(['failover', 'examples/small-cloud.yaml', '--lose', 'edge-01']).status, 0);
});
