// Moves (docs/semantics.md, "Moves"): what Nova's API, conductor and libvirt refuse, in
// Nova's words, and the scheduler's causes for a move (what a move holds on its hosts:
// test/engine/core/cloud-state.test.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { NO_VALID_HOST } from '../../../src/engine/scheduler/filter-scheduler.ts';
import type { Cloud } from '../../../src/engine/core/model.ts';
import { build, cloud, flavor, host } from '../builders.ts';
import { FLAVORS, move, run, START, threeHosts } from '../move-plans.ts';

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
