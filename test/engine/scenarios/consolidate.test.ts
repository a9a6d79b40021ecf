import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { CloudState } from '../../../src/engine/core/cloud-state.ts';
import { consolidate, DRAIN_ORDERS, emptiedInOrder } from '../../../src/engine/scenarios/consolidate.ts';
import { combinationsOf, Failover } from '../../../src/engine/scenarios/failover.ts';
import { NO_VALID_HOST } from '../../../src/engine/scheduler/filter-scheduler.ts';
import type { CapacityModelName, Cloud, Request } from '../../../src/engine/core/model.ts';
import { replay } from '../../../src/engine/core/replay.ts';
import { loadPlan } from '../../../src/plan/load.ts';
import { build, cloud, flavor, host } from '../builders.ts';

const QUIET = { audit: false, explain: false };

function replayed(plan: Cloud, requests: Request[]): CloudState {
  const state = CloudState.start(plan);
  for (const _decision of replay(state, requests, QUIET));
  return state;
}

function fourHosts(): Cloud {
  return cloud(
    ['cmp-1', 'cmp-2', 'cmp-3', 'cmp-4'].map((name) => host(name, { memory_mb: 16384 })),
    [flavor('small', { memory_mb: 4096 }), flavor('big', { memory_mb: 12288 })],
    { reserved_host_memory_mb: 0, ram_allocation_ratio: 1.0 },
  );
}

/** Spread: one small on each host, then a big on cmp-1. */
const SPREAD: Request[] = [build('a', 'small'), build('b', 'small'), build('c', 'small'), build('d', 'small'), build('big-1', 'big', { host: 'cmp-1' })];

function worstStranded(state: CloudState, k: number): number {
  const up = state.hostNames().filter((name) => !state.nodeNamed(name).serviceDown);
  const failover = new Failover(state);
  return Math.max(0, ...up.map((lost) => (k === 1 ? failover.lose([lost]).stranded.length : 0)));
}

test('empties the hosts whose instances live-migrate elsewhere, each then down, and replaying those moves gives the same cloud', () => {
  const plan = fourHosts();
  const result = consolidate(replayed(plan, SPREAD), null);
  const emptied = result.emptied.map((host) => host.host);
  assert.ok(emptied.length >= 2);
  assert.ok(!emptied.includes('cmp-1'));
  const moves = result.emptied.flatMap(({ host, moves }) => [
    ...moves.map((move): Request => ({ op: 'live_migrate', instance: move.instance, flavor: null, host: move.to, expect: null })),
    { op: 'down', host } as Request,
  ]);
  const again = replayed(plan, [...SPREAD, ...moves]);
  assert.deepEqual(again.hostUsages(), result.state.hostUsages());
  for (const host of emptied) {
    assert.equal(result.state.nodeNamed(host).serviceDown, true);
    assert.equal(result.state.hostUsages().find((usage) => usage.host === host)!.running_vms, 0);
  }
});

test('keeps a host whose instance finds no other host, with Nova\'s words', () => {
  const plan = fourHosts();
  const result = consolidate(replayed(plan, [...SPREAD, build('big-2', 'big', { host: 'cmp-2' }), build('big-3', 'big', { host: 'cmp-3' }), build('big-4', 'big', { host: 'cmp-4' })]), null);
  assert.deepEqual(result.emptied, []);
  const [first] = result.kept;
  assert.equal(first.why.kind, 'instance');
  if (first.why.kind === 'instance') {
    assert.deepEqual(first.why.reasons, [NO_VALID_HOST]);
    assert.ok(first.why.causes.some((cause) => cause.cause === 'source'));
  }
});

test('with --keep failover:1, empties a host only while losing any one host strands no more than before', () => {
  const plan = fourHosts();
  const state = replayed(plan, SPREAD);
  const before = worstStranded(state, 1);
  const kept = consolidate(state, 1);
  assert.ok(worstStranded(kept.state, 1) <= before);
  assert.equal(kept.failover!.before, before);
  assert.ok(kept.emptied.length < consolidate(state, null).emptied.length);
  assert.ok(kept.kept.some((host) => host.why.kind === 'failover'));
});

test('keeps a host that runs what no instance of the plan accounts for', () => {
  const plan = fourHosts();
  plan.hosts[3].used = { memory_mb: 2048, local_gb: 0, vcpus: 1, running_vms: 1 };
  const result = consolidate(replayed(plan, []), null);
  assert.deepEqual(result.kept.find((host) => host.host === 'cmp-4')?.why, { kind: 'holds', running_vms: 1 });
  assert.deepEqual(
    result.emptied.map((host) => host.host),
    ['cmp-3', 'cmp-2', 'cmp-1'],
  );
});

test('moves each instance once, to a host that stays, where the greedy order first parked it on a host it emptied later', () => {
  // Spread: web-1 on cmp-1, web-2 on cmp-2, web-3 on cmp-3 (the fullest, with db and db-2).
  // cmp-2 is drained first (a tie, the one listed last); the scheduler would send web-2 to
  // the emptiest host, cmp-1, which is emptied next, moving web-2 a second time.
  const plan = cloud(
    ['cmp-1', 'cmp-2', 'cmp-3'].map((name) => host(name, { memory_mb: 32768 })),
    [flavor('small', { memory_mb: 4096 }), flavor('big', { memory_mb: 12288 })],
    { reserved_host_memory_mb: 0, ram_allocation_ratio: 1.0 },
  );
  const result = consolidate(replayed(plan, [build('web-1', 'small'), build('web-2', 'small'), build('web-3', 'small'), build('db', 'big', { host: 'cmp-3' }), build('db-2', 'small', { host: 'cmp-3' })]), null);
  assert.deepEqual(result.emptied.map(({ host: name }) => name), ['cmp-2', 'cmp-1']);
  const moves = result.emptied.flatMap(({ moves: hostMoves }) => hostMoves);
  assert.deepEqual(moves.map(({ instance, to }) => [instance, to]), [['web-2', 'cmp-3'], ['web-1', 'cmp-3']]);
});

/** What each loss of `k` of the hosts up before strands, keyed by the lost hosts; after, only those of them still up go down. */
function strandedPerLoss(before: CloudState, after: CloudState, k: number): { lost: string; before: number; after: number }[] {
  const up = before.hostNames().filter((name) => !before.nodeNamed(name).serviceDown);
  const failoverBefore = new Failover(before);
  const failoverAfter = new Failover(after);
  return [...combinationsOf(up, k)].map((lost) => {
    const stillUp = lost.filter((name) => !after.nodeNamed(name).serviceDown);
    return { lost: lost.join('+'), before: failoverBefore.lose(lost).stranded.length, after: stillUp.length === 0 ? 0 : failoverAfter.lose(stillUp).stranded.length };
  });
}

test('with --keep failover:1 on the bundled example, no single host\'s loss strands more than it did before', () => {
  const loaded = loadPlan(['examples/small-cloud.yaml']);
  assert.ok(loaded.ok);
  const state = replayed(loaded.value.cloud, [...loaded.value.requests()]);
  const result = consolidate(state, 1);
  assert.ok(result.emptied.length > 0);
  for (const loss of strandedPerLoss(state, result.state, 1)) assert.ok(loss.after <= loss.before, `losing ${loss.lost} strands ${loss.after}, ${loss.before} before`);
  assert.ok(result.kept.some(({ why }) => why.kind === 'failover' && why.before < why.stranded.length));
});

test('with --keep failover:2, no loss of two hosts strands more than it did before', () => {
  const plan = cloud(
    ['cmp-1', 'cmp-2', 'cmp-3', 'cmp-4', 'cmp-5'].map((name) => host(name, { memory_mb: 16384 })),
    [flavor('small', { memory_mb: 4096 })],
    { reserved_host_memory_mb: 0, ram_allocation_ratio: 1.0 },
  );
  const state = replayed(plan, Array.from({ length: 8 }, (_, n) => build(`vm-${n}`, 'small')));
  const result = consolidate(state, 2);
  for (const loss of strandedPerLoss(state, result.state, 2)) assert.ok(loss.after <= loss.before, `losing ${loss.lost} strands ${loss.after}, ${loss.before} before`);
  assert.equal(result.failover!.method, 'exact');
});

test('the upper bound counts what the instances need against the room of the hosts that would stay', () => {
  // Four 16 GB hosts, 40 GB of instances: three must stay, so one can be emptied at most.
  const plan = cloud(
    ['cmp-1', 'cmp-2', 'cmp-3', 'cmp-4'].map((name) => host(name, { memory_mb: 16384 })),
    [flavor('small', { memory_mb: 4096, vcpus: 1 })],
    { reserved_host_memory_mb: 0, ram_allocation_ratio: 1.0 },
  );
  const result = consolidate(replayed(plan, Array.from({ length: 10 }, (_, n) => build(`vm-${n}`, 'small'))), null);
  assert.equal(result.search.upper_bound, 1);
  assert.equal(result.emptied.length, 1);
  assert.equal(result.search.passes, DRAIN_ORDERS.length);
});

// Random clouds of mixed hosts (some with memory all but unlimited, where the order hosts
// are drained in matters most), instances in an anti-affinity group and in an aggregate,
// some deleted again.
const randomPlan = fc.record({
  model: fc.constantFrom<CapacityModelName>('legacy', 'placement'),
  hosts: fc.array(fc.record({ memory: fc.integer({ min: 8, max: 64 }), vcpus: fc.integer({ min: 4, max: 32 }), roomy: fc.integer({ min: 0, max: 3 }), zoned: fc.boolean() }), { minLength: 3, maxLength: 8 }),
  builds: fc.array(fc.record({ flavor: fc.integer({ min: 0, max: 2 }), zoned: fc.boolean(), grouped: fc.boolean(), deleted: fc.boolean() }), { minLength: 4, maxLength: 40 }),
  keep: fc.constantFrom(null, null, 1),
});

function randomCloud({ model, hosts, builds }: { model: CapacityModelName; hosts: { memory: number; vcpus: number; roomy: number; zoned: boolean }[]; builds: { flavor: number; zoned: boolean; grouped: boolean; deleted: boolean }[] }): CloudState {
  const flavors = [flavor('s', { memory_mb: 2048, vcpus: 1, root_gb: 10 }), flavor('m', { memory_mb: 6144, vcpus: 4, root_gb: 20 }), flavor('l', { memory_mb: 12288, vcpus: 8, root_gb: 40 })];
  const plan = cloud(
    hosts.map((figures, index) =>
      host(`cmp-${index + 1}`, {
        memory_mb: figures.memory * 1024,
        vcpus: figures.vcpus,
        aggregates: figures.zoned ? ['az1'] : [],
        settings: figures.roomy === 0 ? { ram_allocation_ratio: 100 } : {},
      }),
    ),
    flavors,
    { capacity_model: model, reserved_host_memory_mb: 512, ram_allocation_ratio: 1.0, cpu_allocation_ratio: 2.0, enabled_filters: ['RamFilter', 'DiskFilter', 'CoreFilter'] },
  );
  plan.server_groups = [{ name: 'ha', policy: 'anti-affinity', max_server_per_host: 2 }];
  const requests: Request[] = builds.map((step, index) => build(`vm-${index}`, flavors[step.flavor].name, { aggregate: step.zoned ? 'az1' : null, ...(step.grouped ? { group: 'ha' } : {}) }));
  builds.forEach((step, index) => step.deleted && index % 3 === 0 && requests.push({ op: 'delete', instance: `vm-${index}` }));
  return replayed(plan, requests);
}

test('on random plans the search empties at least as many hosts as each simple order, no more than its upper bound, keeping every loss no worse', () => {
  fc.assert(
    fc.property(randomPlan, (drawn) => {
      const state = randomCloud(drawn);
      const result = consolidate(state, drawn.keep);
      for (const order of DRAIN_ORDERS) {
        const alone = emptiedInOrder(state, order, drawn.keep);
        assert.ok(result.emptied.length >= alone.length, `${order} empties ${alone.join(', ')}; the search ${result.emptied.map(({ host: name }) => name).join(', ')}`);
      }
      assert.ok(result.emptied.length <= result.search.upper_bound, `${result.emptied.length} emptied, above the bound ${result.search.upper_bound}`);
      for (const { host: name } of result.emptied) {
        assert.equal(result.state.nodeNamed(name).serviceDown, true);
        assert.equal(result.state.hostUsages().find((usage) => usage.host === name)!.running_vms, 0);
      }
      if (drawn.keep !== null) for (const loss of strandedPerLoss(state, result.state, drawn.keep)) assert.ok(loss.after <= loss.before, `losing ${loss.lost} strands ${loss.after}, ${loss.before} before`);
    }),
    { numRuns: Number(process.env.CONSOLIDATE_RUNS ?? 150), seed: Number(process.env.CONSOLIDATE_SEED ?? 20261207) },
  );
});

test('stops the local search at its budget and says so, the five orders still run whole', () => {
  // One member of a strict anti-affinity group on each host: none can move, though the
  // capacity would hold them all on one host.
  const plan = fourHosts();
  plan.server_groups = [{ name: 'apart', policy: 'anti-affinity', max_server_per_host: 1 }];
  const state = replayed(plan, ['a', 'b', 'c', 'd'].map((name) => build(name, 'small', { group: 'apart' })));
  const whole = consolidate(state, null);
  assert.deepEqual(whole.emptied, []);
  assert.equal(whole.search.upper_bound, 3);
  assert.equal(whole.search.cut, false);
  assert.ok(whole.search.passes > DRAIN_ORDERS.length);
  const cut = consolidate(state, null, 0);
  assert.equal(cut.search.cut, true);
  assert.equal(cut.search.passes, DRAIN_ORDERS.length);
  assert.deepEqual(cut.search.orders, whole.search.orders);
});
