import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Flavor } from '../../../../src/engine/core/model.ts';
import { placementRequestFor, traitsOf } from '../../../../src/engine/models/placement/resource-request.ts';
import { topologyRequestFor } from '../../../../src/engine/topology/host-topology.ts';
import { flavor } from '../../builders.ts';

function requestOf(spec: Flavor, bootFromVolume = false) {
  const topology = topologyRequestFor(spec, []);
  if (!topology.ok) throw new Error(topology.error);
  return placementRequestFor(spec, topology.value, bootFromVolume);
}

const resources = (spec: Flavor, bootFromVolume = false) => [...requestOf(spec, bootFromVolume).primary.resources];

test('asks for VCPU, MEMORY_MB and DISK_GB (root + ephemeral + swap in whole GB rounded up)', () => {
  assert.deepEqual(resources(flavor('m1', { vcpus: 2, memory_mb: 4096, root_gb: 40, ephemeral_gb: 10, swap: 1500 })), [
    ['VCPU', 2],
    ['MEMORY_MB', 4096],
    ['DISK_GB', 52],
  ]);
});

test('leaves the root disk out when it boots from a volume, and DISK_GB out when nothing is left', () => {
  assert.deepEqual(resources(flavor('m1', { root_gb: 40, ephemeral_gb: 5 }), true).at(-1), ['DISK_GB', 5]);
  assert.deepEqual(resources(flavor('m1', { root_gb: 40 }), true).map(([resourceClass]) => resourceClass), ['VCPU', 'MEMORY_MB']);
});

test('puts the extra specs\' classes first, in the flavor\'s order, overriding the flavor\'s own and dropping zeros', () => {
  const spec = flavor('gpu', {
    vcpus: 8,
    extra_specs: { 'resources:CUSTOM_GPU': '2', 'resources:MEMORY_MB': '1024', 'resources:DISK_GB': '0', 'resources:VCPU': '4' },
  });
  assert.deepEqual(resources(spec), [
    ['CUSTOM_GPU', 2],
    ['MEMORY_MB', 1024],
    ['VCPU', 4],
  ]);
});

test('skips what RequestGroup.add_resource skips: a class neither standard nor custom, an amount int() refuses or below 0', () => {
  const spec = flavor('odd', { extra_specs: { 'resources:GPU': '1', 'resources:CUSTOM_X': 'two', 'resources:CUSTOM_Y': '-1', 'resources:CUSTOM_Z': ' 3 ' } });
  assert.deepEqual(resources(spec)[0], ['CUSTOM_Z', 3]);
});

test('asks for PCPU under hw:cpu_policy=dedicated, one more for isolated emulator threads, with a VCPU fallback', () => {
  const spec = flavor('pinned', { vcpus: 4, extra_specs: { 'hw:cpu_policy': 'dedicated', 'hw:emulator_threads_policy': 'isolate' } });
  const request = requestOf(spec);
  assert.deepEqual([...request.primary.resources].slice(0, 1), [['PCPU', 5]]);
  assert.deepEqual([...request.fallback!.resources].slice(0, 1), [['VCPU', 4]]);
});

test('splits a mixed flavor between VCPU and PCPU by its dedicated mask, with no fallback', () => {
  const spec = flavor('mixed', { vcpus: 4, extra_specs: { 'hw:cpu_policy': 'mixed', 'hw:cpu_dedicated_mask': '^0' } });
  const request = requestOf(spec);
  assert.deepEqual([...request.primary.resources].slice(0, 2), [
    ['VCPU', 1],
    ['PCPU', 3],
  ]);
  assert.equal(request.fallback, null);
});

test('turns the thread policy into HW_CPU_HYPERTHREADING, and the socket PCI policy into its trait, beside the flavor\'s own traits', () => {
  const spec = flavor('traits', {
    extra_specs: {
      'trait:CUSTOM_GOLD': 'required',
      'trait:CUSTOM_LEAD': 'forbidden',
      'trait:CUSTOM_TIN': 'maybe',
      'hw:cpu_policy': 'dedicated',
      'hw:cpu_thread_policy': 'isolate',
      'hw:pci_numa_affinity_policy': 'socket',
    },
  });
  const request = requestOf(spec);
  assert.deepEqual(traitsOf(request.primary), {
    required: ['CUSTOM_GOLD', 'COMPUTE_SOCKET_PCI_NUMA_AFFINITY'],
    forbidden: ['CUSTOM_LEAD', 'HW_CPU_HYPERTHREADING'],
  });
  assert.deepEqual(traitsOf(request.fallback!).forbidden, ['CUSTOM_LEAD']);
});

test('keeps granular groups apart and sums their classes, with the group policy given', () => {
  const spec = flavor('granular', { vcpus: 2, extra_specs: { 'resources1:VCPU': '1', 'resources2:CUSTOM_NIC': '1', group_policy: 'isolate', 'trait1:CUSTOM_A': 'required' } });
  const { primary } = requestOf(spec);
  assert.deepEqual(primary.groups.map((group) => group.suffix), ['1', '2', '']);
  assert.deepEqual([...primary.resources], [
    ['VCPU', 1],
    ['CUSTOM_NIC', 1],
    ['MEMORY_MB', 4096],
    ['DISK_GB', 40],
  ]);
  assert.equal(primary.groupPolicy, 'isolate');
});
