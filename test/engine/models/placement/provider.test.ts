import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_CLOUD_SETTINGS, type Inventory } from '../../../../src/engine/core/model.ts';
import { placementCatalog, ResourceProvider } from '../../../../src/engine/models/placement/provider.ts';
import type { ResourceRequest } from '../../../../src/engine/models/placement/resource-request.ts';
import { host } from '../../builders.ts';

const inventory = (figures: Partial<Inventory> & { total: number }): Inventory => ({
  reserved: 0,
  min_unit: 1,
  max_unit: 2147483647,
  step_size: 1,
  allocation_ratio: 1,
  ...figures,
});

const gpuHost = host('cmp-01', {
  vcpus: 8,
  memory_mb: 8192,
  local_gb: 100,
  inventories: { CUSTOM_GPU: inventory({ total: 4, max_unit: 2, step_size: 1 }), CUSTOM_FPGA: inventory({ total: 6, min_unit: 3, step_size: 2 }) },
});
const settings = { ...DEFAULT_CLOUD_SETTINGS, reserved_host_memory_mb: 1024, cpu_allocation_ratio: 1 };
const catalog = placementCatalog([gpuHost]);
const amounts = (entries: [string, number][]) => new Map(entries);

function request(entries: [string, number][]): ResourceRequest {
  return { groups: [{ suffix: '', resources: amounts(entries), required: new Set(), forbidden: new Set() }], resources: amounts(entries), groupPolicy: null };
}

test('refuses an allocation above max_unit as a constraint violation, before any capacity, naming the host', () => {
  const provider = ResourceProvider.start(gpuHost, settings);
  assert.equal(
    provider.allocationRefusal(amounts([['VCPU', 9], ['CUSTOM_GPU', 3]]), catalog, 'web-1')?.text,
    "Unable to allocate inventory: Unable to create allocation for 'VCPU' on resource provider 'cmp-01'. The requested amount would violate inventory constraints.",
  );
});

test('refuses what exceeds (total − reserved) × ratio, unrounded, and names only the first failing class', () => {
  const provider = ResourceProvider.start(gpuHost, settings);
  provider.allocate({ MEMORY_MB: 10000 }, 1);
  assert.equal(
    provider.allocationRefusal(amounts([['MEMORY_MB', 753], ['VCPU', 9]]), catalog, 'web-1')?.text,
    "Unable to allocate inventory: Unable to create allocation for 'MEMORY_MB' on resource provider 'cmp-01'. The requested amount would exceed the capacity.",
  );
  assert.equal(provider.allocationRefusal(amounts([['MEMORY_MB', 752]]), catalog, 'web-1'), null);
});

test('counts step_size from zero, so a minimum that is no multiple of it refuses its own amount', () => {
  const provider = ResourceProvider.start(gpuHost, settings);
  assert.match(provider.allocationRefusal(amounts([['CUSTOM_FPGA', 3]]), catalog, 'i')!.text, /violate inventory constraints/);
  assert.equal(provider.allocationRefusal(amounts([['CUSTOM_FPGA', 4]]), catalog, 'i'), null);
});

test('names a class the provider lacks, every asked class when it has none of them, and an unknown class by its consumer', () => {
  const provider = ResourceProvider.start(gpuHost, settings);
  assert.equal(
    provider.allocationRefusal(amounts([['VCPU', 1], ['PCPU', 1]]), catalog, 'i')?.text,
    "Unable to allocate inventory: Inventory for 'PCPU' on resource provider 'cmp-01' invalid.",
  );
  // A Python set of the ids (PCPU 14, DISK_GB 2, VGPU 10) iterates in slot order.
  const bare = ResourceProvider.start(host('cmp-02', { vcpus: 0, memory_mb: 0, local_gb: 0 }), settings);
  assert.equal(
    bare.allocationRefusal(amounts([['PCPU', 1], ['DISK_GB', 1], ['VGPU', 1]]), catalog, 'i')?.text,
    "Unable to allocate inventory: Inventory for 'DISK_GB, VGPU, PCPU' on resource provider 'cmp-02' invalid.",
  );
  assert.equal(
    provider.allocationRefusal(amounts([['CUSTOM_NOPE', 1]]), catalog, 'web-7')?.text,
    'Unable to allocate inventory for consumer web-7: No such resource class CUSTOM_NOPE.',
  );
});

test('tells why it is no candidate, class by class, with how much less would pass', () => {
  const provider = ResourceProvider.start(gpuHost, settings);
  provider.allocate({ CUSTOM_GPU: 3 }, 1);
  const misses = provider.classMisses(request([['VCPU', 10], ['CUSTOM_GPU', 2], ['PCPU', 1], ['CUSTOM_FPGA', 3]]));
  assert.deepEqual(
    misses.map(({ resourceClass, short }) => [resourceClass, short]),
    [
      ['VCPU', 2],
      ['CUSTOM_GPU', 1],
      ['PCPU', null],
      ['CUSTOM_FPGA', null],
    ],
  );
});

test('carries the plan\'s traits and nova-compute\'s own, HW_CPU_HYPERTHREADING by the cells\' threads', () => {
  const smt = host('cmp-03', {
    traits: ['CUSTOM_GOLD', 'COMPUTE_SAME_HOST_COLD_MIGRATE'],
    numa: [{ id: 0, cpus: [0, 1], pcpus: [], memory_mb: 4096, siblings: [[0, 1]], mempages: [] }],
  });
  const { traits } = ResourceProvider.start(smt, settings);
  assert.ok(traits.has('CUSTOM_GOLD') && traits.has('COMPUTE_NODE') && traits.has('HW_CPU_HYPERTHREADING'));
  assert.ok(!traits.has('COMPUTE_SAME_HOST_COLD_MIGRATE'));
  assert.ok(!ResourceProvider.start(host('cmp-04', { traits: ['HW_CPU_HYPERTHREADING'] }), settings).traits.has('HW_CPU_HYPERTHREADING'));
});

test('keeps only the plan\'s traits where Placement refused the inventory', () => {
  const refused = ResourceProvider.start(host('cmp-05', { memory_mb: 256, traits: ['CUSTOM_GOLD'] }), settings);
  assert.deepEqual([...refused.traits], ['CUSTOM_GOLD']);
  assert.equal(refused.inventories.size, 0);
});

test('knows the custom classes of every host\'s inventory, ranked by name, and the custom traits hosts carry', () => {
  assert.deepEqual([...catalog.customClassIds], [
    ['CUSTOM_FPGA', 10000],
    ['CUSTOM_GPU', 10001],
  ]);
  assert.deepEqual([...placementCatalog([host('a', { traits: ['CUSTOM_X', 'COMPUTE_NODE'] })]).customTraits], ['CUSTOM_X']);
});
