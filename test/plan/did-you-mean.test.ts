// "did you mean" suggestions: a known word close enough to be a typo, never a different
// member of a numbered series, and settings shortened by leaving words out.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { closestKnown, didYouMean, didYouMeanWords } from '../../src/plan/did-you-mean.ts';

test('suggests a word two edits away, a swap of neighbours counting as one, whatever its case', () => {
  assert.equal(closestKnown('memroy_mb', ['memory_mb', 'local_gb']), 'memory_mb');
  assert.equal(closestKnown('Memory_MB', ['memory_mb']), 'memory_mb');
  assert.equal(didYouMean('CoreFliter', ['RamFilter', 'CoreFilter']), '; did you mean `CoreFilter`?');
});

test('allows one edit only between short words, so that `id` suggests nothing far from it', () => {
  assert.equal(closestKnown('id', ['vcpu', 'ids']), 'ids');
  assert.equal(closestKnown('ab', ['abcd']), null);
  assert.equal(didYouMean('zzzzzz', ['memory_mb']), '');
});

test('never offers another member of a numbered series: cmp-04 is no slip for cmp-01', () => {
  assert.equal(closestKnown('cmp-04', ['cmp-01', 'cmp-02']), null);
  assert.equal(closestKnown('cpm-01', ['cmp-01']), 'cmp-01');
});

test('gives ties to the first known word', () => {
  assert.equal(closestKnown('cat', ['bat', 'hat']), 'bat');
});

test('suggests the one setting a name shortens by leaving words out, and none when several would do', () => {
  assert.equal(didYouMeanWords('cpu_ratio', ['cpu_allocation_ratio', 'ram_allocation_ratio']), '; did you mean `cpu_allocation_ratio`?');
  assert.equal(didYouMeanWords('allocation_ratio', ['cpu_allocation_ratio', 'ram_allocation_ratio']), '');
});
