import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { HostTwins, SHOWN_UNCHANGED, type Twins } from '../../../src/engine/scheduler/host-twins.ts';

function membersOf({ members, start }: Twins): number[] {
  return members.slice(start);
}

/** Four positions listed in plan order 3, 1, 2, 0: one raw weight and one room each. */
function fourHosts(raw: number[], room: number[], live = [1, 1, 1, 1]) {
  const arrays = { planIndex: Float64Array.from([3, 1, 2, 0]), raw: Float64Array.from(raw), room: Float64Array.from(room), live: Uint8Array.from(live) };
  const twins = new HostTwins(arrays.planIndex, arrays.raw, 1, arrays.room, 1, arrays.live);
  for (const set of twins.all()) twins.settle(set);
  return { twins, ...arrays };
}

test('hosts with equal raw weights and rooms are twins, in plan order, the first live one shown', () => {
  const { twins } = fourHosts([5, 5, 5, 7], [2, 2, 2, 2]);
  assert.deepEqual(membersOf(twins.of(0)), [1, 2, 0]);
  assert.equal(twins.of(0), twins.of(2));
  assert.equal(twins.of(0).shown, 1);
  assert.deepEqual(membersOf(twins.of(3)), [3]);
});

test('a different room or a zero of another sign keeps hosts apart', () => {
  const { twins } = fourHosts([5, 5, 0, -0], [2, 3, 1, 1]);
  assert.notEqual(twins.of(0), twins.of(1));
  assert.notEqual(twins.of(2), twins.of(3));
});

test('a host set aside hands the showing to its next live twin, and back when it is live again', () => {
  const { twins, live } = fourHosts([5, 5, 5, 7], [2, 2, 2, 2]);
  live[1] = 0;
  assert.equal(twins.settle(twins.of(1)), 1);
  assert.equal(twins.of(1).shown, 2);
  assert.equal(twins.settle(twins.of(1)), SHOWN_UNCHANGED);
  live[1] = 1;
  assert.equal(twins.settle(twins.of(1)), 2);
  assert.equal(twins.of(1).shown, 1);
});

test('a host whose figures changed leaves its twins for the ones it now matches', () => {
  const { twins, raw } = fourHosts([5, 5, 5, 7], [2, 2, 2, 2]);
  const before = twins.of(1);
  raw[1] = 7;
  assert.equal(twins.regroup(1), before);
  assert.deepEqual(membersOf(twins.of(1)), [3, 1]);
  assert.deepEqual(membersOf(before), [2, 0]);
  assert.equal(twins.settle(before), 1);
  assert.equal(before.shown, 2);
  assert.equal(twins.regroup(1), null);
});

test('after any changes, twins are exactly the hosts with equal figures, in plan order, showing the first live one', () => {
  fc.assert(
    fc.property(fc.array(fc.tuple(fc.nat(7), fc.integer({ min: 0, max: 2 }), fc.integer({ min: 0, max: 1 }), fc.boolean()), { maxLength: 60 }), (changes) => {
      const count = 8;
      const planIndex = Float64Array.from({ length: count }, (_, position) => (position * 5) % count);
      const raw = new Float64Array(count);
      const room = new Float64Array(count);
      const live = new Uint8Array(count).fill(1);
      const twins = new HostTwins(planIndex, raw, 1, room, 1, live);
      for (const set of twins.all()) twins.settle(set);
      for (const [position, weight, space, alive] of changes) {
        raw[position] = weight;
        room[position] = space;
        live[position] = alive ? 1 : 0;
        const left = twins.regroup(position);
        if (left !== null) twins.settle(left);
        twins.settle(twins.of(position));
      }
      for (let position = 0; position < count; position++) {
        const expected = Array.from({ length: count }, (_, other) => other)
          .filter((other) => raw[other] === raw[position] && room[other] === room[position])
          .sort((a, b) => planIndex[a] - planIndex[b]);
        assert.deepEqual(membersOf(twins.of(position)), expected);
        assert.equal(twins.of(position).shown, expected.find((other) => live[other] === 1) ?? -1);
      }
    }),
    { seed: 21, numRuns: 300 },
  );
});

test('a cloud levelling in plan order: the first of many twins leaves over and over, and the rest stay in plan order', () => {
  const count = 100;
  const planIndex = Float64Array.from({ length: count }, (_, position) => (position * 37) % count);
  const raw = new Float64Array(count);
  const room = new Float64Array(count);
  const twins = new HostTwins(planIndex, raw, 1, room, 1, new Uint8Array(count).fill(1));
  for (const set of twins.all()) twins.settle(set);
  const inPlanOrder = Array.from({ length: count }, (_, position) => position).sort((a, b) => planIndex[a] - planIndex[b]);
  // Each host in plan order takes one instance, then every other one gives it back.
  for (const [step, position] of [...inPlanOrder, ...inPlanOrder.filter((_, at) => at % 2 === 0)].entries()) {
    raw[position] = step < count ? 1 : 0;
    const left = twins.regroup(position);
    if (left !== null) twins.settle(left);
    twins.settle(twins.of(position));
    for (const weight of [0, 1]) {
      const expected = inPlanOrder.filter((other) => raw[other] === weight);
      const holder = expected[0];
      if (holder === undefined) continue;
      assert.deepEqual(membersOf(twins.of(holder)), expected, `after step ${step}, weight ${weight}`);
      assert.equal(twins.of(holder).shown, holder);
    }
  }
});
