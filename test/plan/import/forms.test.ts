// Each export form read as published (test/fixtures/import/README.md names the sources):
// what the plan keeps from it, and the located warning for what it cannot hold.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { formatPlanError, type PlanError } from '../../../src/plan/errors.ts';
import { importExports } from '../../../src/plan/import/exports.ts';
import { PROJECT_ROOT } from '../../run-cli.ts';

const FIXTURES = join(PROJECT_ROOT, 'test/fixtures/import');
const at = (...paths: string[]) => paths.map((path) => join(FIXTURES, path));

type Host = Record<string, unknown> & { name: string; used?: Record<string, number>; inventories?: Record<string, Record<string, number>> };
type Flavor = Record<string, unknown> & { name: string; extra_specs?: Record<string, string> };

function imported(...paths: string[]) {
  const result = importExports(at(...paths), () => '');
  if (!result.ok) assert.fail(result.error.map(formatPlanError).join('\n'));
  const plan = result.value.plan as { cloud: Record<string, unknown>; hosts: Host[]; flavors: Flavor[] };
  const warnings = result.warnings.map((warning) => formatPlanError(warning).replace(`${FIXTURES}/`, ''));
  return { ...plan, warnings };
}

function refused(...paths: string[]): string[] {
  const result = importExports(at(...paths), () => '');
  assert.equal(result.ok, false, 'the import should be refused');
  return (result as { error: PlanError[] }).error.map((error) => formatPlanError(error).replace(`${FIXTURES}/`, ''));
}

test('reads GET /os-hypervisors/detail at 2.1, with cpu_info as text and `service` as an object', () => {
  const { hosts, cloud } = imported('published/nova/hypervisors-detail-2.1.json');
  assert.deepEqual(hosts, [{ name: 'fake-mini', vcpus: 2, memory_mb: 8192, local_gb: 1028, used: { memory_mb: 512, local_gb: 0, vcpus: 0, running_vms: 0 } }]);
  // The hypervisor's memory_mb_used already holds what the host reserves.
  assert.equal(cloud.reserved_host_memory_mb, 0);
});

test('reads every microversion of os-hypervisors below 2.88 alike: 2.28 cpu_info objects, 2.33 paging links, 2.53 UUIDs, show bodies', () => {
  for (const sample of ['hypervisors-detail-2.28.json', 'hypervisors-detail-2.33.json', 'hypervisors-detail-2.53.json', 'hypervisor-show-2.53.json', 'hypervisors-detail-with-servers-2.53.json']) {
    const { hosts } = imported(`published/nova/${sample}`);
    assert.equal(hosts.length, 1, sample);
    assert.equal(hosts[0].memory_mb, 8192, sample);
    assert.deepEqual(hosts[0].used, { memory_mb: 512, local_gb: 0, vcpus: 0, running_vms: 0 }, sample);
  }
});

test('takes the figures of a 2.88 hypervisor from the Placement provider with its UUID', () => {
  const { hosts, cloud, warnings } = imported('published/api-2.88');
  assert.deepEqual(warnings, []);
  assert.equal(hosts[0].name, 'fake-mini');
  assert.deepEqual([hosts[0].vcpus, hosts[0].memory_mb, hosts[0].local_gb], [4, 5825, 35]);
  assert.deepEqual(hosts[0].used, { memory_mb: 512, local_gb: 1, vcpus: 1, running_vms: 0 });
  assert.deepEqual([cloud.reserved_host_memory_mb, cloud.ram_allocation_ratio, cloud.cpu_allocation_ratio], [512, 1.5, 16]);
  assert.deepEqual(hosts[0].inventories?.MEMORY_MB, { total: 5825, reserved: 512, max_unit: 5825, allocation_ratio: 1.5 });
});

test('refuses a 2.88 hypervisor without Placement, saying which commands export the figures', () => {
  const [error, ...more] = refused('refused/hypervisors-detail-2.88.json');
  assert.deepEqual(more, []);
  assert.match(error, /^refused\/hypervisors-detail-2\.88\.json:3:9 {2}hypervisors\[0\] {2}has no vCPU, memory or disk figures \(compute API 2\.88 and later leave them out\)/);
  assert.match(error, /openstack --os-compute-api-version 2\.87 hypervisor show HOST -f json/);
  assert.match(error, /openstack resource provider inventory list UUID -f json/);
});

test('refuses cloud-wide totals, from the API or as the client\'s table, with what to export instead', () => {
  assert.match(refused('refused/hypervisors-statistics-2.53.json')[0], /:2:30 {2}hypervisor_statistics {2}is `GET \/os-hypervisors\/statistics`: cloud-wide totals.*hypervisor show HOST -f json/);
  assert.match(refused('refused/hypervisor-stats-table.txt')[0], /:1:1 {2}is an ASCII table .*hypervisor show HOST -f json, for each hypervisor/);
});

test('refuses GET /flavors, which lists names only', () => {
  assert.match(refused('refused/flavors-list.json')[0], /is `GET \/flavors`, which lists names only: export `GET \/flavors\/detail/);
});

test('reads flavors as the API gives them: `swap: ""` before 2.75, OS-FLV-EXT-DATA:ephemeral, extra_specs from 2.61', () => {
  const before = imported('published/nova/flavors-detail.json');
  assert.deepEqual(before.flavors[0], { name: 'm1.tiny', vcpus: 1, memory_mb: 512, root_gb: 1, ephemeral_gb: 0, swap: 0 });
  assert.match(before.warnings.find((warning) => warning.includes('m1.tiny'))!, /flavor `m1.tiny`'s extra specs are not in this export/);
  const with261 = imported('published/nova/flavors-detail-2.61.json');
  assert.deepEqual(with261.flavors.find((flavor) => flavor.name === 'm1.tiny.specs')?.extra_specs, { 'hw:mem_page_size': '2048', 'hw:cpu_policy': 'dedicated' });
  assert.match(with261.warnings.join('\n'), /flavor `m1.tiny.specs` asks for NUMA placement or PCI devices/);
  const shown = imported('published/nova/flavor-show-2.75.json');
  assert.deepEqual(shown.flavors, [{ name: 'm1.small.description', vcpus: 1, memory_mb: 2048, root_gb: 20, ephemeral_gb: 0, swap: 0, extra_specs: { key1: 'value1', key2: 'value2' } }]);
});

test('puts each server on its compute node as an instance of the flavor it embeds (2.47), the usage less what it claims', () => {
  const { hosts, flavors } = imported('published/nova/hypervisors-detail-2.53.json', 'published/nova/flavors-detail-2.61.json', 'published/nova/servers-detail-2.47.json');
  assert.deepEqual(hosts[0].instances, [{ name: 'new-server-test', flavor: 'm1.tiny.specs' }]);
  // memory_mb_used 512 is all the instance's; nothing is left besides it.
  assert.equal(hosts[0].used, undefined);
  assert.equal(flavors.length, 7);
});

test('adds the embedded copy of a flavor no export lists, and says so', () => {
  const { flavors, warnings } = imported('published/nova/hypervisors-detail-2.53.json', 'published/nova/servers-detail-2.47.json');
  assert.deepEqual(flavors.map((flavor) => flavor.name), ['m1.tiny.specs']);
  assert.match(warnings.join('\n'), /server `new-server-test`'s flavor is in no flavor export \(deleted, or private to another project\): its own copy is added as flavor `m1.tiny.specs`/);
});

test('labels hosts with the aggregates whose hosts name their compute service, and with the availability zone', () => {
  const { hosts } = imported('published/api-2.88', 'published/nova/aggregates-list-2.41.json');
  assert.deepEqual(hosts[0].aggregates, ['name', 'london']);
});

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

test('reads the client\'s -f yaml like its -f json', () => {
  const json = imported('osc/hypervisors-show.json', 'osc/flavors.json');
  const yaml = imported('osc/hypervisors-show.yaml', 'osc/flavors.yaml');
  assert.deepEqual(yaml.hosts, json.hosts);
  assert.deepEqual(yaml.flavors, json.flavors);
  assert.deepEqual(imported('osc/flavor-show.yaml').flavors[0].extra_specs, { 'hw:cpu_policy': 'dedicated', 'hw:mem_page_size': 'large' });
});

test('names servers that share a name apart, and says which servers have no host', () => {
  const { hosts, warnings } = imported('osc/hypervisors-show.json', 'osc/flavors.json', 'osc/servers-list.json');
  assert.deepEqual(hosts[0].instances, [{ name: 'db-1', flavor: 'm1.large' }, { name: 'web@0f4e2a5c', flavor: 'm1.medium' }]);
  assert.deepEqual(hosts[1].instances, [{ name: 'web@0f4e2a5c-3333-4a1b-9c2d-3e4f5a6b7c03', flavor: 'm1.medium' }]);
  assert.match(warnings.join('\n'), /1 server in status SHELVED_OFFLOADED has no host .* it holds nothing and is left out/);
});

test('recognises a file by its content whatever it is named, and says what an unknown file looks like', () => {
  const result = importExports(at('osc/servers-list.json'), () => '{"nothing": 1}');
  assert.equal(result.ok, true);
  const unknown = importExports(['-'], () => '{"nothing": 1, "else": 2}');
  assert.equal(unknown.ok, false);
  assert.deepEqual((unknown as { error: PlanError[] }).error.map(formatPlanError), [
    '<stdin>:1:1  is no export claimplan reads (its keys are `nothing`, `else`); docs/import.md lists the forms and the commands that print them',
  ]);
});
