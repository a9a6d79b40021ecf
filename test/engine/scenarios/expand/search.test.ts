// CountSearch: the counts to replay, bisection and the exact check below it, side by side.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CountSearch, EXACT_CHECK_LIMIT } from '../../../../src/engine/scenarios/expand/search.ts';

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
