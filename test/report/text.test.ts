import { test } from 'node:test';
import assert from 'node:assert/strict';
import { amountText, causeText, countText, cpuSetText, limitText, pageSizeText, wrapLine } from '../../src/report/text.ts';

test('writes CPU lists in cpuset syntax, ranges collapsed', () => {
  assert.equal(cpuSetText([3, 0, 1, 2, 8, 10, 11]), '0-3,8,10-11');
  assert.equal(cpuSetText([5]), '5');
  assert.equal(cpuSetText([]), '');
});

test('names page sizes as operators do', () => {
  assert.deepEqual([4, 64, 2048, 1048576].map(pageSizeText), ['4K', '64K', '2M', '1G']);
});

test('shows whole amounts as they are and fractions as Python\'s %.02f rounds them', () => {
  assert.equal(amountText(196608), '196608');
  assert.equal(amountText(0.125), '0.12', 'half to even on the exact binary value, where toFixed gives 0.13');
  assert.equal(limitText(null), 'unlimited');
});

test('wraps at spaces and splits a word longer than the width instead of cutting it', () => {
  assert.deepEqual(wrapLine('Free disk 0.00 GB < requested 80 GB', 18), ['Free disk 0.00 GB', '< requested 80 GB']);
  assert.deepEqual(wrapLine('abcdefghij', 4), ['abcd', 'efgh', 'ij']);
  assert.deepEqual(wrapLine('short', 64), ['short']);
});

test('writes counts with thousands separators', () => {
  assert.deepEqual([0, 999, 1000, 99990, 1234567].map(countText), ['0', '999', '1,000', '99,990', '1,234,567']);
});

test('says what each cause ruled out, the closest miss with two decimals as Nova writes figures', () => {
  assert.equal(causeText({ cause: 'memory', hosts: 8, closest: { host: 'gen-01', short: 512, unit: 'MB' } }), 'memory: 8 hosts (closest gen-01, 512.00 MB short)');
  assert.equal(causeText({ cause: 'vcpu', hosts: 1, closest: { host: 'gen-02', short: 0.125, unit: 'VCPU' } }), 'vcpu: 1 host (closest gen-02, 0.12 VCPU short)');
  assert.equal(causeText({ cause: 'numa', hosts: 2, closest: null }), 'numa: 2 hosts');
  assert.equal(
    causeText({ cause: 'VCPU max_unit', hosts: 2, closest: { host: 'gpu-01', short: 8, unit: 'VCPU' } }),
    'VCPU max_unit: 2 hosts (closest gpu-01, 8.00 VCPU over)',
  );
  assert.equal(causeText({ cause: 'pci', hosts: 8120, closest: null }), 'pci: 8,120 hosts');
  assert.equal(causeText({ cause: 'aggregate', hosts: 5, closest: null }), 'aggregate: 5 hosts outside the aggregate');
});
