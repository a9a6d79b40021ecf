import { test } from 'node:test';
import assert from 'node:assert/strict';
import { amountText, cpuSetText, limitText, pageSizeText, wrapLine } from '../../src/report/index.ts';

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
