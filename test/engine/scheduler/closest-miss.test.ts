// The closest miss of one cause, kept as hosts' shortfalls change: always the host short by
// the least, the first listed on a tie, with or without a move's source left out.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { ClosestMiss } from '../../../src/engine/scheduler/closest-miss.ts';

/** The host short by the least but `left`, searched over every host: what the heap must agree with. */
function searched(shorts: ReadonlyMap<number, number>, left: number): number {
  let best = -1;
  for (const [position, short] of [...shorts].sort(([a], [b]) => a - b)) {
    if (position !== left && (best < 0 || short < shorts.get(best)!)) best = position;
  }
  return best;
}

test('names the host short by the least, the first listed on a tie, and none once no host is short', () => {
  const closest = new ClosestMiss(4);
  assert.equal(closest.best(), -1);
  closest.set(3, 512);
  closest.set(1, 512);
  closest.set(2, 1024);
  assert.equal(closest.best(), 1);
  assert.equal(closest.bestExcept(1), 3);
  closest.set(1, 2048);
  assert.equal(closest.best(), 3);
  closest.set(3, null);
  closest.set(1, null);
  assert.equal(closest.best(), 2);
  assert.equal(closest.bestExcept(2), -1);
  closest.set(2, null);
  assert.equal(closest.best(), -1);
});

test('agrees with a search over every host after any sequence of shortfalls set and cleared', () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: 40 }),
      fc.array(fc.record({ position: fc.nat(), short: fc.option(fc.integer({ min: 1, max: 6 }), { nil: null }), left: fc.integer({ min: -1, max: 40 }) }), { maxLength: 300 }),
      (count, steps) => {
        const closest = new ClosestMiss(count);
        const shorts = new Map<number, number>();
        for (const { position: drawn, short, left: leftDrawn } of steps) {
          const position = drawn % count;
          closest.set(position, short);
          if (short === null) shorts.delete(position);
          else shorts.set(position, short);
          const left = leftDrawn < 0 ? -1 : leftDrawn % count;
          assert.equal(closest.best(), searched(shorts, -1));
          assert.equal(closest.bestExcept(left), searched(shorts, left));
          if (closest.best() >= 0) assert.equal(closest.shortAt(closest.best()), shorts.get(closest.best()));
        }
      },
    ),
    { numRuns: 300, seed: 20261207 },
  );
});
