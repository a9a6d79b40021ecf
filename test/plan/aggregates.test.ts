import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ZED_DEFAULT_FILTERS } from '../../src/engine/core/model.ts';
import { errorsOf, planOf, requestsOf } from './helpers.ts';

const CLOUD = `version: 1
aggregates:
  - name: rack-a
    availability_zone: az1
    hosts: [cmp-1]
    metadata: {ssd: true, max_instances_per_host: 30}
images:
  - {name: win2022, properties: {os_type: windows, hw_architecture: x86_64}}
hosts:
  - {name: cmp-1, vcpus: 8, memory_mb: 16384, local_gb: 100, hypervisor_type: QEMU, hypervisor_version: 8000000, supported_instances: [[x86_64, kvm, hvm]]}
  - {name: cmp-2, vcpus: 8, memory_mb: 16384, local_gb: 100, aggregates: [rack-a], disabled: true}
flavors:
  - {name: m1, vcpus: 1, memory_mb: 1024, root_gb: 10}
`;

test('reads aggregates with zone, members and metadata as strings, and hosts join the aggregates that list them', () => {
  const plan = planOf(CLOUD);
  assert.deepEqual(plan.cloud.aggregates, [{ name: 'rack-a', availability_zone: 'az1', hosts: ['cmp-1'], metadata: { ssd: 'true', max_instances_per_host: '30' } }]);
  assert.deepEqual(plan.cloud.images, [{ name: 'win2022', properties: { os_type: 'windows', hw_architecture: 'x86_64' } }]);
  assert.deepEqual(plan.cloud.hosts.map((host) => host.aggregates), [['rack-a'], ['rack-a']]);
  assert.equal(plan.cloud.hosts[0].hypervisor_version, 8000000);
  assert.deepEqual(plan.cloud.hosts[0].supported_instances, [['x86_64', 'kvm', 'hvm']]);
});

test('reads a build with its zone, project, image and hints', () => {
  const requests = requestsOf(planOf(`${CLOUD}requests:
  - {build: m1, name: db-1, availability_zone: az1, project: p-9a1e, image: win2022, hints: {different_host: [web-1], same_host: []}}
`));
  assert.deepEqual(requests[0], {
    op: 'build',
    instance: 'db-1',
    flavor: 'm1',
    host: null,
    aggregate: null,
    expect: null,
    availability_zone: 'az1',
    project: 'p-9a1e',
    image: 'win2022',
    hints: { same_host: [], different_host: ['web-1'] },
  });
});

test('refuses a host in two zones, an aggregate member no host has, and an unknown image, each located', () => {
  const errors = errorsOf(`version: 1
aggregates:
  - {name: rack-a, availability_zone: az1}
  - {name: rack-b, availability_zone: az2, hosts: [cmp-9]}
hosts:
  - {name: cmp-3, vcpus: 8, memory_mb: 16384, local_gb: 100, aggregates: [rack-a, rack-b]}
flavors:
  - {name: m1, vcpus: 1, memory_mb: 1024, root_gb: 10}
requests:
  - {build: m1, image: win2022}
`);
  assert.deepEqual(errors, [
    'plan.yaml:4:52  aggregates[1].hosts[0]  unknown host `cmp-9`',
    'plan.yaml:6:74  hosts[0].aggregates  host `cmp-3` would be in zones `az1` and `az2`; Nova keeps a host in one zone',
    'plan.yaml:10:24  requests[0].image  unknown image `win2022`',
  ]);
});

test("refuses metadata a flavor's numeric operator compares that is not a number, where AggregateInstanceExtraSpecsFilter runs", () => {
  const plan = `${CLOUD}  - {name: gpu, vcpus: 1, memory_mb: 1024, root_gb: 10, extra_specs: {"aggregate_instance_extra_specs:ssd": ">= 1"}}
cloud:
  enabled_filters: [AggregateInstanceExtraSpecsFilter]
`;
  assert.deepEqual(errorsOf(plan), [
    "plan.yaml:6:21  aggregates[0].metadata.ssd  `true` is not a number, which flavor `gpu` compares as one (`aggregate_instance_extra_specs:ssd: >= 1`); Nova's AggregateInstanceExtraSpecsFilter would fail its builds",
  ]);
});

test("gives the Placement model Zed's default filters when the plan names none", () => {
  const plan = planOf(`${CLOUD}cloud: {capacity_model: placement}\n`);
  assert.deepEqual(plan.cloud.settings.enabled_filters, ZED_DEFAULT_FILTERS);
  const named = planOf(`${CLOUD}cloud: {capacity_model: placement, enabled_filters: [AvailabilityZoneFilter]}\n`);
  assert.deepEqual(named.cloud.settings.enabled_filters, ['AvailabilityZoneFilter']);
});

test('warns that a filter claimplan cannot model is ignored, and refuses one no Nova release has', () => {
  const plan = planOf(`${CLOUD}cloud: {enabled_filters: [JsonFilter, ComputeFilter]}\n`);
  assert.equal(plan.warnings.length, 1);
  assert.match(plan.warnings[0].message, /`JsonFilter` reads what a plan cannot describe; claimplan ignores it/);
  assert.deepEqual(errorsOf(`${CLOUD}cloud: {enabled_filters: [RackFilter]}\n`), ['plan.yaml:14:27  cloud.enabled_filters[0]  unknown filter `RackFilter`, in no Nova release from Pike to Zed; did you mean `RamFilter`?']);
});
