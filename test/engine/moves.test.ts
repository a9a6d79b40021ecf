// Moves (docs/semantics.md, "Moves"): each checked against replaying the same change as a
// delete and a build where Nova's arithmetic makes them equal, and where it does not
// (both hosts held until confirm, a same-host resize tested on top of the old flavor).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CloudState } from '../../src/engine/cloud-state.ts';
import { NO_VALID_HOST } from '../../src/engine/scheduler/filter-scheduler.ts';
import type { CapacityModelName, Cloud, Decision, HostUsage, MoveRequest, Request } from '../../src/engine/model.ts';
import { replay } from '../../src/engine/replay.ts';
import { build, cloud, flavor, host } from './builders.ts';

const OPTIONS = { audit: false, explain: false };
const FLAVORS = [flavor('small', { memory_mb: 4096, vcpus: 2, root_gb: 20 }), flavor('medium', { memory_mb: 8192, vcpus: 4, root_gb: 40 }), flavor('large', { memory_mb: 12288, vcpus: 8, root_gb: 80 })];

function threeHosts(model: CapacityModelName, settings: Partial<Cloud['settings']> = {}): Cloud {
  return cloud([host('cmp-1', { memory_mb: 16384 }), host('cmp-2', { memory_mb: 16384 }), host('cmp-3', { memory_mb: 16384 })], FLAVORS, {
    capacity_model: model,
    reserved_host_memory_mb: 0,
    ram_allocation_ratio: 1.0,
    ...settings,
  });
}

function run(plan: Cloud, requests: Request[]): { state: CloudState; decisions: Decision[] } {
  const state = CloudState.start(plan);
  return { state, decisions: [...replay(state, requests, OPTIONS)] };
}

function move(op: MoveRequest['op'], instance: string, extra: Partial<MoveRequest> = {}): MoveRequest {
  return { op, instance, flavor: null, host: null, expect: null, ...extra };
}

/** What the audit and Placement would show of each host: the figures a move changes. */
function usage(state: CloudState): Pick<HostUsage, 'host' | 'memory_mb_used' | 'local_gb_used' | 'vcpus_used' | 'usages'>[] {
  return state.hostUsages().map(({ host: name, memory_mb_used, local_gb_used, vcpus_used, usages }) => ({ host: name, memory_mb_used, local_gb_used, vcpus_used, usages }));
}

const START = [build('app', 'small', { host: 'cmp-1' }), build('filler', 'small', { host: 'cmp-2' })];

for (const model of ['legacy', 'placement'] as const) {
  test(`${model}: a confirmed resize leaves the cloud as a delete and a build of the new flavor on the destination`, () => {
    const moved = run(threeHosts(model), [...START, move('resize', 'app', { flavor: 'medium' }), { op: 'confirm', instance: 'app', expect: null }]);
    const rebuilt = run(threeHosts(model), [...START, { op: 'delete', instance: 'app' }, build('app', 'medium', { host: 'cmp-3' })]);
    assert.equal(moved.decisions[2].host, 'cmp-3', 'the scheduler leaves the source out and spreads to the emptiest');
    assert.equal(moved.decisions[2].from, 'cmp-1');
    assert.deepEqual(usage(moved.state), usage(rebuilt.state));
  });

  test(`${model}: until confirmed, a resize holds the old flavor on the source and the new one on the destination`, () => {
    const { state, decisions } = run(threeHosts(model), [...START, move('resize', 'app', { flavor: 'medium' })]);
    assert.equal(decisions[2].result, 'claimed');
    const [source, , destination] = state.hostUsages();
    assert.equal(source.memory_mb_used, 4096, 'the source keeps the old flavor');
    assert.equal(destination.memory_mb_used, 8192, 'the destination holds the new flavor');
  });

  test(`${model}: a reverted resize gives the destination back and leaves the cloud as before the resize`, () => {
    const before = run(threeHosts(model), START);
    const reverted = run(threeHosts(model), [...START, move('resize', 'app', { flavor: 'large' }), { op: 'revert', instance: 'app', expect: null }]);
    const revert = reverted.decisions[3];
    assert.deepEqual([revert.result, revert.host, revert.from, revert.flavor], ['released', 'cmp-1', 'cmp-3', 'small']);
    assert.deepEqual(usage(reverted.state), usage(before.state));
  });

  test(`${model}: a live migration is a delete on the source and a build on the destination, with nothing to confirm`, () => {
    const moved = run(threeHosts(model), [...START, move('live_migrate', 'app', { host: 'cmp-2' })]);
    const rebuilt = run(threeHosts(model), [...START, { op: 'delete', instance: 'app' }, build('app', 'small', { host: 'cmp-2' })]);
    assert.equal(moved.decisions[2].result, 'claimed');
    assert.deepEqual(usage(moved.state), usage(rebuilt.state));
    assert.match(run(threeHosts(model), [...START, move('live_migrate', 'app'), { op: 'confirm', instance: 'app', expect: null }]).decisions[3].reasons[0], /vm_state active/);
  });

  test(`${model}: deleting an instance mid-resize gives back both hosts`, () => {
    const deleted = run(threeHosts(model), [...START, move('resize', 'app', { flavor: 'medium' }), { op: 'delete', instance: 'app' }]);
    const never = run(threeHosts(model), [START[1]]);
    assert.deepEqual(usage(deleted.state), usage(never.state));
  });

  test(`${model}: an evacuation keeps the source's hold until the host is up again`, () => {
    const requests: Request[] = [...START, { op: 'down', host: 'cmp-1' }, move('evacuate', 'app')];
    const { state, decisions } = run(threeHosts(model), requests);
    assert.deepEqual([decisions[3].result, decisions[3].from, decisions[3].host], ['claimed', 'cmp-1', 'cmp-3']);
    assert.equal(state.hostUsages()[0].memory_mb_used, 4096, 'the down source still counts the instance');
    const after = run(threeHosts(model), [...requests, { op: 'up', host: 'cmp-1' }]);
    const rebuilt = run(threeHosts(model), [...START, { op: 'delete', instance: 'app' }, build('app', 'small', { host: 'cmp-3' })]);
    assert.deepEqual(usage(after.state), usage(rebuilt.state));
  });

  test(`${model}: a cloud that confirms moves as they land gives the source back at once`, () => {
    const auto = run(threeHosts(model, { auto_confirm_moves: true }), [...START, move('migrate', 'app')]);
    const confirmed = run(threeHosts(model), [...START, move('migrate', 'app'), { op: 'confirm', instance: 'app', expect: null }]);
    assert.deepEqual(usage(auto.state), usage(confirmed.state));
  });
}

test('a same-host resize is tested on top of the old flavor, which a delete and a build would not be', () => {
  const plan = cloud([host('only', { memory_mb: 16384 })], FLAVORS, { reserved_host_memory_mb: 0, ram_allocation_ratio: 1.0, allow_resize_to_same_host: true });
  const resized = run(plan, [build('app', 'medium'), move('resize', 'app', { flavor: 'large' })]);
  assert.equal(resized.decisions[1].result, 'rejected');
  assert.equal(resized.decisions[1].message, NO_VALID_HOST);
  const rebuilt = run(plan, [build('app', 'medium'), { op: 'delete', instance: 'app' }, build('app', 'large')]);
  assert.equal(rebuilt.decisions[2].result, 'claimed', '12 GiB fits once the 8 GiB is gone');
  const small = run(plan, [build('app', 'small'), move('resize', 'app', { flavor: 'medium' })]);
  assert.deepEqual([small.decisions[1].result, small.decisions[1].host], ['claimed', 'only']);
  assert.equal(small.state.hostUsages()[0].memory_mb_used, 4096 + 8192, 'both flavors held on the one host until confirm');
});

test('without allow_resize_to_same_host a move never lands on its source, and the causes say so', () => {
  const plan = cloud([host('only', { memory_mb: 16384 })], FLAVORS, { reserved_host_memory_mb: 0, ram_allocation_ratio: 1.0 });
  const { decisions } = run(plan, [build('app', 'small'), move('resize', 'app', { flavor: 'medium' }), move('migrate', 'app', { host: 'only' }), move('live_migrate', 'app', { host: 'only' })]);
  assert.deepEqual(decisions[1].causes, [{ cause: 'source', hosts: 1, closest: null }]);
  assert.equal(decisions[2].message, 'Cannot migrate to the host where the server exists.');
  assert.deepEqual([decisions[3].message, decisions[3].causes], [NO_VALID_HOST, [{ cause: 'source', hosts: 1, closest: null }]]);
});

test('Nova refuses a move by the instance\'s state, its source service and its new flavor, in Nova\'s words', () => {
  const plan = threeHosts('legacy');
  plan.flavors.push(flavor('no-disk', { memory_mb: 4096, root_gb: 0 }), flavor('less-disk', { memory_mb: 4096, root_gb: 10 }));
  const { decisions } = run(plan, [
    ...START,
    build('ghost', 'large', { host: 'cmp-1' }),
    build('ghost-2', 'large', { host: 'cmp-1' }),
    move('resize', 'ghost-2', { flavor: 'small' }),
    move('evacuate', 'ghost-2', { host: 'cmp-2' }),
    move('resize', 'app', { flavor: 'small' }),
    move('resize', 'app', { flavor: 'no-disk' }),
    move('resize', 'app', { flavor: 'less-disk' }),
    move('evacuate', 'app'),
    { op: 'revert', instance: 'app', expect: null },
  ]);
  const reasons = decisions.slice(4).map((decision) => decision.reasons[0]);
  assert.deepEqual(reasons, [
    "Cannot 'resize' instance ghost-2 while it is in vm_state error",
    'Compute host None could not be found.',
    'When resizing, instances must change flavor!',
    'Server disk was unable to be resized because: Resize to zero disk flavor is not allowed.',
    'Resize error: Unable to resize disk down.',
    'Compute service of cmp-1 is still in use.',
    "Cannot 'revertResize' instance app while it is in vm_state active",
  ]);
  assert.equal(decisions[8].host, 'cmp-3', 'the disk is found too small on the destination, after its claim, which is dropped');
});

test('server groups hold through moves: anti-affinity passes the member\'s own host and refuses its siblings\'', () => {
  const plan: Cloud = { ...threeHosts('legacy', { allow_resize_to_same_host: true }), server_groups: [{ name: 'ha', policy: 'anti-affinity', max_server_per_host: 1 }] };
  const { decisions } = run(plan, [
    build('web-1', 'small', { group: 'ha' }),
    build('web-2', 'small', { group: 'ha' }),
    build('web-3', 'small', { group: 'ha' }),
    move('resize', 'web-1', { flavor: 'medium', host: 'cmp-1' }),
    move('migrate', 'web-2'),
  ]);
  assert.deepEqual(decisions.slice(0, 3).map((decision) => decision.host), ['cmp-1', 'cmp-2', 'cmp-3']);
  assert.equal(decisions[3].result, 'claimed', 'a resize may stay on its own host in an anti-affinity group');
  assert.equal(decisions[4].result, 'rejected');
  assert.deepEqual(
    decisions[4].causes?.map(({ cause, hosts }) => [cause, hosts]),
    [['group', 2], ['source', 1]],
  );
});

test('a live migration of an instance with flavor PCI devices finds no host: the conductor skips every one', () => {
  const plan = cloud([host('gpu-1', { pci: [{ vendor_id: '10de', product_id: '1eb8', numa_node: null, count: 2, dev_type: 'type-PCI', physical_network: null }] }), host('gpu-2', { pci: [{ vendor_id: '10de', product_id: '1eb8', numa_node: null, count: 2, dev_type: 'type-PCI', physical_network: null }] })], [flavor('gpu', { extra_specs: { 'pci_passthrough:alias': 't4:1' } })]);
  plan.pci_aliases = [{ name: 't4', vendor_id: '10de', product_id: '1eb8', device_type: 'type-PCI', numa_policy: 'legacy' }];
  const { state, decisions } = run(plan, [build('ml', 'gpu', { host: 'gpu-1' }), move('live_migrate', 'ml'), move('migrate', 'ml')]);
  assert.equal(decisions[1].message, NO_VALID_HOST);
  assert.deepEqual(decisions[1].causes?.map(({ cause, hosts }) => [cause, hosts]), [['pci', 1], ['source', 1]]);
  assert.deepEqual([decisions[2].result, decisions[2].host], ['claimed', 'gpu-2'], 'a cold migration takes devices on the destination');
  assert.deepEqual(state.hostUsages().map((usage) => usage.pci_pools?.[0].free), [1, 1], 'the source keeps its device until confirm');
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
  const { state, decisions } = run(threeHosts('placement'), [...EVACUATED, move('live_migrate', 'app', { host: 'cmp-2' })]);
  assert.deepEqual(decisions.slice(3).map((decision) => [decision.result, decision.host]), [['claimed', 'cmp-3'], ['claimed', 'cmp-2']]);
  assert.deepEqual(oldHostUsages(state), EMPTY_HOST);
  const legacy = run(threeHosts('legacy'), [...EVACUATED, move('live_migrate', 'app', { host: 'cmp-2' })]);
  assert.equal(legacy.state.hostUsages()[0].memory_mb_used, 4096, 'the legacy tracker of a down host counts on until it is up');
});

test('placement: after an evacuation, a confirmed or auto-confirmed migration frees the old host while it is down', () => {
  const confirmed = run(threeHosts('placement'), [...EVACUATED, move('migrate', 'app', { host: 'cmp-2' }), { op: 'confirm', instance: 'app', expect: null }]);
  assert.deepEqual(oldHostUsages(confirmed.state), EMPTY_HOST);
  const auto = run(threeHosts('placement', { auto_confirm_moves: true }), [...EVACUATED, move('migrate', 'app', { host: 'cmp-2' })]);
  assert.deepEqual(oldHostUsages(auto.state), EMPTY_HOST);
});

test('placement: a move unconfirmed when the old host comes up keeps it held until confirm, since the clean-up removes only the instance\'s own allocations', () => {
  const unconfirmed = [...EVACUATED, move('resize', 'app', { flavor: 'medium', host: 'cmp-2' }), { op: 'up', host: 'cmp-1' } as Request];
  const up = run(threeHosts('placement'), unconfirmed);
  assert.deepEqual(oldHostUsages(up.state), APP_HELD, 'the migration still holds it');
  const confirmed = run(threeHosts('placement'), [...unconfirmed, { op: 'confirm', instance: 'app', expect: null }]);
  assert.deepEqual(oldHostUsages(confirmed.state), EMPTY_HOST);
});

test('placement: a revert after the old host came up hands its hold back to the instance until it is deleted; before, the clean-up at up frees it', () => {
  const plan = threeHosts('placement');
  plan.flavors.push(flavor('whole', { memory_mb: 16384, vcpus: 2, root_gb: 20 }));
  const reverted = [...EVACUATED, move('migrate', 'app', { host: 'cmp-2' }), { op: 'up', host: 'cmp-1' }, { op: 'revert', instance: 'app', expect: null }] as Request[];
  const { state, decisions } = run(plan, [...reverted, build('big', 'whole', { host: 'cmp-1' })]);
  assert.deepEqual(oldHostUsages(state), APP_HELD);
  assert.equal(decisions[7].result, 'rejected', 'Placement refuses a build the held memory leaves no room for');
  const deleted = run(plan, [...reverted, { op: 'delete', instance: 'app' }, build('big', 'whole', { host: 'cmp-1' })]);
  assert.equal(deleted.decisions[8].result, 'claimed');
  const revertedWhileDown = run(plan, [...EVACUATED, move('migrate', 'app', { host: 'cmp-2' }), { op: 'revert', instance: 'app', expect: null }, { op: 'up', host: 'cmp-1' }]);
  assert.deepEqual(oldHostUsages(revertedWhileDown.state), EMPTY_HOST);
});

for (const model of ['legacy', 'placement'] as const) {
  test(`${model}: an evacuation that finds no host leaves the instance in ERROR on its source; Nova refuses its moves, confirm and revert, and evacuates it again`, () => {
    const { state, decisions } = run(threeHosts(model), [
      ...START,
      { op: 'down', host: 'cmp-1' },
      { op: 'down', host: 'cmp-2' },
      { op: 'down', host: 'cmp-3' },
      move('evacuate', 'app'),
      { op: 'up', host: 'cmp-1' },
      move('resize', 'app', { flavor: 'medium' }),
      move('migrate', 'app'),
      move('live_migrate', 'app'),
      { op: 'confirm', instance: 'app', expect: null },
      { op: 'revert', instance: 'app', expect: null },
      { op: 'down', host: 'cmp-1' },
      { op: 'up', host: 'cmp-3' },
      move('evacuate', 'app'),
      { op: 'up', host: 'cmp-2' },
      move('migrate', 'app'),
    ]);
    assert.deepEqual([decisions[5].result, decisions[5].host], ['rejected', null]);
    assert.deepEqual(
      decisions.slice(7, 12).map((decision) => decision.reasons[0]),
      ['resize', 'migrate', 'os-migrateLive', 'confirmResize', 'revertResize'].map((action) => `Cannot '${action}' instance app while it is in vm_state error`),
    );
    assert.deepEqual([decisions[14].result, decisions[14].from, decisions[14].host], ['claimed', 'cmp-1', 'cmp-3']);
    assert.deepEqual([decisions[16].result, decisions[16].host], ['claimed', 'cmp-2'], 'rebuilt, the instance is active again');
    assert.equal(state.hostedInstances().find(({ instance }) => instance === 'app')?.host, 'cmp-2');
  });
}

test('Nova\'s words for a cold move off a down source, and for an evacuation to the instance\'s own host, which the API checks first', () => {
  const { decisions } = run(threeHosts('legacy'), [
    ...START,
    build('big', 'large', { host: 'cmp-3' }),
    build('ghost', 'large', { host: 'cmp-3' }),
    { op: 'down', host: 'cmp-1' },
    move('resize', 'app', { flavor: 'medium' }),
    move('migrate', 'app'),
    move('live_migrate', 'app'),
    move('evacuate', 'ghost'),
    move('evacuate', 'filler', { host: 'cmp-2' }),
  ]);
  assert.equal(decisions[3].result, 'rejected');
  assert.deepEqual(decisions.slice(5).map((decision) => decision.reasons[0]), [
    'Service is unavailable at this time.',
    'Service is unavailable at this time.',
    'Compute service of cmp-1 is unavailable at this time.',
    "The target host can't be the same one.",
    "The target host can't be the same one.",
  ]);
});

test('placement: a move whose only candidate is its own source gets the filters\' No valid host, since Placement lists the source and only ignore_hosts drops it', () => {
  const { decisions } = run(threeHosts('placement'), [...START, { op: 'down', host: 'cmp-2' }, { op: 'down', host: 'cmp-3' }, move('migrate', 'app'), move('live_migrate', 'app', { host: 'cmp-1' }), move('migrate', 'app', { host: 'cmp-2' })]);
  assert.deepEqual(decisions.slice(4).map((decision) => decision.reasons[0]), [NO_VALID_HOST, NO_VALID_HOST, 'No valid host was found. '], 'a named destination is the only provider Placement is asked about (in_tree)');
});
