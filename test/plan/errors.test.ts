// Every kind of problem the loader reports, each with the exact place it points at.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { formatPlanError, formatPlanWarning, loadPlan } from '../../src/plan/load.ts';
import { errorsOf, loadFiles, MINIMAL, planOf } from './helpers.ts';

const FIXTURES = join(import.meta.dirname, '../fixtures/plan');

test('reports all ten mistakes of the ten-mistakes fixture, each located, and nothing more', () => {
  const result = loadPlan([join(FIXTURES, 'ten-mistakes.yaml')]);
  assert.equal(result.ok, false);
  if (result.ok) return;
  const file = join(FIXTURES, 'ten-mistakes.yaml');
  assert.deepEqual(
    result.error.map((error) => formatPlanError(error).replace(file, 'ten-mistakes.yaml')),
    [
      'ten-mistakes.yaml:6:12  cloud.weigher  must be `spread` or `pack`',
      'ten-mistakes.yaml:7:44  cloud.enabled_filters[2]  unknown filter `CoreFliter`, in no Nova release from Pike to Zed; did you mean `CoreFilter`?',
      'ten-mistakes.yaml:13:5  hosts[0].memroy_mb  unknown key `memroy_mb`; did you mean `memory_mb`?',
      'ten-mistakes.yaml:18:16  hosts[1].memory_mb  must be a non-negative integer',
      'ten-mistakes.yaml:22:23  hosts[1].numa[1].cpus  CPUs 14-15 are already in numa[0].cpus',
      `ten-mistakes.yaml:27:12  flavors[2].name  flavor \`m1.small\` is already defined at ${file}:25:12`,
      'ten-mistakes.yaml:31:13  requests[1].build  unknown flavor `m1.lrage`; did you mean `m1.large`?',
      'ten-mistakes.yaml:32:41  requests[2].host  unknown host `cmp-04`',
      'ten-mistakes.yaml:33:29  requests[3].name  builds `web-2`, which is still live; delete it first or choose another name',
      'ten-mistakes.yaml:34:13  requests[4].delete  deletes `web-7`, which no earlier build or host instance has',
    ],
  );
});

test('reports a value of the wrong type or range in words an operator reads, at the value', () => {
  assert.deepEqual(
    errorsOf(`version: 1
cloud:
  cpu_allocation_ratio: -1
  reserved_host_memory_mb: 1.5
  packing_host_numa_cells_allocation_strategy: "yes"
hosts:
  - {name: a, vcpus: "8", memory_mb: 1024, local_gb: 10, pci: [{vendor_id: 1234, product_id: "20b5", count: 1}]}
flavors:
  - {name: m1, vcpus: 0, memory_mb: 1024, root_gb: 10, swap: none}
requests:
  - {build: m1, count: 0, expect: claim}
`),
    [
      'plan.yaml:3:25  cloud.cpu_allocation_ratio  must be a non-negative number, or null for unlimited',
      'plan.yaml:4:28  cloud.reserved_host_memory_mb  must be a non-negative integer',
      'plan.yaml:5:48  cloud.packing_host_numa_cells_allocation_strategy  must be true or false',
      'plan.yaml:7:22  hosts[0].vcpus  must be a non-negative integer',
      'plan.yaml:7:76  hosts[0].pci[0].vendor_id  must be four hexadecimal digits in quotes, e.g. "10de"',
      'plan.yaml:9:23  flavors[0].vcpus  must be a positive integer',
      'plan.yaml:9:62  flavors[0].swap  must be a non-negative integer (MB), or "" for none',
      'plan.yaml:11:24  requests[0].count  must be a positive integer, at most 1000000',
      'plan.yaml:11:35  requests[0].expect  must be `claimed` or `rejected`',
    ],
  );
});

test('reports unknown keys at the key, suggesting a close known key and folding the missing key it explains', () => {
  assert.deepEqual(
    errorsOf(`version: 1
hosts:
  - name: a
    vcpu: 8
    memory_mb: 1024
    local_gb: 10
    colour: red
flavours: []
`),
    [
      'plan.yaml:4:5  hosts[0].vcpu  unknown key `vcpu`; did you mean `vcpus`?',
      'plan.yaml:7:5  hosts[0].colour  unknown key `colour`',
      'plan.yaml:8:1  flavours  unknown key `flavours`; did you mean `flavors`?',
    ],
  );
});

test('reports a missing required key at the mapping that lacks it, and a missing or wrong version', () => {
  assert.deepEqual(errorsOf('hosts:\n  - {name: a, vcpus: 8, memory_mb: 1024}\n'), [
    'plan.yaml:1:1  missing `version`',
    'plan.yaml:2:5  hosts[0]  missing `local_gb`',
  ]);
  assert.deepEqual(errorsOf('version: 2\n'), ['plan.yaml:1:10  version  must be 1, the only plan format so far']);
  assert.deepEqual(errorsOf(''), ['plan.yaml:1:1  must be a mapping (a plan document)']);
});

test('reports a request that names no operation, two operations, or a key its operation does not take', () => {
  assert.deepEqual(
    errorsOf(`${MINIMAL}requests:
  - {name: x}
  - {build: m1, delete: x}
  - {delete: x, host: cmp-1}
  - {build: m1, name: y, flavor: m1}
`),
    [
      'plan.yaml:7:5  requests[0]  needs one of `build: FLAVOR`, `delete: NAME`, `resize: NAME`, `migrate: NAME`, `live_migrate: NAME`, `evacuate: NAME`, `confirm: NAME`, `revert: NAME`, `down: HOST`, `up: HOST`',
      'plan.yaml:8:17  requests[1].delete  cannot be combined with `build` in one request',
      'plan.yaml:9:17  requests[2].host  does not apply to a `delete` request',
      'plan.yaml:10:26  requests[3].flavor  does not apply to a `build` request',
    ],
  );
});

test('reports a label listed twice at its second mention', () => {
  assert.deepEqual(errorsOf('version: 1\nhosts:\n  - {name: a, vcpus: 8, memory_mb: 1024, local_gb: 10, aggregates: [az1, gpu, az1]}\n'), [
    'plan.yaml:3:79  hosts[0].aggregates[2]  is listed twice',
  ]);
});

test('reports YAML syntax errors where they are, without the parser\'s echoes', () => {
  assert.deepEqual(errorsOf('version: 1\nhosts:\n  - name: a\n   vcpus: 8\n'), [
    'plan.yaml:4:1  Sequence item without - indicator',
  ]);
  assert.deepEqual(errorsOf('version: 1\nversion: 1\n'), ['plan.yaml:2:1  Map keys must be unique']);
});

test('explains the usual YAML slip of an unquoted {n} inside a flow mapping', () => {
  assert.deepEqual(errorsOf(`${MINIMAL}requests:\n  - {build: m1, count: 2, name: web-{n}}\n`), [
    'plan.yaml:7:37  Unexpected flow-map-start at node end; inside `{…}` a name template needs quotes, e.g. name: "web-{n}"',
  ]);
});

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

test('reports unknown flavors, hosts and aggregates where requests and host instances name them', () => {
  assert.deepEqual(
    errorsOf(`version: 1
hosts:
  - {name: cmp-1, vcpus: 8, memory_mb: 16384, local_gb: 100, aggregates: [az1], instances: [{name: old, flavor: m9}]}
  - {name: cmp-2, vcpus: 8, memory_mb: 16384, local_gb: 100, aggregates: [az2]}
flavors:
  - {name: m1.small, vcpus: 1, memory_mb: 1024, root_gb: 10}
requests:
  - {build: m1.smal, name: a}
  - {build: m1.small, name: b, host: cmp-9}
  - {build: m1.small, name: c, aggregate: gpu}
  - {build: m1.small, name: d, aggregate: az}
  - {build: m1.small, name: e, host: cmp-2, aggregate: az1}
`),
    [
      'plan.yaml:3:113  hosts[0].instances[0].flavor  unknown flavor `m9`',
      'plan.yaml:8:13  requests[0].build  unknown flavor `m1.smal`; did you mean `m1.small`?',
      'plan.yaml:9:38  requests[1].host  unknown host `cmp-9`',
      'plan.yaml:10:43  requests[2].aggregate  no host carries aggregate `gpu`',
      'plan.yaml:11:43  requests[3].aggregate  no host carries aggregate `az`; did you mean `az1`?',
      'plan.yaml:12:56  requests[4].aggregate  host `cmp-2` is not in aggregate `az1`',
    ],
  );
});

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

test('accepts deleting a name twice, deleting a rejected build\'s name, and building a name again after its delete', () => {
  const plan = planOf(`${MINIMAL}requests:
  - {build: m1, name: a, host: cmp-1}
  - {delete: a}
  - {delete: a}
  - {build: m1, name: a}
  - {delete: a}
`);
  assert.equal([...plan.requests()].length, 5);
});

test('reports deleting a name never built and building a name that is still live, host instances included', () => {
  assert.deepEqual(
    errorsOf(`version: 1
hosts:
  - {name: cmp-1, vcpus: 8, memory_mb: 16384, local_gb: 100, instances: [{name: db, flavor: m1}]}
flavors:
  - {name: m1, vcpus: 1, memory_mb: 1024, root_gb: 10}
requests:
  - {build: m1, name: db}
  - {build: m1, count: 2}
  - {build: m1, name: m1-2}
  - {build: m1, count: 3, name: "web-{n}"}
  - {delete: "web-{n}", count: 4}
  - {delete: ghost}
`),
    [
      'plan.yaml:7:23  requests[0].name  builds `db`, which is still live; delete it first or choose another name',
      'plan.yaml:9:23  requests[2].name  builds `m1-2`, which is still live; delete it first or choose another name',
      'plan.yaml:11:14  requests[4].delete  deletes `web-4`, which no earlier build or host instance has',
      'plan.yaml:12:14  requests[5].delete  deletes `ghost`, which no earlier build or host instance has',
    ],
  );
});

test('reports moves of names never built or already deleted, a resize without a flavor, and unknown flavors and hosts', () => {
  const requests = [
    '{build: m1, name: a}',
    '{resize: a}',
    '{resize: a, flavor: m2}',
    '{migrate: b, host: cmp-9}',
    '{delete: a}',
    '{confirm: a}',
    '{live_migrate: "web-{n}", count: 2}',
  ];
  assert.deepEqual(errorsOf(`${MINIMAL}requests:\n${requests.map((request) => `  - ${request}\n`).join('')}`), [
    'plan.yaml:8:5  requests[1]  a resize needs `flavor: FLAVOR`, the flavor to resize to',
    'plan.yaml:9:25  requests[2].flavor  unknown flavor `m2`',
    'plan.yaml:10:15  requests[3].migrate  names `b`, which no earlier build or host instance has; did you mean `a`?',
    'plan.yaml:10:24  requests[3].host  unknown host `cmp-9`',
    'plan.yaml:12:15  requests[5].confirm  names `a`, which an earlier request deleted',
    'plan.yaml:13:20  requests[6].live_migrate  names `web-1` (and 1 more), which no earlier build or host instance has',
  ]);
});

test('reports name templates that cannot name their copies apart, or use an unknown placeholder', () => {
  assert.deepEqual(
    errorsOf(`version: 1
hosts:
  - {name: cmp, count: 2, vcpus: 8, memory_mb: 1024, local_gb: 10}
  - {name: "gpu-{i}", vcpus: 8, memory_mb: 1024, local_gb: 10}
  - {name: solo, vcpus: 8, memory_mb: 1024, local_gb: 10, instances: [{name: "db-{n}", flavor: m1}]}
flavors:
  - {name: m1, vcpus: 1, memory_mb: 512, root_gb: 1}
requests:
  - {build: m1, count: 3, name: web}
  - {delete: web, count: 2}
`),
    [
      'plan.yaml:3:12  hosts[0].name  must contain `{n}` to name 2 copies apart',
      'plan.yaml:4:12  hosts[1].name  has an unknown placeholder `{i}`; use `{n}` or `{n:03}`',
      'plan.yaml:5:78  hosts[2].instances[0].name  uses `{n}`, which only a host group (a name with `{n}`) can number',
      'plan.yaml:9:33  requests[0].name  must contain `{n}` to name 3 copies apart',
      'plan.yaml:10:14  requests[1].delete  must contain `{n}` to name 2 copies apart',
    ],
  );
});

test('sorts errors by file in the order given, then line and column', () => {
  const errors = errorsOf(
    { 'b.yaml': 'version: 1\nhosts: {}\n', 'a.yaml': 'version: 1\ncloud: {weigher: x}\nflavors: 1\n' },
    ['b.yaml', 'a.yaml'],
  );
  assert.deepEqual(errors, [
    'b.yaml:2:8  hosts  must be a list of hosts',
    'a.yaml:2:18  cloud.weigher  must be `spread` or `pack`',
    'a.yaml:3:10  flavors  must be a list of flavors',
  ]);
});

test('points at the key when a key is given no value, and quotes keys that are not plain words in paths', () => {
  assert.deepEqual(
    errorsOf(`version: 1
hosts:
  - name: a
    vcpus: 8
    memory_mb:
    local_gb: 10
flavors:
  - {name: m1, vcpus: 1, memory_mb: 512, root_gb: 1, extra_specs: {"hw:numa_cpus.0": [1]}}
`),
    [
      'plan.yaml:5:5  hosts[0].memory_mb  must be a non-negative integer',
      'plan.yaml:8:86  flavors[0].extra_specs["hw:numa_cpus.0"]  must be a string, number or boolean',
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

test('reports a host going down that the plan has no host of, and a count on a host state request', () => {
  assert.deepEqual(
    errorsOf(`${MINIMAL}requests:
  - {down: cmp-9}
  - {down: cmp-1, count: 2}
`),
    [
      'plan.yaml:7:12  requests[0].down  unknown host `cmp-9`',
      'plan.yaml:8:19  requests[1].count  does not apply to a `down` request',
    ],
  );
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
