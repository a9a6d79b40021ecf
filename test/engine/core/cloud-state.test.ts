// CloudState deciding one request (docs/semantics.md): claims on a named host, deletes,
// hosts going down and up, and what a move holds on its hosts until it is confirmed,
// reverted or its source is up again.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CloudState } from '../../../src/engine/core/cloud-state.ts';
import { NO_ALLOCATION_CANDIDATES, NO_VALID_HOST } from '../../../src/engine/scheduler/filter-scheduler.ts';
import type { CapacityModelName, Request } from '../../../src/engine/core/model.ts';
import { replay, SummaryCounter } from '../../../src/engine/core/replay.ts';
import { build, cloud, flavor, host } from '../builders.ts';
import { loadPlan } from '../../../src/plan/load.ts';
import { FLAVORS, move, run as replayOn, START, threeHosts, usage } from '../move-plans.ts';

const QUIET = { audit: false, explain: false };
const down = (name: string): Request => ({ op: 'down', host: name });
const up = (name: string): Request => ({ op: 'up', host: name });

function run(model: CapacityModelName, requests: Request[]) {
  const state = CloudState.start(
    cloud([host('cmp-1', { memory_mb: 16384 }), host('cmp-2', { memory_mb: 32768 })], [flavor('m1', { memory_mb: 8192 })], {
      capacity_model: model,
      reserved_host_memory_mb: 0,
      ram_allocation_ratio: 1.0,
    }),
  );
  const counter = new SummaryCounter();
  const decisions = [...replay(state, requests, { audit: false, explain: true }, counter)];
  return { state, decisions, summary: counter.summary };
}

for (const model of ['legacy', 'placement'] as const) {
  test(`${model}: the scheduler passes over a down host and takes it again once it is up`, () => {
    const { decisions } = run(model, [down('cmp-2'), build('a', 'm1'), up('cmp-2'), build('b', 'm1')]);
    assert.deepEqual(
      decisions.map((d) => [d.op, d.result, d.host]),
      [
        ['down', 'down', 'cmp-2'],
        ['build', 'claimed', 'cmp-1'],
        ['up', 'up', 'cmp-2'],
        ['build', 'claimed', 'cmp-2'],
      ],
    );
  });

  test(`${model}: refuses a build naming a down host with Nova's ComputeServiceUnavailable text`, () => {
    const { decisions } = run(model, [down('cmp-1'), build('a', 'm1', { host: 'cmp-1' })]);
    const refusal = 'Compute service of cmp-1 is unavailable at this time.';
    assert.deepEqual([decisions[1].result, decisions[1].host, decisions[1].reasons, decisions[1].message], ['rejected', 'cmp-1', [refusal], refusal]);
  });

  test(`${model}: keeps a down host's instances counted, and a delete still releases them`, () => {
    const { state, decisions } = run(model, [build('a', 'm1', { host: 'cmp-1' }), down('cmp-1'), { op: 'delete', instance: 'a' }]);
    assert.deepEqual([decisions[2].result, decisions[2].host], ['released', 'cmp-1']);
    assert.equal(state.hostUsages()[0].memory_mb_used, 0);
  });

  test(`${model}: counts down hosts under their own cause when no host is left`, () => {
    const { decisions } = run(model, [build('a', 'm1', { host: 'cmp-1' }), build('b', 'm1', { host: 'cmp-1' }), down('cmp-2'), build('c', 'm1')]);
    const refused = decisions[3];
    // Placement: a down service's provider is no candidate (Nova's compute_status_filter), so none is left.
    assert.deepEqual(refused.reasons, [model === 'legacy' ? NO_VALID_HOST : NO_ALLOCATION_CANDIDATES]);
    assert.deepEqual(refused.causes?.at(-1), { cause: 'down', hosts: 1, closest: null });
    assert.deepEqual(refused.attempts?.[1], { host: 'cmp-2', reasons: ['the compute service is down (ComputeFilter)'] });
  });
}

test('counts host state requests as requests, neither builds nor deletes', () => {
  const { summary } = run('legacy', [down('cmp-1'), up('cmp-1'), build('a', 'm1')]);
  assert.deepEqual([summary.requests, summary.builds, summary.deletes, summary.claimed], [3, 1, 0, 1]);
});

test('a clone keeps the service state and changes it independently', () => {
  const { state } = run('legacy', [down('cmp-2')]);
  const copy = state.clone();
  copy.decide(up('cmp-2'), 1, { audit: false, explain: false });
  assert.equal(state.decide(build('a', 'm1'), 2, { audit: false, explain: false }).host, 'cmp-1');
  assert.equal(copy.decide(build('a', 'm1'), 2, { audit: false, explain: false }).host, 'cmp-2');
});

const evacuate = (instance: string): Request => ({ op: 'evacuate', instance, flavor: null, host: null, expect: null });
const migrate = (instance: string): Request => ({ op: 'migrate', instance, flavor: null, host: null, expect: null });

/** cmp-1 down from the start, cmp-2 disabled, cmp-3 up and enabled; each holds one instance. */
function startingStates(model: CapacityModelName, requests: Request[], cmp3Memory = 16384) {
  const onHost = (name: string) => [{ name: `on-${name}`, flavor: 'm1' }];
  const state = CloudState.start(
    cloud(
      [
        host('cmp-1', { memory_mb: 65536, down: true, instances: onHost('cmp-1') }),
        host('cmp-2', { memory_mb: 65536, disabled: true, instances: onHost('cmp-2') }),
        host('cmp-3', { memory_mb: cmp3Memory, instances: onHost('cmp-3') }),
      ],
      [flavor('m1', { memory_mb: 8192 })],
      { capacity_model: model, reserved_host_memory_mb: 0, ram_allocation_ratio: 1.0 },
    ),
  );
  return [...replay(state, requests, { audit: false, explain: false })];
}

for (const model of ['legacy', 'placement'] as const) {
  test(`${model}: a host down or disabled from the start takes no scheduled build, its instances still counted`, () => {
    const decisions = startingStates(model, [build('a', 'm1'), build('b', 'm1')]);
    assert.deepEqual(decisions.map((d) => [d.result, d.host]), [['claimed', 'cmp-3'], ['rejected', null]]);
    assert.deepEqual(decisions[1].causes?.find((cause) => cause.cause === 'down')?.hosts, 2);
  });

  test(`${model}: a host down from the start refuses a build naming it; a disabled one that is up builds, as no filter runs`, () => {
    const decisions = startingStates(model, [build('a', 'm1', { host: 'cmp-1' }), build('b', 'm1', { host: 'cmp-2' })]);
    assert.deepEqual(decisions.map((d) => [d.result, d.message]), [
      ['rejected', 'Compute service of cmp-1 is unavailable at this time.'],
      ['claimed', null],
    ]);
  });

  test(`${model}: instances evacuate off a host down from the start, not off a disabled one, which still migrates them`, () => {
    const decisions = startingStates(model, [evacuate('on-cmp-2'), migrate('on-cmp-2'), evacuate('on-cmp-1')], 32768);
    assert.deepEqual(decisions.map((d) => [d.op, d.result, d.from, d.host, d.message]), [
      ['evacuate', 'rejected', 'cmp-2', null, 'Compute service of cmp-2 is still in use.'],
      ['migrate', 'claimed', 'cmp-2', 'cmp-3', null],
      ['evacuate', 'claimed', 'cmp-1', 'cmp-3', null],
    ]);
  });
}

// A build naming its host: the claim on that host alone, no scheduler.
function namedHostCloud(model: CapacityModelName): CloudState {
  return CloudState.start({
    ...cloud([host('cmp-1', { memory_mb: 16384 }), host('cmp-2', { memory_mb: 65536 })], [flavor('m12', { memory_mb: 12288, vcpus: 2, root_gb: 10 })], {
      capacity_model: model,
      reserved_host_memory_mb: 0,
      ram_allocation_ratio: 1.0,
    }),
    server_groups: [
      { name: 'ha', policy: 'anti-affinity', max_server_per_host: 1 },
      { name: 'together', policy: 'affinity', max_server_per_host: 1 },
    ],
  });
}

const EXPLAINED = { audit: false, explain: true };

function decideAll(state: CloudState, requests: Request[]) {
  return { decisions: requests.map((request, index) => state.decide(request, index + 1, EXPLAINED)) };
}

test('legacy: a build naming a host is claimed there or refused with the claim\'s Insufficient compute resources text, the scheduler never asked', () => {
  const state = namedHostCloud('legacy');
  const first = state.decide(build('a', 'm12', { host: 'cmp-1' }), 1, EXPLAINED);
  assert.deepEqual([first.result, first.host, first.requested], ['claimed', 'cmp-1', { memory_mb: 12288, disk_gb: 10, vcpus: 2 }]);
  const second = state.decide(build('b', 'm12', { host: 'cmp-1' }), 2, EXPLAINED);
  assert.deepEqual([second.result, second.host, second.reasons], ['rejected', 'cmp-1', ['Free memory 4096.00 MB < requested 12288 MB']]);
  assert.equal(second.message, 'Insufficient compute resources: Free memory 4096.00 MB < requested 12288 MB.');
  // No scheduling: no attempts even when explaining, and no causes.
  assert.deepEqual([second.attempts, second.causes], [null, null]);
});

test('placement: a build naming a host asks Placement for that host\'s allocation, and is refused with Placement\'s words', () => {
  const state = namedHostCloud('placement');
  assert.deepEqual(state.decide(build('a', 'm12', { host: 'cmp-1' }), 1, EXPLAINED).resources, { VCPU: 2, MEMORY_MB: 12288, DISK_GB: 10 });
  assert.equal(
    state.decide(build('b', 'm12', { host: 'cmp-1' }), 2, EXPLAINED).message,
    "Unable to allocate inventory: Unable to create allocation for 'MEMORY_MB' on resource provider 'cmp-1'. The requested amount would exceed the capacity.",
  );
});

for (const model of ['legacy', 'placement'] as const) {


  test(`${model}: a named host that breaks a hard group policy is refused after the claim, in the compute manager's words`, () => {
    const state = namedHostCloud(model);
    const decide = (request: Request, seq: number) => state.decide(request, seq, EXPLAINED);
    assert.equal(decide(build('g1', 'm12', { host: 'cmp-2', group: 'ha' }), 1).result, 'claimed');
    const apart = decide(build('g2', 'm12', { host: 'cmp-2', group: 'ha' }), 2);
    assert.deepEqual([apart.result, apart.host, apart.message], ['rejected', 'cmp-2', 'Anti-affinity instance group policy was violated']);
    assert.equal(state.hostUsages()[1].memory_mb_used, 12288, 'the refused build holds nothing');
    assert.equal(decide(build('t1', 'm12', { host: 'cmp-2', group: 'together' }), 3).result, 'claimed');
    assert.deepEqual(decide(build('t2', 'm12', { host: 'cmp-1', group: 'together' }), 4).reasons, ['Affinity instance group policy was violated']);
  });
}

test('gives back exactly what a claim took when the instance is deleted', () => {
  const state = CloudState.start(cloud([host('cmp-1', { overhead: { memory_mb: 64, disk_gb: 1 } })], [flavor('m1')]));
  const before = state.hostUsages()[0];
  const { decisions } = decideAll(state, [build('a', 'm1'), { op: 'delete', instance: 'a' }]);
  assert.equal(decisions[1].result, 'released');
  assert.equal(decisions[1].host, 'cmp-1');
  assert.deepEqual(decisions[1].requested, { memory_mb: 4160, disk_gb: 41, vcpus: 2 });
  assert.deepEqual(state.hostUsages()[0], before);
});

test('releases nothing, on no host, when deleting an instance whose build was rejected', () => {
  const state = CloudState.start(cloud([host('cmp-1', { memory_mb: 1024 })], [flavor('m1')]));
  const { decisions } = decideAll(state, [build('a', 'm1'), { op: 'delete', instance: 'a' }]);
  assert.equal(decisions[0].result, 'rejected');
  assert.deepEqual([decisions[1].result, decisions[1].host, decisions[1].requested], ['released', null, null]);
});

// What a move holds: both hosts until confirm or revert, the source of an evacuation until
// it is up again, and under Placement the migration's allocation (docs/semantics.md, "Moves").
for (const model of ['legacy', 'placement'] as const) {
  test(`${model}: a confirmed resize leaves the cloud as a delete and a build of the new flavor on the destination`, () => {
    const moved = replayOn(threeHosts(model), [...START, move('resize', 'app', { flavor: 'medium' }), { op: 'confirm', instance: 'app', expect: null }]);
    const rebuilt = replayOn(threeHosts(model), [...START, { op: 'delete', instance: 'app' }, build('app', 'medium', { host: 'cmp-3' })]);
    assert.equal(moved.decisions[2].host, 'cmp-3', 'the scheduler leaves the source out and spreads to the emptiest');
    assert.equal(moved.decisions[2].from, 'cmp-1');
    assert.deepEqual(usage(moved.state), usage(rebuilt.state));
  });

  test(`${model}: until confirmed, a resize holds the old flavor on the source and the new one on the destination`, () => {
    const { state, decisions } = replayOn(threeHosts(model), [...START, move('resize', 'app', { flavor: 'medium' })]);
    assert.equal(decisions[2].result, 'claimed');
    const [source, , destination] = state.hostUsages();
    assert.equal(source.memory_mb_used, 4096, 'the source keeps the old flavor');
    assert.equal(destination.memory_mb_used, 8192, 'the destination holds the new flavor');
  });

  test(`${model}: a reverted resize gives the destination back and leaves the cloud as before the resize`, () => {
    const before = replayOn(threeHosts(model), START);
    const reverted = replayOn(threeHosts(model), [...START, move('resize', 'app', { flavor: 'large' }), { op: 'revert', instance: 'app', expect: null }]);
    const revert = reverted.decisions[3];
    assert.deepEqual([revert.result, revert.host, revert.from, revert.flavor], ['released', 'cmp-1', 'cmp-3', 'small']);
    assert.deepEqual(usage(reverted.state), usage(before.state));
  });

  test(`${model}: a live migration is a delete on the source and a build on the destination, with nothing to confirm`, () => {
    const moved = replayOn(threeHosts(model), [...START, move('live_migrate', 'app', { host: 'cmp-2' })]);
    const rebuilt = replayOn(threeHosts(model), [...START, { op: 'delete', instance: 'app' }, build('app', 'small', { host: 'cmp-2' })]);
    assert.equal(moved.decisions[2].result, 'claimed');
    assert.deepEqual(usage(moved.state), usage(rebuilt.state));
    assert.match(replayOn(threeHosts(model), [...START, move('live_migrate', 'app'), { op: 'confirm', instance: 'app', expect: null }]).decisions[3].reasons[0], /vm_state active/);
  });

  test(`${model}: deleting an instance mid-resize gives back both hosts`, () => {
    const deleted = replayOn(threeHosts(model), [...START, move('resize', 'app', { flavor: 'medium' }), { op: 'delete', instance: 'app' }]);
    const never = replayOn(threeHosts(model), [START[1]]);
    assert.deepEqual(usage(deleted.state), usage(never.state));
  });

  test(`${model}: an evacuation keeps the source's hold until the host is up again`, () => {
    const requests: Request[] = [...START, { op: 'down', host: 'cmp-1' }, move('evacuate', 'app')];
    const { state, decisions } = replayOn(threeHosts(model), requests);
    assert.deepEqual([decisions[3].result, decisions[3].from, decisions[3].host], ['claimed', 'cmp-1', 'cmp-3']);
    assert.equal(state.hostUsages()[0].memory_mb_used, 4096, 'the down source still counts the instance');
    const after = replayOn(threeHosts(model), [...requests, { op: 'up', host: 'cmp-1' }]);
    const rebuilt = replayOn(threeHosts(model), [...START, { op: 'delete', instance: 'app' }, build('app', 'small', { host: 'cmp-3' })]);
    assert.deepEqual(usage(after.state), usage(rebuilt.state));
  });

  test(`${model}: a cloud that confirms moves as they land gives the source back at once`, () => {
    const auto = replayOn(threeHosts(model, { auto_confirm_moves: true }), [...START, move('migrate', 'app')]);
    const confirmed = replayOn(threeHosts(model), [...START, move('migrate', 'app'), { op: 'confirm', instance: 'app', expect: null }]);
    assert.deepEqual(usage(auto.state), usage(confirmed.state));
  });
}


test('a same-host resize is tested on top of the old flavor, which a delete and a build would not be', () => {
  const plan = cloud([host('only', { memory_mb: 16384 })], FLAVORS, { reserved_host_memory_mb: 0, ram_allocation_ratio: 1.0, allow_resize_to_same_host: true });
  const resized = replayOn(plan, [build('app', 'medium'), move('resize', 'app', { flavor: 'large' })]);
  assert.equal(resized.decisions[1].result, 'rejected');
  assert.equal(resized.decisions[1].message, NO_VALID_HOST);
  const rebuilt = replayOn(plan, [build('app', 'medium'), { op: 'delete', instance: 'app' }, build('app', 'large')]);
  assert.equal(rebuilt.decisions[2].result, 'claimed', '12 GiB fits once the 8 GiB is gone');
  const small = replayOn(plan, [build('app', 'small'), move('resize', 'app', { flavor: 'medium' })]);
  assert.deepEqual([small.decisions[1].result, small.decisions[1].host], ['claimed', 'only']);
  assert.equal(small.state.hostUsages()[0].memory_mb_used, 4096 + 8192, 'both flavors held on the one host until confirm');
});

/** The old host of an evacuated instance: what Placement says it holds, per class. */
function oldHostUsages(state: CloudState): Record<string, number> | null {
  return state.hostUsages()[0].usages ?? null;
}

const EMPTY_HOST = { DISK_GB: 0, MEMORY_MB: 0, VCPU: 0 };
const APP_HELD = { DISK_GB: 20, MEMORY_MB: 4096, VCPU: 2 };
/** app evacuated from cmp-1, which stays down, to cmp-3. */
const EVACUATED: Request[] = [...START, { op: 'down', host: 'cmp-1' }, move('evacuate', 'app')];

test('placement: after an evacuation, a live migration with the old host still down frees it, its allocation having gone to the migration', () => {
  const { state, decisions } = replayOn(threeHosts('placement'), [...EVACUATED, move('live_migrate', 'app', { host: 'cmp-2' })]);
  assert.deepEqual(decisions.slice(3).map((decision) => [decision.result, decision.host]), [['claimed', 'cmp-3'], ['claimed', 'cmp-2']]);
  assert.deepEqual(oldHostUsages(state), EMPTY_HOST);
  const legacy = replayOn(threeHosts('legacy'), [...EVACUATED, move('live_migrate', 'app', { host: 'cmp-2' })]);
  assert.equal(legacy.state.hostUsages()[0].memory_mb_used, 4096, 'the legacy tracker of a down host counts on until it is up');
});

test('placement: after an evacuation, a confirmed or auto-confirmed migration frees the old host while it is down', () => {
  const confirmed = replayOn(threeHosts('placement'), [...EVACUATED, move('migrate', 'app', { host: 'cmp-2' }), { op: 'confirm', instance: 'app', expect: null }]);
  assert.deepEqual(oldHostUsages(confirmed.state), EMPTY_HOST);
  const auto = replayOn(threeHosts('placement', { auto_confirm_moves: true }), [...EVACUATED, move('migrate', 'app', { host: 'cmp-2' })]);
  assert.deepEqual(oldHostUsages(auto.state), EMPTY_HOST);
});

test('placement: a move unconfirmed when the old host comes up keeps it held until confirm, since the clean-up removes only the instance\'s own allocations', () => {
  const unconfirmed = [...EVACUATED, move('resize', 'app', { flavor: 'medium', host: 'cmp-2' }), { op: 'up', host: 'cmp-1' } as Request];
  const up = replayOn(threeHosts('placement'), unconfirmed);
  assert.deepEqual(oldHostUsages(up.state), APP_HELD, 'the migration still holds it');
  const confirmed = replayOn(threeHosts('placement'), [...unconfirmed, { op: 'confirm', instance: 'app', expect: null }]);
  assert.deepEqual(oldHostUsages(confirmed.state), EMPTY_HOST);
});

test('placement: a revert after the old host came up hands its hold back to the instance until it is deleted; before, the clean-up at up frees it', () => {
  const plan = threeHosts('placement');
  plan.flavors.push(flavor('whole', { memory_mb: 16384, vcpus: 2, root_gb: 20 }));
  const reverted = [...EVACUATED, move('migrate', 'app', { host: 'cmp-2' }), { op: 'up', host: 'cmp-1' }, { op: 'revert', instance: 'app', expect: null }] as Request[];
  const { state, decisions } = replayOn(plan, [...reverted, build('big', 'whole', { host: 'cmp-1' })]);
  assert.deepEqual(oldHostUsages(state), APP_HELD);
  assert.equal(decisions[7].result, 'rejected', 'Placement refuses a build the held memory leaves no room for');
  const deleted = replayOn(plan, [...reverted, { op: 'delete', instance: 'app' }, build('big', 'whole', { host: 'cmp-1' })]);
  assert.equal(deleted.decisions[8].result, 'claimed');
  const revertedWhileDown = replayOn(plan, [...EVACUATED, move('migrate', 'app', { host: 'cmp-2' }), { op: 'revert', instance: 'app', expect: null }, { op: 'up', host: 'cmp-1' }]);
  assert.deepEqual(oldHostUsages(revertedWhileDown.state), EMPTY_HOST);
});


// A trial puts back everything a scenario changed: usage, service state, NUMA cells, PCI
// pools, allocations (nested ones too), instances, server group members and random draws.
// After one, the state decides the rest of a plan byte for byte as a clone taken before it.
const TRIED_PLANS = [
  ['examples/numa-gpu.yaml'],
  ['examples/gpu-cloud.yaml'],
  ['examples/aggregates.yaml'],
  ['examples/placement-cloud.yaml'],
  ['test/fixtures/server-groups.yaml'],
  ['examples/numa-gpu.yaml', 'test/fixtures/moves-numa-gpu.yaml'],
];
for (const files of TRIED_PLANS) {
  for (const model of ['legacy', 'placement'] as const) {
    test(`${model}, ${files.join(' + ')}: after a trial, the rest of the plan replays as on a clone taken before it`, () => {
      // host_subset_size draws from the random generator on every scheduled build.
      const loaded = loadPlan(files, { settingOverrides: [`capacity_model=${model}`, 'host_subset_size=2'] });
      assert.ok(loaded.ok, JSON.stringify(!loaded.ok && loaded.error));
      const requests = [...loaded.value.requests()];
      const half = Math.ceil(requests.length / 2);
      const state = CloudState.start(loaded.value.cloud);
      for (const _decision of replay(state, requests.slice(0, half), QUIET));
      const untried = state.clone();
      const hosts = state.hostNames();
      const live = state.hostedInstances().map(({ instance }) => instance);
      state.trial(() => {
        // Every host lost but the last, each of its instances evacuated, then the second half of the plan, a host back up.
        for (const name of hosts.slice(0, -1)) state.decide({ op: 'down', host: name }, 0, QUIET);
        for (const instance of live) state.evacuate(instance, QUIET);
        state.decide({ op: 'up', host: hosts[0] }, 0, QUIET);
        for (const _decision of replay(state, requests.slice(half), QUIET));
      });
      const rest = (on: CloudState) => JSON.stringify({ decisions: [...replay(on, requests.slice(half), { audit: true, explain: true })], usage: on.hostUsages(), instances: on.hostedInstances() });
      assert.equal(rest(state), rest(untried));
    });
  }
}
