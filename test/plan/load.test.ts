import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_CLOUD_SETTINGS } from '../../src/engine/model.ts';
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

test('gives extra spec values to Nova as strings, as the CLI would send them', () => {
  const plan = planOf(`version: 1
flavors:
  - name: m1
    vcpus: 1
    memory_mb: 1024
    root_gb: 10
    swap: ""
    extra_specs: {"hw:numa_nodes": 1, "hw:cpu_policy": dedicated, "trait:CUSTOM_X": true, "quota:cpu_shares": 1.5}
`);
  const [flavor] = plan.cloud.flavors;
  assert.equal(flavor.swap, 0);
  assert.deepEqual(flavor.extra_specs, {
    'hw:numa_nodes': '1',
    'hw:cpu_policy': 'dedicated',
    'trait:CUSTOM_X': 'true',
    'quota:cpu_shares': '1.5',
  });
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

test('expands count and {n} in requests, and names unnamed builds <flavor>-<seq> by their place in the whole stream', () => {
  const plan = planOf(`${MINIMAL}requests:
  - build: m1
    count: 2
    name: web-{n:02}
    host: cmp-1
    expect: claimed
  - build: m1
    count: 2
  - delete: web-{n:02}
    count: 2
  - build: m1
`);
  assert.deepEqual(requestsOf(plan), [
    { op: 'build', instance: 'web-01', flavor: 'm1', host: 'cmp-1', aggregate: null, expect: 'claimed' },
    { op: 'build', instance: 'web-02', flavor: 'm1', host: 'cmp-1', aggregate: null, expect: 'claimed' },
    { op: 'build', instance: 'm1-3', flavor: 'm1', host: null, aggregate: null, expect: null },
    { op: 'build', instance: 'm1-4', flavor: 'm1', host: null, aggregate: null, expect: null },
    { op: 'delete', instance: 'web-01' },
    { op: 'delete', instance: 'web-02' },
    { op: 'build', instance: 'm1-7', flavor: 'm1', host: null, aggregate: null, expect: null },
  ]);
});

test('gives a fresh request stream on every call, so a plan can be replayed again', () => {
  const plan = planOf(`${MINIMAL}requests:\n  - {build: m1, count: 3}\n`);
  const first = requestsOf(plan);
  assert.deepEqual(requestsOf(plan), first);
  assert.equal(first.length, 3);
});

test('merges files in order: later settings win key by key, lists concatenate', () => {
  const plan = planOf(
    {
      'base.yaml': `${MINIMAL}cloud: {cpu_allocation_ratio: 2.0, weigher: pack}\nrequests:\n  - {build: m1, name: a}\n`,
      'more.yaml': `version: 1
cloud: {cpu_allocation_ratio: 8.0}
hosts:
  - {name: cmp-2, vcpus: 8, memory_mb: 16384, local_gb: 100}
flavors:
  - {name: m2, vcpus: 2, memory_mb: 2048, root_gb: 20}
requests:
  - {build: m2, name: b}
  - {delete: a}
`,
    },
    ['base.yaml', 'more.yaml'],
  );
  assert.equal(plan.cloud.settings.cpu_allocation_ratio, 8.0);
  assert.equal(plan.cloud.settings.ram_weight_multiplier, -1.0);
  assert.deepEqual(plan.cloud.hosts.map((host) => host.name), ['cmp-1', 'cmp-2']);
  assert.deepEqual(plan.cloud.flavors.map((flavor) => flavor.name), ['m1', 'm2']);
  assert.deepEqual(instancesOf(plan), ['a', 'b', 'a']);
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

test('reads a host going down and up as the engine\'s host state requests', () => {
  const plan = planOf(`${MINIMAL}requests:
  - {down: cmp-1}
  - {build: m1, name: a}
  - {up: cmp-1}
`);
  assert.deepEqual(requestsOf(plan).map((request) => [request.op, 'host' in request ? request.host : null]), [
    ['down', 'cmp-1'],
    ['build', null],
    ['up', 'cmp-1'],
  ]);
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

test('reads server groups and a build\'s group into the engine\'s cloud and requests', () => {
  const plan = planOf(`${MINIMAL}server_groups:
  - {name: web, policy: anti-affinity, rules: {max_server_per_host: 2}}
  - {name: db, policy: soft-affinity}
requests:
  - {build: m1, name: a, group: web}
`);
  assert.deepEqual(plan.cloud.server_groups, [
    { name: 'web', policy: 'anti-affinity', max_server_per_host: 2 },
    { name: 'db', policy: 'soft-affinity', max_server_per_host: 1 },
  ]);
  assert.deepEqual(requestsOf(plan), [{ op: 'build', instance: 'a', flavor: 'm1', host: null, aggregate: null, expect: null, group: 'web' }]);
});
