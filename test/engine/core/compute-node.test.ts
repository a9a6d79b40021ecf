// A compute node's figures as Nova's ResourceTracker keeps them: reserved amounts, usage
// totals, truncation to integers, and what a claim asks of it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CloudState } from '../../../src/engine/core/cloud-state.ts';
import { requestedResources } from '../../../src/engine/core/compute-node.ts';
import { cloud, flavor, host } from '../builders.ts';

test('starts with the reserved memory and disk counted as used, the disk reservation truncated to whole GB', () => {
  const state = CloudState.start(cloud([host('a', { used: { memory_mb: 100, local_gb: 7, vcpus: 3, running_vms: 2 } })], [], { reserved_host_memory_mb: 1024, reserved_host_disk_mb: 1500 }));
  const [usage] = state.hostUsages();
  assert.deepEqual(
    [usage.memory_mb_used, usage.local_gb_used, usage.vcpus_used, usage.running_vms, usage.free_ram_mb, usage.free_disk_gb],
    [1124, 1 + 7, 3, 2, 32768 - 1124, 500 - 8],
  );
});

test('asks memory and disk with the driver overhead, and never the swap, of a host', () => {
  const state = CloudState.start(cloud([host('a', { overhead: { memory_mb: 64, disk_gb: 2 } })], [flavor('f', { swap: 2048, ephemeral_gb: 10 })]));
  const node = state.nodeNamed('a');
  assert.deepEqual(requestedResources(flavor('f', { swap: 2048, ephemeral_gb: 10 }), node), { memory_mb: 4096 + 64, disk_gb: 40 + 10 + 2, vcpus: 2 });
});

test('counts an existing instance on its host at start, without a claim test, even past the limits', () => {
  const hosts = [host('a', { memory_mb: 4096, instances: [{ name: 'big', flavor: 'f' }, { name: 'big-2', flavor: 'f' }] })];
  const [usage] = CloudState.start(cloud(hosts, [flavor('f')], { ram_allocation_ratio: 1 })).hostUsages();
  assert.equal(usage.memory_mb_used, 512 + 2 * 4096);
  assert.equal(usage.running_vms, 2);
  assert.ok(usage.memory_mb_used > (usage.limits.memory_mb ?? Infinity));
});
