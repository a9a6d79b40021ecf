import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_CLOUD_SETTINGS, type CloudSettings, type HostNumaCellSpec } from '../../../../src/engine/core/model.ts';
import { capacityOf, derivedInventories, providerInventories, refusesInventory } from '../../../../src/engine/models/placement/inventory.ts';
import { host } from '../../builders.ts';

const settings = (overrides: Partial<CloudSettings> = {}): CloudSettings => ({ ...DEFAULT_CLOUD_SETTINGS, ...overrides });
const cell = (id: number, cpus: number[], pcpus: number[]): HostNumaCellSpec => ({ id, cpus, pcpus, memory_mb: 4096, siblings: [], mempages: [] });

test('reports MEMORY_MB, VCPU and DISK_GB in the driver\'s order, each with max_unit the total', () => {
  const inventories = derivedInventories(host('cmp-1', { vcpus: 16, memory_mb: 32768, local_gb: 500 }), settings({ reserved_host_memory_mb: 4096, reserved_host_disk_mb: 0 }));
  assert.deepEqual([...inventories.keys()], ['MEMORY_MB', 'VCPU', 'DISK_GB']);
  assert.deepEqual(inventories.get('MEMORY_MB'), { total: 32768, reserved: 4096, min_unit: 1, max_unit: 32768, step_size: 1, allocation_ratio: 1.5 });
  assert.deepEqual(inventories.get('VCPU'), { total: 16, reserved: 0, min_unit: 1, max_unit: 16, step_size: 1, allocation_ratio: 16 });
  assert.deepEqual(inventories.get('DISK_GB'), { total: 500, reserved: 0, min_unit: 1, max_unit: 500, step_size: 1, allocation_ratio: 1 });
});

test('takes the initial ratios where a ratio is unset or 0, as nova-compute does for a new provider', () => {
  const inventories = derivedInventories(host('cmp-1'), settings({ cpu_allocation_ratio: null, ram_allocation_ratio: 0, disk_allocation_ratio: null }));
  assert.deepEqual(
    ['VCPU', 'MEMORY_MB', 'DISK_GB'].map((resourceClass) => inventories.get(resourceClass)!.allocation_ratio),
    [16.0, 1.5, 1.0],
  );
  assert.equal(derivedInventories(host('cmp-1'), settings({ cpu_allocation_ratio: 4 })).get('VCPU')!.allocation_ratio, 4);
});

test('reserves disk in whole GB rounded up from reserved_host_disk_mb', () => {
  assert.equal(derivedInventories(host('cmp-1'), settings({ reserved_host_disk_mb: 1025 })).get('DISK_GB')!.reserved, 2);
  assert.equal(derivedInventories(host('cmp-1'), settings({ reserved_host_disk_mb: 1024 })).get('DISK_GB')!.reserved, 1);
});

test('counts VCPU from the cells\' shared CPUs and PCPU from their dedicated ones, at ratio 1', () => {
  const numa = [cell(0, [0, 1], [2, 3, 4]), cell(1, [5], [6, 7])];
  const inventories = derivedInventories(host('cmp-1', { vcpus: 64, numa }), settings({ cpu_allocation_ratio: 4 }));
  assert.equal(inventories.get('VCPU')!.total, 3);
  assert.deepEqual(inventories.get('PCPU'), { total: 5, reserved: 0, min_unit: 1, max_unit: 5, step_size: 1, allocation_ratio: 1 });
});

test('reports no VCPU for a host with only dedicated CPUs, and no class whose total is 0', () => {
  const inventories = derivedInventories(host('cmp-1', { local_gb: 0, numa: [cell(0, [], [0, 1])] }), settings());
  assert.deepEqual([...inventories.keys()], ['MEMORY_MB', 'PCPU']);
});

test('lets a class the plan gives replace the derived one, and adds custom classes after', () => {
  const spec = host('cmp-1', {
    inventories: {
      CUSTOM_GPU: { total: 4, reserved: 0, min_unit: 1, max_unit: 1, step_size: 1, allocation_ratio: 1 },
      VCPU: { total: 8, reserved: 2, min_unit: 1, max_unit: 4, step_size: 2, allocation_ratio: 2 },
    },
  });
  const inventories = providerInventories(spec, settings())!;
  assert.deepEqual([...inventories.keys()], ['MEMORY_MB', 'VCPU', 'DISK_GB', 'CUSTOM_GPU']);
  assert.equal(inventories.get('VCPU')!.step_size, 2);
});

test('keeps no inventory at all when Placement refuses one class for a reserve above its total', () => {
  assert.equal(providerInventories(host('cmp-1', { memory_mb: 256 }), settings({ reserved_host_memory_mb: 512 })), null);
});

test('compares capacity unrounded, and refuses an inventory only when its truncated capacity is negative', () => {
  const inventory = { total: 10, reserved: 3, min_unit: 1, max_unit: 10, step_size: 1, allocation_ratio: 1.5 };
  assert.equal(capacityOf(inventory), 10.5);
  assert.equal(refusesInventory({ ...inventory, reserved: 11, allocation_ratio: 0.5 }), false);
  assert.equal(refusesInventory({ ...inventory, reserved: 11, allocation_ratio: 1 }), true);
});
