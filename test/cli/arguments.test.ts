// Option values checked as commander reads them: each bad value refused with the words
// commander prints after `argument '…' is invalid.`
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InvalidArgumentError } from 'commander';
import { collect, expandTarget, failoverHosts, gateFails, gates, seed, wholeNumberAtLeastOne } from '../../src/cli/arguments.ts';

const refused = (read: () => unknown, words: string) => assert.throws(read, (error: unknown) => error instanceof InvalidArgumentError && error.message === words);

test('collects a repeated option\'s values in the order given', () => {
  assert.deepEqual(collect('b', collect('a')), ['a', 'b']);
});

test('takes a count of at least 1 and refuses 0, fractions, signs and words', () => {
  assert.equal(wholeNumberAtLeastOne(' 3 '), 3);
  for (const text of ['0', '1.5', '-2', '+2', 'two', '']) refused(() => wholeNumberAtLeastOne(text), 'must be a whole number, at least 1');
});

test('takes a seed from 0 to 2³² − 1, the generator\'s 32 bits', () => {
  assert.equal(seed('0'), 0);
  assert.equal(seed('4294967295'), 4294967295);
  for (const text of ['4294967296', '-1', '1e3']) refused(() => seed(text), 'must be a whole number from 0 to 4294967295');
});

test('reads failover:N with N at least 1, and expand\'s target as builds or failover:N', () => {
  assert.equal(failoverHosts('failover:2'), 2);
  for (const text of ['failover', 'failover:0', 'hosts:2']) refused(() => failoverHosts(text), 'must be failover:N, N a whole number of hosts, at least 1');
  assert.equal(expandTarget('builds'), null);
  assert.equal(expandTarget('failover:1'), 1);
  refused(() => expandTarget('failover:0'), 'must be builds or failover:N, N a whole number of hosts, at least 1');
});

test('reads --fail-if gates over the listed metrics and says which metrics and operators there are', () => {
  const read = gates(['hosts', 'cost'] as const);
  const [first, second] = read('cost <= 1.5', read('hosts>10'));
  assert.deepEqual(first, { text: 'hosts>10', metric: 'hosts', operator: '>', value: 10 });
  assert.deepEqual(second, { text: 'cost <= 1.5', metric: 'cost', operator: '<=', value: 1.5 });
  const words = "must be METRIC OP NUMBER, e.g. 'hosts>10' (quoted: > is a shell redirect); METRIC is hosts, cost and OP one of >= <= > < =";
  for (const text of ['hosts>>3', 'rack>1', 'hosts>', 'hosts>1.2.3']) refused(() => read(text), words);
});

test('a gate fails when its figure meets the condition, each operator as written', () => {
  const fails = (text: string, hosts: number) => gateFails(gates(['hosts'] as const)(text)[0], { hosts });
  assert.deepEqual([fails('hosts>3', 3), fails('hosts>3', 4)], [false, true]);
  assert.deepEqual([fails('hosts>=3', 3), fails('hosts<3', 3), fails('hosts<=3', 3), fails('hosts=3', 3), fails('hosts=3', 2)], [true, false, true, true, false]);
});
