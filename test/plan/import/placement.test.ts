// Placement's bodies, from the API (a folder per provider) or osc-placement's listings:
// providers, inventories, usages, traits and aggregates.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { placementInventories, placementProviders, placementTraits, placementUsages, oscProviderList } from '../../../src/plan/import/placement.ts';
import { imported, readWith, refused } from './read-export.ts';

test('reads a folder of Placement API bodies, one provider to a folder named by its UUID', () => {
  const { hosts, warnings } = imported('published/placement');
  assert.deepEqual(hosts.map((host) => host.name), ['pony1']);
  assert.deepEqual(hosts[0].traits, ['CUSTOM_HW_FPGA_CLASS1', 'CUSTOM_HW_FPGA_CLASS3']);
  assert.deepEqual(hosts[0].aggregates, ['42896e0d-205d-4fe3-bd1e-100924931787', '5e08ea53-c4c6-448e-9334-ac4953de3cfa']);
  assert.deepEqual(hosts[0].used, { memory_mb: 512, local_gb: 1, vcpus: 1, running_vms: 0 });
  assert.deepEqual(warnings, [
    'published/placement/resource_providers.json:3:5  resource_providers[0]  resource provider `vgr.localdomain` belongs to provider 542df8ed-9be2-49b9-b4db-6d3183ff8ec8, which no export lists: imported as a host of its own',
    'published/placement/resource_providers.json:3:5  resource_providers[0]  resource provider `vgr.localdomain` has no inventory in the exports, so it is no compute node: left out',
    'published/placement/resource_providers.json:36:5  resource_providers[1]  Placement aggregate 42896e0d-205d-4fe3-bd1e-100924931787 has no name in the exports: hosts are labelled with its UUID (export `openstack aggregate list --long -f json` to name it)',
    'published/placement/resource_providers.json:36:5  resource_providers[1]  Placement aggregate 5e08ea53-c4c6-448e-9334-ac4953de3cfa has no name in the exports: hosts are labelled with its UUID (export `openstack aggregate list --long -f json` to name it)',
  ]);
});

test('reads osc-placement\'s per-provider listings and keeps a custom resource class as an inventory', () => {
  const { hosts, warnings } = imported('osc/placement', 'osc/aggregates-list.json', 'osc/hypervisors-list.json');
  const gpu = hosts.find((host) => host.name === 'gpu-001.example.net')!;
  assert.deepEqual(gpu.inventories?.CUSTOM_GPU_A100, { total: 4, max_unit: 1 });
  assert.deepEqual(gpu.traits, ['CUSTOM_GPU_NODE', 'HW_CPU_X86_AVX2']);
  assert.match(warnings.join('\n'), /host `gpu-001.example.net` uses CUSTOM_GPU_A100 2, which a plan's `used` cannot hold/);
});

test('the providers reader keeps each provider\'s UUID, name and parent, and the inventory, usage and trait readers take the provider from the path', () => {
  const providers = readWith(placementProviders, 'published/placement/resource_providers.json').providers;
  assert.deepEqual(providers.map((provider) => [provider.name, provider.uuid, provider.parentUuid]), [
    ['vgr.localdomain', '99c09379-6e52-4ef8-9a95-b9ce6f68452e', '542df8ed-9be2-49b9-b4db-6d3183ff8ec8'],
    ['pony1', 'd0b381e9-8761-42de-8e6c-bba99a96d5f5', null],
  ]);
  const folder = 'published/placement/d0b381e9-8761-42de-8e6c-bba99a96d5f5';
  const [inventories] = readWith(placementInventories, `${folder}/inventories.json`).providerDetails;
  assert.equal(inventories.provider[0], 'd0b381e9-8761-42de-8e6c-bba99a96d5f5');
  assert.deepEqual(inventories.inventories?.MEMORY_MB, { total: 5825, reserved: 512, min_unit: 1, max_unit: 5825, step_size: 1, allocation_ratio: 1.5 });
  assert.deepEqual(readWith(placementUsages, `${folder}/usages.json`).providerDetails[0].usages, { DISK_GB: 1, MEMORY_MB: 512, VCPU: 1 });
  assert.deepEqual(readWith(placementTraits, `${folder}/traits.json`).providerDetails[0].traits, ['CUSTOM_HW_FPGA_CLASS1', 'CUSTOM_HW_FPGA_CLASS3']);
});

test('the client\'s provider list names each provider by UUID and name, with no parent given', () => {
  const providers = readWith(oscProviderList, 'osc/placement/providers.json').providers;
  assert.deepEqual(providers.map((provider) => [provider.name, provider.parentUuid]), [
    ['cmp-001.example.net', null],
    ['cmp-002.example.net', null],
    ['gpu-001.example.net', null],
  ]);
});

// The only published listings of a whole nested tree are the client's tables (the fixture
// folder's README names the source): each is refused, located, with the `-f json` command.
test('refuses the client\'s table of a published vGPU tree and of its pGPU\'s inventory, naming the `-f json` command for each', () => {
  assert.deepEqual(refused('refused/resource-provider-list-tree-table.txt', 'refused/resource-provider-inventory-table.txt'), [
    "refused/resource-provider-list-tree-table.txt:1:1  is an ASCII table (the client's default `-f table`), which cannot be read back reliably: export `openstack resource provider list -f json`",
    "refused/resource-provider-inventory-table.txt:1:1  is an ASCII table (the client's default `-f table`), which cannot be read back reliably: export `openstack resource provider inventory list UUID -f json`",
  ]);
});
