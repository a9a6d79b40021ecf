import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { CloudState } from '../../src/engine/cloud-state.ts';
import { countBounds } from '../../src/engine/expand/bounds.ts';
import { replayWithAdded } from '../../src/engine/expand/replay-at-count.ts';
import { AnswerSearch, type CountReplayer } from '../../src/engine/expand/answers.ts';
import { CountSearch, EXACT_CHECK_LIMIT } from '../../src/engine/expand/search.ts';
import { SkuProbe, type Position, type Sku } from '../../src/engine/expand/sku.ts';
import { Failover } from '../../src/engine/failover.ts';
import { NO_ALLOCATION_CANDIDATES, NO_VALID_HOST } from '../../src/engine/scheduler/filter-scheduler.ts';
import type { CapacityModelName, Cloud, Decision, HostSpec, Request } from '../../src/engine/model.ts';
import { replay } from '../../src/engine/replay.ts';
import { loadPlan } from '../../src/plan/load.ts';
import { skuNamed } from '../../src/plan/host-templates.ts';
import { build, cloud, flavor, host } from './builders.ts';

const QUIET = { audit: false, explain: false };

function sku(prototype: HostSpec, name = 'r640', cost: number | null = null): Sku {
  return { name, prototype, cost, hostName: (n) => `${name}-new-${n}` };
}

/** The plan with the hosts added by hand, as an operator would write them, replayed with nothing from expand. */
function replayByHand(plan: Cloud, requests: Request[], added: HostSpec, count: number, position: Position = 'last'): { state: CloudState; decisions: Decision[] } {
  const hosts = Array.from({ length: count }, (_, index) => ({ ...structuredClone(added), name: `r640-new-${index + 1}` }));
  const state = CloudState.start({ ...plan, hosts: position === 'last' ? [...plan.hosts, ...hosts] : [...hosts, ...plan.hosts] });
  return { state, decisions: [...replay(state, requests, QUIET)] };
}

const rejectedBuilds = (decisions: Decision[]) => decisions.filter((decision) => decision.op === 'build' && decision.result === 'rejected');

/** The whole search as the command runs it with one thread: the answer, with the replays at its count and at one fewer. */
async function searchToEnd(plan: Cloud, requests: Request[], skus: Sku[], failover: number | null = null, exhaustive = false) {
  const probe = new SkuProbe(plan, skus);
  const [bounds] = countBounds(plan, requests, probe, failover);
  const replayer: CountReplayer = { threads: 1, run: async (task) => replayWithAdded(plan, requests, probe, task.counts, 'last', failover, task.stopEarly) };
  const answer = await new AnswerSearch(replayer, skus, exhaustive).alone(0, bounds.lower, bounds.upper, false);
  return { bounds, count: answer.count?.[0] ?? null, method: answer.method, at: answer.at, fewer: answer.fewer, probe };
}

function smallCloud(model: CapacityModelName = 'legacy'): Cloud {
  return cloud([host('cmp-1', { memory_mb: 16384, aggregates: ['az1'] })], [flavor('small', { memory_mb: 4096 }), flavor('huge', { memory_mb: 65536 })], {
    capacity_model: model,
    reserved_host_memory_mb: 0,
    ram_allocation_ratio: 1.0,
  });
}

const tenSmall = Array.from({ length: 10 }, (_, index) => build(`web-${index + 1}`, 'small'));

for (const model of ['legacy', 'placement'] as const) {
  test(`${model}: finds the fewest hosts, checked by replaying at that count (all claimed) and at one fewer (Nova's reasons)`, async () => {
    const plan = smallCloud(model);
    const added = host('template', { memory_mb: 16384, aggregates: ['az1'] });
    const found = await searchToEnd(plan, tenSmall, [sku(added)]);
    // 10 × 4 GiB on 16 GiB hosts: the plan's host holds 4, each added host 4 more.
    assert.equal(found.count, 2);
    assert.equal(found.method.method, 'exact');
    const at = replayByHand(plan, tenSmall, added, 2);
    assert.deepEqual(rejectedBuilds(at.decisions), []);
    const fewer = replayByHand(plan, tenSmall, added, 1);
    const rejected = rejectedBuilds(fewer.decisions);
    assert.deepEqual(
      rejected.map((decision) => decision.instance),
      ['web-9', 'web-10'],
    );
    assert.deepEqual(rejected[0].reasons, [model === 'legacy' ? NO_VALID_HOST : NO_ALLOCATION_CANDIDATES]);
    // What the command reports at one fewer is that same replay.
    const reported = found.fewer!;
    assert.equal(reported.short, 2);
    assert.deepEqual(
      reported.failed.map((build) => [build.instance, build.reasons]),
      rejected.map((decision) => [decision.instance, decision.reasons]),
    );
  });
}

test('needs no host when every build is claimed as the plan stands', async () => {
  const plan = smallCloud();
  const found = await searchToEnd(plan, tenSmall.slice(0, 4), [sku(host('template', { memory_mb: 16384 }))]);
  assert.equal(found.count, 0);
  assert.equal(found.method.method, 'exact');
  assert.deepEqual(found.method.replayed, [{ count: 0, meets: true }]);
});

test('does not count what no added host could take: a named host, an aggregate no SKU carries, a flavor too large, an alias the API refuses', async () => {
  const plan = smallCloud();
  plan.flavors.push(flavor('gpu', { extra_specs: { 'pci_passthrough:alias': 'a100:1' } }));
  const requests: Request[] = [
    ...tenSmall.slice(0, 4).map((request) => ({ ...request, host: 'cmp-1' })),
    build('pinned', 'small', { host: 'cmp-1' }),
    build('zoned', 'small', { aggregate: 'az1' }),
    build('whale', 'huge'),
    build('trainer', 'gpu'),
    build('more', 'small'),
  ];
  const added = host('template', { memory_mb: 16384 });
  const found = await searchToEnd(plan, requests, [sku(added)]);
  assert.equal(found.count, 1);
  const at = found.at;
  assert.equal(at.short, 0);
  assert.deepEqual(
    at.beyond.map((build) => [build.instance, build.why]),
    [
      ['pinned', { kind: 'named host', host: 'cmp-1' }],
      ['zoned', { kind: 'aggregate', aggregate: 'az1' }],
      ['whale', { kind: 'fits no empty host', sku: 'r640', reasons: ['Free memory 16384.00 MB < requested 65536 MB'] }],
      ['trainer', { kind: 'refused by the API' }],
    ],
  );
  assert.equal(at.beyond_count, 4);
  assert.equal(at.rejected, 4);
});

test('lists added hosts last by default, so the plan\'s hosts win ties; first lets the added ones win them', () => {
  const plan = smallCloud();
  const added = host('template', { memory_mb: 16384, aggregates: ['az1'] });
  const first = (position: Position) => replayByHand(plan, tenSmall.slice(0, 1), added, 1, position).decisions[0].host;
  assert.equal(first('last'), 'cmp-1');
  assert.equal(first('first'), 'r640-new-1');
  const probe = new SkuProbe(plan, [sku(added)]);
  assert.equal(replayWithAdded(plan, tenSmall, probe, [2], 'first', null).meets, true);
});

test('with failover:1, the count found also survives losing any one host, and one fewer does not', async () => {
  const plan = smallCloud();
  const added = host('template', { memory_mb: 16384, aggregates: ['az1'] });
  const requests = tenSmall.slice(0, 6);
  const found = await searchToEnd(plan, requests, [sku(added)], 1);
  // Six 4 GiB builds need 24 GiB; surviving the loss of any 16 GiB host takes 40 GiB: three added.
  assert.equal(found.count, 2);
  const strandedAfterLosingEach = (count: number) => {
    const { state, decisions } = replayByHand(plan, requests, added, count);
    assert.deepEqual(rejectedBuilds(decisions), []);
    const failover = new Failover(state);
    return state.hostNames().map((lost) => failover.lose([lost]).stranded.length);
  };
  assert.ok(strandedAfterLosingEach(2).every((stranded) => stranded === 0));
  assert.ok(strandedAfterLosingEach(1).some((stranded) => stranded > 0));
  assert.equal(found.fewer!.failover!.method, 'exact');
  assert.ok(found.fewer!.failover!.worst.stranded.length > 0);
});

test('an anti-affinity group needs a host per member past max_server_per_host, however much room is left', async () => {
  const plan = smallCloud();
  plan.server_groups = [{ name: 'db-ha', policy: 'anti-affinity', max_server_per_host: 2 }];
  const requests = Array.from({ length: 7 }, (_, index) => build(`db-${index + 1}`, 'small', { group: 'db-ha' }));
  const added = host('template', { memory_mb: 262144 });
  const found = await searchToEnd(plan, requests, [sku(added)]);
  assert.equal(found.count, 3);
  const fewer = found.fewer!;
  assert.deepEqual(fewer.failed.map((build) => build.instance), ['db-7']);
  assert.ok(fewer.failed[0].causes.some((cause) => cause.cause === 'group'));
});

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

test('NUMA and PCI flavors on a GPU host from examples/numa-gpu.yaml: the upper bound meets, and one fewer than the answer does not', async () => {
  const loaded = loadPlan(['examples/numa-gpu.yaml']);
  assert.ok(loaded.ok);
  const plan = loaded.value;
  const gpu = skuNamed('gpu-{n:02}', plan.cloud.hosts, plan.hostTemplates);
  assert.ok(gpu.ok);
  const requests = [...plan.requests()];
  const found = await searchToEnd(plan.cloud, requests, [gpu.value]);
  assert.ok(found.count !== null && found.count > 0);
  assert.equal(replayWithAdded(plan.cloud, requests, found.probe, [found.bounds.upper], 'last', null).meets, true);
  assert.equal(found.at.meets, true);
  assert.equal(found.fewer!.meets, false);
});

// The bounds are what makes the search trustworthy: the upper bound must always meet the
// target, and one below the lower bound must never, whatever the plan.
const randomPlan = fc.record({
  model: fc.constantFrom<CapacityModelName>('legacy', 'placement'),
  hosts: fc.array(fc.record({ memory: fc.integer({ min: 4, max: 32 }), vcpus: fc.integer({ min: 2, max: 16 }), zoned: fc.boolean(), running: fc.integer({ min: 0, max: 2 }) }), { minLength: 1, maxLength: 4 }),
  sku: fc.record({ memory: fc.integer({ min: 8, max: 48 }), vcpus: fc.integer({ min: 4, max: 24 }), zoned: fc.boolean(), overhead: fc.integer({ min: 0, max: 512 }) }),
  steps: fc.array(
    fc.record({
      flavor: fc.integer({ min: 0, max: 2 }),
      zoned: fc.boolean(),
      grouped: fc.boolean(),
      deleteEarlier: fc.option(fc.nat(), { nil: undefined }),
      move: fc.option(fc.record({ which: fc.nat(), op: fc.constantFrom('resize', 'migrate', 'live_migrate', 'confirm', 'revert'), flavor: fc.integer({ min: 0, max: 2 }) }), { nil: undefined }),
    }),
    { minLength: 1, maxLength: 30 },
  ),
  failover: fc.constantFrom(null, 1),
});

test('on random plans the upper bound always meets the target, one below the lower bound never does, and the answer checks out', async () => {
  await fc.assert(
    fc.asyncProperty(randomPlan, async ({ model, hosts, sku: template, steps, failover }) => {
      const flavors = [flavor('s', { memory_mb: 2048, vcpus: 1, root_gb: 10 }), flavor('m', { memory_mb: 6144, vcpus: 4, root_gb: 20 }), flavor('l', { memory_mb: 12288, vcpus: 8, root_gb: 40 })];
      const plan = cloud(
        hosts.map((figures, index) =>
          host(`cmp-${index + 1}`, {
            memory_mb: figures.memory * 1024,
            vcpus: figures.vcpus,
            aggregates: figures.zoned ? ['az1'] : [],
            instances: Array.from({ length: figures.running }, (_, n) => ({ name: `old-${index}-${n}`, flavor: 's' })),
          }),
        ),
        flavors,
        { capacity_model: model, reserved_host_memory_mb: 512, ram_allocation_ratio: 1.0, cpu_allocation_ratio: 2.0, enabled_filters: ['RamFilter', 'DiskFilter', 'CoreFilter'] },
      );
      plan.server_groups = [{ name: 'ha', policy: 'anti-affinity', max_server_per_host: 2 }];
      const requests: Request[] = [];
      const live: string[] = plan.hosts.flatMap((spec) => spec.instances.map((instance) => instance.name));
      steps.forEach((step, index) => {
        if (step.deleteEarlier !== undefined && live.length > 0) {
          const [instance] = live.splice(step.deleteEarlier % live.length, 1);
          requests.push({ op: 'delete', instance });
        }
        if (step.move !== undefined && live.length > 0) {
          const moved = live[step.move.which % live.length];
          const { op } = step.move;
          if (op === 'confirm' || op === 'revert') requests.push({ op, instance: moved, expect: null });
          else requests.push({ op, instance: moved, flavor: op === 'resize' ? flavors[step.move.flavor].name : null, host: null, expect: null });
        }
        const instance = `vm-${index}`;
        live.push(instance);
        requests.push(build(instance, flavors[step.flavor].name, { aggregate: step.zoned ? 'az1' : null, ...(step.grouped ? { group: 'ha' } : {}) }));
      });
      const added = sku(host('template', { memory_mb: template.memory * 1024, vcpus: template.vcpus, aggregates: template.zoned ? ['az1'] : [], overhead: { memory_mb: template.overhead, disk_gb: 0 } }));
      const probe = new SkuProbe(plan, [added]);
      const [bounds] = countBounds(plan, requests, probe, failover);
      assert.ok(bounds.lower <= bounds.upper);
      assert.equal(replayWithAdded(plan, requests, probe, [bounds.upper], 'last', failover).meets, true, `upper bound ${bounds.upper} falls short`);
      if (bounds.lower > 0) assert.equal(replayWithAdded(plan, requests, probe, [bounds.lower - 1], 'last', null).meets, false, `lower bound ${bounds.lower} is too high`);
      const found = await searchToEnd(plan, requests, [added], failover);
      assert.ok(found.count !== null);
      assert.equal(replayWithAdded(plan, requests, probe, [found.count], 'last', failover).meets, true);
      if (found.count > 0) assert.equal(replayWithAdded(plan, requests, probe, [found.count - 1], 'last', failover).meets, false);
    }),
    { numRuns: Number(process.env.EXPAND_RUNS ?? 150), seed: Number(process.env.EXPAND_SEED ?? 20240601) },
  );
});
