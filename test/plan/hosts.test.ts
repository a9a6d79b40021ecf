// A plan's hosts as the engine's HostSpecs: host groups expanded, a host's own settings,
// limits, NUMA cells and PCI pools, services down or disabled from the start; each problem
// located.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { errorsOf, planOf } from './helpers.ts';

test('reports each NUMA cell problem: a CPU in two cells or in both sets, a bad CPU set, a repeated id, stray siblings', () => {
  assert.deepEqual(
    errorsOf(`version: 1
hosts:
  - name: a
    vcpus: 8
    memory_mb: 1024
    local_gb: 10
    numa:
      - {id: 0, cpus: "0-3", pcpus: "3-5", memory_mb: 512}
      - {id: 0, cpus: "7-6", memory_mb: 512}
      - {id: 2, cpus: "8-999999999", memory_mb: 512}
      - {id: 3, cpus: "9,10", memory_mb: 512, siblings: [[9, 10], [11, 12]]}
    pci: [{vendor_id: "10de", product_id: "20b5", count: 1, numa_node: 5}]
`),
    [
      'plan.yaml:8:37  hosts[0].numa[0].pcpus  CPU 3 is already in numa[0].cpus',
      'plan.yaml:9:14  hosts[0].numa[1].id  cell id 0 is already used by numa[0]',
      "plan.yaml:9:23  hosts[0].numa[1].cpus  Invalid range expression '7-6'",
      'plan.yaml:10:23  hosts[0].numa[2].cpus  CPU 999999999 is beyond the largest CPU id accepted (4095)',
      'plan.yaml:11:67  hosts[0].numa[3].siblings[1]  lists CPUs 11-12, which are not in this cell',
      'plan.yaml:12:72  hosts[0].pci[0].numa_node  names NUMA cell 5, which this host does not have',
    ],
  );
});

test('keeps a host\'s own settings apart from the cloud\'s, for the engine to resolve', () => {
  const plan = planOf(`version: 1
cloud: {cpu_allocation_ratio: 2.0}
hosts:
  - {name: cmp-1, vcpus: 8, memory_mb: 16384, local_gb: 100, cpu_allocation_ratio: 4.0, ram_allocation_ratio: null}
`);
  assert.equal(plan.cloud.settings.cpu_allocation_ratio, 2.0);
  assert.deepEqual(plan.cloud.hosts[0].settings, { cpu_allocation_ratio: 4.0, ram_allocation_ratio: null });
});

test('reads explicit limits, NUMA cells, overhead, instances and usage totals', () => {
  const plan = planOf(`version: 1
hosts:
  - name: cmp-1
    vcpus: 32
    memory_mb: 131072
    local_gb: 900
    overhead: {memory_mb: 64}
    limits: {memory_mb: 200000, disk_gb: null, numa_topology: {cpu_allocation_ratio: 2, ram_allocation_ratio: 1}}
    numa:
      - {id: 0, cpus: "0-7,^3", pcpus: "16-19", memory_mb: 65536, siblings: [[0, 1]], mempages: [{size_kb: 4, total: 100}]}
      - {id: 1, cpus: 8, memory_mb: 65536, socket: 1}
    instances: [{name: db-1, flavor: m1}]
    used: {memory_mb: 2048, running_vms: 1}
flavors:
  - {name: m1, vcpus: 1, memory_mb: 1024, root_gb: 10}
`);
  const [host] = plan.cloud.hosts;
  assert.deepEqual(host.overhead, { memory_mb: 64, disk_gb: 0 });
  assert.deepEqual(host.limits, { memory_mb: 200000, disk_gb: null, numa_topology: { cpu_allocation_ratio: 2, ram_allocation_ratio: 1 } });
  assert.deepEqual(host.numa, [
    { id: 0, cpus: [0, 1, 2, 4, 5, 6, 7], pcpus: [16, 17, 18, 19], memory_mb: 65536, siblings: [[0, 1]], mempages: [{ size_kb: 4, total: 100 }], socket: null },
    { id: 1, cpus: [8], pcpus: [], memory_mb: 65536, siblings: [], mempages: [], socket: 1 },
  ]);
  assert.deepEqual(host.instances, [{ name: 'db-1', flavor: 'm1' }]);
  assert.deepEqual(host.used, { memory_mb: 2048, local_gb: 0, vcpus: 0, running_vms: 1 });
});

test('expands a host group, counting from 1 and padding {n:03} with zeros', () => {
  const plan = planOf(`version: 1
hosts:
  - {name: "cmp-{n:03}", count: 12, vcpus: 8, memory_mb: 16384, local_gb: 100, aggregates: [az1]}
  - {name: "edge-{n}", count: 2, vcpus: 8, memory_mb: 16384, local_gb: 100}
`);
  const names = plan.cloud.hosts.map((host) => host.name);
  assert.deepEqual(names.slice(0, 3), ['cmp-001', 'cmp-002', 'cmp-003']);
  assert.equal(names[11], 'cmp-012');
  assert.deepEqual(names.slice(12), ['edge-1', 'edge-2']);
  assert.equal(plan.cloud.hosts[0].group, 'cmp-{n:03}');
  assert.deepEqual(plan.cloud.hosts[5].aggregates, ['az1']);
  assert.notEqual(plan.cloud.hosts[0].aggregates, plan.cloud.hosts[1].aggregates, 'each host owns its lists');
});

test('names the instances of a group\'s hosts apart: {n} takes the host\'s number, a plain name its host as prefix', () => {
  const plan = planOf(`version: 1
hosts:
  - name: cmp-{n:02}
    count: 2
    vcpus: 8
    memory_mb: 16384
    local_gb: 100
    instances:
      - {name: "db-{n:02}", flavor: m1}
      - {name: cache, flavor: m1}
flavors:
  - {name: m1, vcpus: 1, memory_mb: 1024, root_gb: 10}
requests:
  - delete: cmp-02/cache
  - delete: db-01
`);
  assert.deepEqual(
    plan.cloud.hosts.map((host) => host.instances.map((instance) => instance.name)),
    [
      ['db-01', 'cmp-01/cache'],
      ['db-02', 'cmp-02/cache'],
    ],
  );
});

test('reads a host down or disabled from the start, on every host of a group; a host template may not be', () => {
  const plan = planOf(`version: 1
hosts:
  - {name: "cmp-{n}", count: 2, vcpus: 8, memory_mb: 16384, local_gb: 100, down: true}
  - {name: old-1, vcpus: 8, memory_mb: 16384, local_gb: 100, disabled: true}
  - {name: new-1, vcpus: 8, memory_mb: 16384, local_gb: 100, down: false}
`);
  assert.deepEqual(plan.cloud.hosts.map((host) => [host.name, host.down ?? false, host.disabled ?? false]), [
    ['cmp-1', true, false],
    ['cmp-2', true, false],
    ['old-1', false, true],
    ['new-1', false, false],
  ]);
  assert.deepEqual(errorsOf(`version: 1
host_templates:
  - {name: r640, vcpus: 8, memory_mb: 16384, local_gb: 100, disabled: true}
`), ['plan.yaml:3:61  host_templates[0].disabled  unknown key `disabled`']);
});
