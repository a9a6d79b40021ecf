// A host's room and what an instance takes there, by arithmetic alone: the figures expand's
// bounds and consolidate's upper bound count with.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CloudState } from '../../../src/engine/core/cloud-state.ts';
import { freeAmounts, leastTaken, mostTaken } from '../../../src/engine/models/host-room.ts';
import { cloud, flavor, host } from '../builders.ts';

const M1 = flavor('m1', { vcpus: 2, memory_mb: 4096, root_gb: 40, ephemeral_gb: 10 });

test('a build surely takes its flavor\'s memory, disk and vCPUs; booted from a volume, no root disk', () => {
  assert.deepEqual(leastTaken(M1, false), { memory: 4096, disk: 50, vcpu: 2 });
  assert.deepEqual(leastTaken(M1, true), { memory: 4096, disk: 10, vcpu: 2 });
});

test('counts 0 of what an extra spec may change, and no VCPU for pinned CPUs, which Placement counts as PCPU', () => {
  const overridden = flavor('odd', { ...M1, extra_specs: { 'resources:MEMORY_MB': '1024', 'resources1:DISK_GB': '5' } });
  assert.deepEqual(leastTaken(overridden, false), { memory: 0, disk: 0, vcpu: 2 });
  assert.equal(leastTaken(flavor('pinned', { ...M1, extra_specs: { 'hw:cpu_policy': 'dedicated' } }), false).vcpu, 0);
  assert.equal(leastTaken(flavor('mixed', { ...M1, extra_specs: { 'hw:cpu_policy': 'mixed' } }), false).vcpu, 0);
});

test('at most takes the flavor and the host\'s overhead, and no bound at all of what an extra spec may ask more of', () => {
  const withOverhead = host('cmp-1', { overhead: { memory_mb: 256, disk_gb: 1 } });
  assert.deepEqual(mostTaken(M1, withOverhead), { memory: 4352, disk: 51, vcpu: 2 });
  assert.deepEqual(mostTaken(flavor('odd', { ...M1, extra_specs: { 'resources:VCPU': '8' } }), withOverhead).vcpu, Infinity);
});

test('legacy: free is each limit less what is used, unlimited where no filter sets a limit', () => {
  const usage = (filters: string[]) =>
    CloudState.start(cloud([host('cmp-1', { memory_mb: 16384, vcpus: 8, local_gb: 100 })], [M1], { enabled_filters: filters, reserved_host_memory_mb: 0, ram_allocation_ratio: 1.0, cpu_allocation_ratio: 2.0 })).hostUsages()[0];
  assert.deepEqual(freeAmounts(usage(['RamFilter', 'CoreFilter'])), { memory: 16384, disk: Infinity, vcpu: 16 });
});

test('placement: free is each inventory\'s capacity less its usage, and 0 for a class the host has none of', () => {
  const state = CloudState.start(cloud([host('cmp-1', { memory_mb: 16384, vcpus: 8, local_gb: 100 })], [M1], { capacity_model: 'placement', reserved_host_memory_mb: 512, ram_allocation_ratio: 1.0, cpu_allocation_ratio: 4.0, disk_allocation_ratio: 1.0 }));
  state.decide({ op: 'build', instance: 'a', flavor: 'm1', host: 'cmp-1', aggregate: null, expect: null }, 1, { audit: false, explain: false });
  assert.deepEqual(freeAmounts(state.hostUsages()[0]), { memory: 16384 - 512 - 4096, disk: 100 - 50, vcpu: 32 - 2 });
  const noDisk = { ...state.hostUsages()[0], inventories: { VCPU: state.hostUsages()[0].inventories!.VCPU, MEMORY_MB: state.hostUsages()[0].inventories!.MEMORY_MB } };
  assert.equal(freeAmounts(noDisk).disk, 0);
});
