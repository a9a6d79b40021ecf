import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_CLOUD_SETTINGS } from '../../src/engine/core/model.ts';
import { errorsOf, MINIMAL, instancesOf, planOf, requestsOf } from './helpers.ts';

test('fills every default a host, flavor and PCI alias leaves out', () => {
  const plan = planOf(`version: 1
hosts:
  - name: cmp-1
    vcpus: 8
    memory_mb: 16384
    local_gb: 100
    pci: [{vendor_id: "10DE", product_id: "20b5", count: 2}]
flavors:
  - {name: m1, vcpus: 1, memory_mb: 1024, root_gb: 10}
pci_aliases:
  - {name: a100, vendor_id: "10de", product_id: "20B5"}
`);
  assert.deepEqual(plan.cloud.settings, DEFAULT_CLOUD_SETTINGS);
  assert.deepEqual(plan.cloud.hosts, [
    {
      name: 'cmp-1',
      vcpus: 8,
      memory_mb: 16384,
      local_gb: 100,
      aggregates: [],
      settings: {},
      overhead: { memory_mb: 0, disk_gb: 0 },
      limits: null,
      numa: null,
      pci: [{ vendor_id: '10de', product_id: '20b5', numa_node: null, count: 2, dev_type: 'type-PCI', physical_network: null }],
      instances: [],
      used: { memory_mb: 0, local_gb: 0, vcpus: 0, running_vms: 0 },
    },
  ]);
  assert.deepEqual(plan.cloud.flavors, [
    { name: 'm1', vcpus: 1, memory_mb: 1024, root_gb: 10, ephemeral_gb: 0, swap: 0, extra_specs: {} },
  ]);
  assert.deepEqual(plan.cloud.pci_aliases, [
    { name: 'a100', vendor_id: '10de', product_id: '20b5', device_type: '', numa_policy: 'legacy' },
  ]);
});

test('gives a fresh request stream on every call, so a plan can be replayed again', () => {
  const plan = planOf(`${MINIMAL}requests:\n  - {build: m1, count: 3}\n`);
  const first = requestsOf(plan);
  assert.deepEqual(requestsOf(plan), first);
  assert.equal(first.length, 3);
});

test('reads a plan from standard input for `-`, naming it <stdin> in errors', () => {
  const plan = planOf({ 'base.yaml': MINIMAL }, ['base.yaml', '-'], {
    readStdin: () => 'version: 1\nrequests:\n  - {build: m1, name: from-stdin}\n',
  });
  assert.deepEqual(instancesOf(plan), ['from-stdin']);
  assert.deepEqual(errorsOf({ 'base.yaml': MINIMAL }, ['-'], { readStdin: () => 'version: 1\nhosts: 3\n' }), [
    '<stdin>:2:8  hosts  must be a list of hosts',
  ]);
});

test('applies --set overrides over the merged cloud settings, leaving host settings alone', () => {
  const plan = planOf(`${MINIMAL.replace('local_gb: 100}', 'local_gb: 100, cpu_allocation_ratio: 3.0}')}cloud: {cpu_allocation_ratio: 2.0}\n`, undefined, {
    settingOverrides: ['cpu_allocation_ratio=4', 'enabled_filters=RamFilter,CoreFilter', 'ram_allocation_ratio=null'],
  });
  assert.equal(plan.cloud.settings.cpu_allocation_ratio, 4);
  assert.equal(plan.cloud.settings.ram_allocation_ratio, null);
  assert.deepEqual(plan.cloud.settings.enabled_filters, ['RamFilter', 'CoreFilter']);
  assert.deepEqual(plan.cloud.hosts[0].settings, { cpu_allocation_ratio: 3.0 });
});

test('reports a bad --set with the plan\'s own errors, located by its ordinal and column', () => {
  const plan = 'version: 1\nhosts: {}\n';
  assert.deepEqual(errorsOf(plan, undefined, {
    settingOverrides: ['weigher=spread', 'cpu_alocation_ratio=4', 'disk_allocation_ratio=lots'],
  }), [
    'plan.yaml:2:8  hosts  must be a list of hosts',
    '--set:2:1  cpu_alocation_ratio  unknown setting `cpu_alocation_ratio`; did you mean `cpu_allocation_ratio`?',
    '--set:3:23  disk_allocation_ratio  must be a non-negative number, or null for unlimited',
  ]);
});

test('reports a file that cannot be read, and still checks the others', () => {
  assert.deepEqual(errorsOf({ 'good.yaml': 'version: 2\n' }, ['missing.yaml', 'good.yaml']), [
    'missing.yaml:0:0  cannot read: no such file',
    'good.yaml:1:10  version  must be 1, the only plan format so far',
  ]);
});

