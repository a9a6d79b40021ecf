// The choice among the weighed hosts: host_subset_size draws among the best, and
// shuffle_best_same_weighed_hosts shuffles the hosts tied for the best weight.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chooseHost, drawsAtRandom } from '../../../src/engine/scheduler/host-choice.ts';
import { SeededRandom } from '../../../src/engine/scheduler/seeded-random.ts';
import type { Weighed } from '../../../src/engine/scheduler/weighing.ts';
import { cloud } from '../builders.ts';

function weighed(weights: number[]): Weighed<string>[] {
  return weights.map((weight, at) => ({ candidate: `h${at}`, weight, shares: [] }));
}

test('draws among the first host_subset_size hosts, the same way for the same seed', () => {
  const settings = { ...cloud([], []).settings, host_subset_size: 3 };
  const draw = (seed: number) => {
    const random = SeededRandom.seeded(seed);
    return Array.from({ length: 40 }, () => chooseHost(weighed([5, 4, 3, 2, 1]), settings, random).candidate);
  };
  assert.deepEqual(draw(7), draw(7));
  assert.deepEqual(new Set(draw(7)), new Set(['h0', 'h1', 'h2']));
  assert.notDeepEqual(draw(7), draw(8));
});

test('shuffles only the hosts tied for the best weight, and draws nothing when there is no choice', () => {
  const settings = { ...cloud([], []).settings, shuffle_best_same_weighed_hosts: true };
  const random = SeededRandom.seeded(1);
  const chosen = new Set(Array.from({ length: 60 }, () => chooseHost(weighed([3, 3, 3, 1]), settings, random).candidate));
  assert.deepEqual(chosen, new Set(['h0', 'h1', 'h2']));
  const untouched = SeededRandom.seeded(1);
  chooseHost(weighed([3, 2]), { ...settings, shuffle_best_same_weighed_hosts: false }, untouched);
  assert.equal(untouched.below(1000), SeededRandom.seeded(1).below(1000));
});

test('draws at random only with a subset larger than one or shuffling, so only then does a report state the seed', () => {
  const settings = cloud([], []).settings;
  assert.equal(drawsAtRandom(settings), false);
  assert.equal(drawsAtRandom({ ...settings, host_subset_size: 2 }), true);
  assert.equal(drawsAtRandom({ ...settings, shuffle_best_same_weighed_hosts: true }), true);
});
