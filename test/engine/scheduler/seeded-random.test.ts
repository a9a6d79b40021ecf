// The scheduler's seeded generator: the same seed draws the same numbers, and a clone goes
// on from where its original is.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SeededRandom } from '../../../src/engine/scheduler/seeded-random.ts';

const draws = (random: SeededRandom, n: number, count = 20) => Array.from({ length: count }, () => random.below(n));

test('draws whole numbers from 0 to n − 1, the same ones for the same seed and others for another', () => {
  const first = draws(SeededRandom.seeded(42), 6);
  assert.ok(first.every((value) => Number.isInteger(value) && value >= 0 && value < 6));
  assert.deepEqual(draws(SeededRandom.seeded(42), 6), first);
  assert.notDeepEqual(draws(SeededRandom.seeded(43), 6), first);
});

test('a clone draws what its original would draw next, and the two go on apart', () => {
  const original = SeededRandom.seeded(7);
  draws(original, 10, 3);
  const copy = original.clone();
  assert.deepEqual(draws(copy, 10), draws(original, 10));
});
