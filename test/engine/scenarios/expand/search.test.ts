// CountSearch: the counts to replay, bisection and the exact check below it, side by side.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CountSearch, ESTIMATED_COUNTS, EXACT_CHECK_LIMIT } from '../../../../src/engine/scenarios/expand/search.ts';

test('searches a count that is not monotone: bisection finds a threshold, and the few counts below are replayed to make it exact', () => {
  const meets = (count: number) => count >= 10 || count === 3;
  const search = new CountSearch(0, 20);
  for (let count = search.next(); count !== null; count = search.next()) search.record(count, meets(count));
  const { count, method } = search.result();
  assert.equal(count, 3);
  assert.equal(method.method, 'exact');
  assert.ok(method.replayed.some((replayed) => replayed.count === 2 && !replayed.meets));
});

test('says bisection when more counts below are unreplayed than it checks, and exact when asked to replay them all', () => {
  const meets = (count: number) => count >= 40;
  const run = (exhaustive: boolean) => {
    const search = new CountSearch(0, 100, exhaustive);
    for (let count = search.next(); count !== null; count = search.next()) search.record(count, meets(count));
    return search.result();
  };
  const bisected = run(false);
  assert.equal(bisected.count, 40);
  assert.equal(bisected.method.method, 'bisection');
  assert.ok(bisected.method.replayed.some((replayed) => replayed.count === 39 && !replayed.meets));
  assert.ok(40 - bisected.method.replayed.filter((replayed) => replayed.count < 40).length > EXACT_CHECK_LIMIT);
  const exhaustive = run(true);
  assert.equal(exhaustive.count, 40);
  assert.equal(exhaustive.method.method, 'exact');
  assert.equal(exhaustive.method.at_least, 40);
});

test('says how far a count found by bisection may be from the fewest: every count below at_least was replayed and fell short, the one at it was not', () => {
  const meets = (count: number) => count >= 40;
  const search = new CountSearch(5, 100);
  for (let count = search.next(); count !== null; count = search.next()) search.record(count, meets(count));
  const { count, method } = search.result();
  assert.equal(method.method, 'bisection');
  const atLeast = method.at_least!;
  assert.ok(atLeast >= 5 && atLeast < count!);
  const replayed = new Map(method.replayed.map((replay) => [replay.count, replay.meets]));
  assert.equal(replayed.has(atLeast), false);
  for (let below = 5; below < atLeast; below++) assert.equal(replayed.get(below), false, `${below} is not known to fall short`);
});

test('proposes different counts to replay side by side, and none that a replay running already covers', () => {
  const search = new CountSearch(10, 1000);
  const pending = new Set<number>();
  for (let i = 0; i < 3; i++) pending.add(search.next(pending, 3)!);
  assert.equal(pending.size, 3);
  assert.ok(pending.has(10));
  search.record(10, false);
  pending.delete(10);
  const next = search.next(pending, 3);
  assert.ok(next === null || !pending.has(next));
});

test('says when even the upper bound falls short', () => {
  const search = new CountSearch(0, 4);
  for (let count = search.next(); count !== null; count = search.next()) search.record(count, false);
  assert.equal(search.result().count, null);
});

/** Drives a search as the command does, `threads` replays at once taken in the order proposed; the counts in the order proposed, and whether each ran whole. */
function driven(search: CountSearch, threads: number, shortfall: (count: number) => number): { count: number; whole: boolean }[] {
  const proposed: { count: number; whole: boolean }[] = [];
  const running: number[] = [];
  for (;;) {
    while (running.length < threads) {
      const count = search.next(new Set(running), threads);
      if (count === null) break;
      running.push(count);
      proposed.push({ count, whole: search.replaysWhole(count) });
    }
    const done = running.shift();
    if (done === undefined) return proposed;
    const short = shortfall(done);
    search.record(done, short === 0, short === 0 || !search.replaysWhole(done) ? null : short);
  }
}

test('goes from the lower bound where the shortfalls point: two replays that fell short, the line through them, and one fewer for the report', () => {
  // Half an added host's worth of builds find no host per host missing below 30.
  const shortfall = (count: number) => Math.max(0, 30 - count) / 2;
  const search = new CountSearch(10, 1000);
  const proposed = driven(search, 1, shortfall);
  // 10 falls short by 10 hosts' worth: 20 (one host's worth per host) falls short by 5, and the line through both reaches 0 at 30.
  assert.deepEqual(proposed, [10, 20, 30, 29].map((count) => ({ count, whole: true })));
  assert.equal(search.result().count, 30);
  assert.equal(search.result().method.method, 'bisection');
});

test('on two threads, replays the estimates made from the last results side by side, and waits for them rather than guess beside them', () => {
  const shortfall = (count: number) => Math.max(0, 125 - count) * 0.45;
  const search = new CountSearch(88, 1330);
  const proposed = driven(search, 2, shortfall).map(({ count }) => count);
  // The lower bound beside doubling; then its shortfall once and twice; then the line's zero and one below it.
  assert.deepEqual(proposed.slice(0, 4), [88, 176, 88 + Math.ceil(shortfall(88)), 88 + Math.ceil(2 * shortfall(88))]);
  assert.equal(search.result().count, 125);
  assert.ok(proposed.length <= 7, `${proposed.join(', ')}`);
  assert.deepEqual(proposed.slice(-2).sort(), [124, 125]);
});

test('makes a bounded number of estimates when the shortfall does not shrink, then bisects with replays that stop at their first build short', () => {
  const search = new CountSearch(1, 1000);
  const proposed = driven(search, 1, (count) => (count >= 200 ? 0 : 0.5));
  const estimated = proposed.filter(({ whole }) => whole);
  assert.ok(estimated.length <= ESTIMATED_COUNTS + 2, `${estimated.length} whole replays`);
  assert.ok(proposed.some(({ whole }) => !whole));
  assert.equal(search.result().count, 200);
});
