import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolveSettings } from '../../../../src/engine/core/compute-node.ts';
import { limitsFor } from '../../../../src/engine/models/legacy/limits.ts';
import { DEFAULT_CLOUD_SETTINGS } from '../../../../src/engine/core/model.ts';
import { host } from '../../builders.ts';

const node = host('cmp-1', { vcpus: 8, memory_mb: 4096, local_gb: 100 });

test('sets memory and disk limits but leaves vcpus unlimited under Nova\'s legacy default filters', () => {
  assert.deepEqual(limitsFor(node, DEFAULT_CLOUD_SETTINGS), { memory_mb: 6144, disk_gb: 100, vcpu: null, numa_topology: null });
});

test('limits vcpus only when CoreFilter is enabled', () => {
  const settings = { ...DEFAULT_CLOUD_SETTINGS, enabled_filters: ['CoreFilter'] };
  assert.deepEqual(limitsFor(node, settings), { memory_mb: null, disk_gb: null, vcpu: 128, numa_topology: null });
});

test('sets each limit from its own filter only', () => {
  const only = (filter: string) => limitsFor(node, { ...DEFAULT_CLOUD_SETTINGS, enabled_filters: [filter] });
  assert.deepEqual(only('RamFilter'), { memory_mb: 6144, disk_gb: null, vcpu: null, numa_topology: null });
  assert.deepEqual(only('DiskFilter'), { memory_mb: null, disk_gb: 100, vcpu: null, numa_topology: null });
  assert.deepEqual(only('AggregateCoreFilter').vcpu, 128);
  assert.deepEqual(only('NUMATopologyFilter').numa_topology, { cpu_allocation_ratio: 16, ram_allocation_ratio: 1.5 });
  assert.deepEqual(only('ComputeFilter'), { memory_mb: null, disk_gb: null, vcpu: null, numa_topology: null });
});

test('leaves a resource unlimited when its ratio is null', () => {
  const settings = { ...DEFAULT_CLOUD_SETTINGS, ram_allocation_ratio: null };
  assert.equal(limitsFor(node, settings).memory_mb, null);
});

test('lets a host\'s own ratio win over the cloud\'s, as aggregate metadata does', () => {
  const tuned = host('cmp-2', { vcpus: 8, settings: { cpu_allocation_ratio: 2, enabled_filters: ['CoreFilter'] } });
  const settings = resolveSettings({ ...DEFAULT_CLOUD_SETTINGS, cpu_allocation_ratio: 16 }, tuned);
  assert.equal(limitsFor(tuned, settings).vcpu, 16);
});

test('replaces every filter limit with explicit limits, absent keys unlimited', () => {
  const explicit = host('cmp-3', { limits: { memory_mb: 300000, vcpu: 128 } });
  assert.deepEqual(limitsFor(explicit, DEFAULT_CLOUD_SETTINGS), { memory_mb: 300000, disk_gb: null, vcpu: 128, numa_topology: null });
});

test('sets no vcpu limit when a host reports no vCPUs or the ratio is 0, as CoreFilter does', () => {
  const settings = { ...DEFAULT_CLOUD_SETTINGS, enabled_filters: ['CoreFilter'] };
  assert.equal(limitsFor(host('cmp-0', { vcpus: 0 }), settings).vcpu, null);
  assert.equal(limitsFor(node, { ...settings, cpu_allocation_ratio: 0 }).vcpu, null);
});
