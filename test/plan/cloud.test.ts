// The cloud a plan's files make together: files merged in order, names defined twice,
// flavors, PCI aliases and server groups checked as Nova would take them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatPlanWarning } from '../../src/plan/load.ts';
import { errorsOf, instancesOf, loadFiles, MINIMAL, planOf, requestsOf } from './helpers.ts';

test('reports names defined twice at the second definition, across files and host groups (PCI aliases may repeat)', () => {
  const files = {
    'a.yaml': `version: 1
hosts:
  - {name: "cmp-{n:02}", count: 3, vcpus: 8, memory_mb: 1024, local_gb: 10, instances: [{name: db, flavor: m1}]}
flavors:
  - {name: m1, vcpus: 1, memory_mb: 512, root_gb: 1}
pci_aliases:
  - {name: gpu, vendor_id: "10de", product_id: "20b5"}
`,
    'b.yaml': `version: 1
hosts:
  - {name: "cmp-{n:02}", count: 2, vcpus: 8, memory_mb: 1024, local_gb: 10}
  - {name: solo, vcpus: 8, memory_mb: 1024, local_gb: 10, pci: [{vendor_id: "10de", product_id: "20b5", count: 1}], instances: [{name: cmp-01/db, flavor: m1}]}
flavors:
  - {name: m1, vcpus: 1, memory_mb: 512, root_gb: 1}
pci_aliases:
  - {name: gpu, vendor_id: "10de", product_id: "20b5"}
`,
  };
  const errors = errorsOf(files, ['a.yaml', 'b.yaml']);
  assert.deepEqual(errors, [
    'b.yaml:3:12  hosts[0].name  host `cmp-01` (and 1 more of this group) is already defined at a.yaml:3:12',
    'b.yaml:4:136  hosts[1].instances[0].name  instance `cmp-01/db` is already on a host at a.yaml:3:96',
    'b.yaml:6:12  flavors[0].name  flavor `m1` is already defined at a.yaml:5:12',
  ]);
});

test('accepts, with a located warning each, a flavor naming an undefined PCI alias and aliases no host has', () => {
  const { result, directory } = loadFiles({
    'plan.yaml': `version: 1
hosts:
  - {name: a, vcpus: 8, memory_mb: 1024, local_gb: 10, pci: [{vendor_id: "10de", product_id: "20b5", count: 4}]}
flavors:
  - {name: g1, vcpus: 1, memory_mb: 512, root_gb: 1, extra_specs: {"pci_passthrough:alias": "a100:1,a10:1"}}
pci_aliases:
  - {name: a100, vendor_id: "10DE", product_id: "20B5"}
  - {name: t4, vendor_id: "10de", product_id: "1eb8"}
  - {name: vf, vendor_id: "10de", product_id: "20b5", device_type: type-VF}
`,
  });
  assert.ok(result.ok, 'Nova accepts this nova.conf and flavor, so the plan is valid');
  assert.deepEqual(
    result.value.warnings.map((warning) => formatPlanWarning(warning).split(`${directory}/`).join('')),
    [
      'plan.yaml:5:93  flavors[0].extra_specs.pci_passthrough:alias  warning: names PCI alias `a10`, which pci_aliases does not define; Nova refuses each build of this flavor: PCI alias a10 is not defined',
      'plan.yaml:8:5  pci_aliases[1]  warning: alias `t4` (10de:1eb8) matches no PCI pool on any host; builds asking for it will fail the PCI claim',
      'plan.yaml:9:5  pci_aliases[2]  warning: alias `vf` (10de:20b5, type-VF) matches no PCI pool on any host; builds asking for it will fail the PCI claim',
    ],
  );
});

test('accepts two pci_aliases entries with one name, as nova.conf does (Nova ORs their specs)', () => {
  const plan = planOf(`version: 1
hosts:
  - {name: a, vcpus: 8, memory_mb: 1024, local_gb: 10, pci: [{vendor_id: "10de", product_id: "20b5", count: 1}, {vendor_id: "10de", product_id: "1eb8", count: 1}]}
flavors:
  - {name: g1, vcpus: 1, memory_mb: 512, root_gb: 1, extra_specs: {"pci_passthrough:alias": "gpu:1"}}
pci_aliases:
  - {name: gpu, vendor_id: "10de", product_id: "20b5", device_type: type-PCI}
  - {name: gpu, vendor_id: "10de", product_id: "1eb8", device_type: type-PCI}
`);
  assert.equal(plan.cloud.pci_aliases.length, 2);
  assert.deepEqual(plan.warnings, []);
});

test('reports server groups Nova would refuse, and builds naming a group the plan lacks', () => {
  assert.deepEqual(
    errorsOf(`${MINIMAL}server_groups:
  - {name: web, policy: anti-affinity, rules: {max_server_per_host: 2}}
  - {name: db, policy: affinity, rules: {max_server_per_host: 2}}
  - {name: web, policy: spread}
requests:
  - {build: m1, name: a, group: wbe}
`),
    [
      'plan.yaml:8:41  server_groups[1].rules  apply only to an anti-affinity group, not affinity',
      'plan.yaml:9:25  server_groups[2].policy  must be one of `affinity`, `anti-affinity`, `soft-affinity`, `soft-anti-affinity`',
      'plan.yaml:11:33  requests[0].group  unknown server group `wbe`; did you mean `web`?',
    ],
  );
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
