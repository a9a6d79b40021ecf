import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CloudState } from '../../../src/engine/core/cloud-state.ts';
import type { AggregateSpec, CapacityModelName, CloudSettings, Request } from '../../../src/engine/core/model.ts';
import { replay } from '../../../src/engine/core/replay.ts';
import { build, cloud, flavor, host } from '../builders.ts';

const AGGREGATES: AggregateSpec[] = [
  { name: 'rack-a', availability_zone: 'az1', hosts: [], metadata: { ssd: 'true' } },
  { name: 'rack-b', availability_zone: 'az2', hosts: [], metadata: { filter_tenant_id: 'p-9a1e' } },
];

function run(requests: Request[], { model = 'legacy', settings = {}, explain = false }: { model?: CapacityModelName; settings?: Partial<CloudSettings>; explain?: boolean } = {}) {
  const plan = cloud(
    [host('cmp-1', { aggregates: ['rack-a'] }), host('cmp-2', { aggregates: ['rack-a'] }), host('cmp-3', { aggregates: ['rack-b'] }), host('cmp-4')],
    [flavor('m1'), flavor('ssd', { extra_specs: { 'aggregate_instance_extra_specs:ssd': 'true' } })],
    { capacity_model: model, ...settings },
  );
  plan.aggregates = AGGREGATES;
  plan.images = [{ name: 'arm', properties: { hw_architecture: 'aarch64' } }];
  const state = CloudState.start(plan);
  return { state, decisions: [...replay(state, requests, { audit: false, explain })] };
}

test('keeps a build to its zone and names the filter that ruled the other hosts out', () => {
  const { decisions } = run([build('a', 'm1', { availability_zone: 'az1' }), build('b', 'm1', { availability_zone: 'az2', image: 'arm' })]);
  assert.ok(['cmp-1', 'cmp-2'].includes(decisions[0].host!));
  assert.equal(decisions[1].result, 'rejected');
  assert.deepEqual(decisions[1].causes, [
    { cause: 'AvailabilityZoneFilter', hosts: 3, closest: null },
    { cause: 'ImagePropertiesFilter', hosts: 1, closest: null },
  ]);
});

test("refuses at the API a zone no enabled host is in, with Nova's words, and accepts `internal`, where no host is found", () => {
  const { decisions } = run([build('a', 'm1', { availability_zone: 'az9' }), build('b', 'm1', { availability_zone: 'internal' })]);
  assert.equal(decisions[0].message, 'The requested availability zone is not available');
  assert.equal(decisions[0].host, null);
  assert.equal(decisions[1].result, 'rejected');
  assert.equal(decisions[1].causes![0].cause, 'AvailabilityZoneFilter');
});

test('applies default_schedule_zone to a build that names no zone', () => {
  const { decisions } = run([build('a', 'm1'), build('b', 'm1')], { settings: { default_schedule_zone: 'az2', enabled_filters: ['AvailabilityZoneFilter'] } });
  assert.deepEqual(decisions.map((decision) => decision.host), ['cmp-3', 'cmp-3']);
});

test('runs only the enabled filters: a flavor asking for an aggregate key lands anywhere without AggregateInstanceExtraSpecsFilter', () => {
  const enabled = run([build('a', 'ssd'), build('b', 'ssd'), build('c', 'ssd')], { settings: { enabled_filters: ['AggregateInstanceExtraSpecsFilter'] } });
  assert.ok(enabled.decisions.every((decision) => ['cmp-1', 'cmp-2'].includes(decision.host!)));
  const plain = run([build('a', 'ssd'), build('b', 'ssd'), build('c', 'ssd'), build('d', 'ssd')], { settings: { enabled_filters: [] } });
  assert.deepEqual(new Set(plain.decisions.map((decision) => decision.host)).size, 4);
});

test('under the Placement model, Zed request filters keep a zone through its aggregates even without AvailabilityZoneFilter', () => {
  const { decisions } = run([build('a', 'm1', { availability_zone: 'az2' }), build('b', 'm1', { availability_zone: 'az2', image: 'arm' })], {
    model: 'placement',
    settings: { enabled_filters: ['ImagePropertiesFilter'] },
  });
  assert.equal(decisions[0].host, 'cmp-3');
  assert.deepEqual(decisions[1].causes, [
    { cause: 'map_az_to_placement_aggregate', hosts: 3, closest: null },
    { cause: 'ImagePropertiesFilter', hosts: 1, closest: null },
  ]);
});

test("require_tenant_aggregate keeps a project to its aggregate, and fails a project without one when one is required, with Nova's words", () => {
  const settings = { enabled_filters: [], limit_tenants_to_placement_aggregate: true, placement_aggregate_required_for_tenants: true };
  const { decisions } = run([build('a', 'm1', { project: 'p-9a1e' }), build('b', 'm1', { project: 'p-other' })], { model: 'placement', settings });
  assert.equal(decisions[0].host, 'cmp-3');
  assert.equal(decisions[1].message, 'No valid host was found. Scheduling failed: No hosts available for tenant');
});

test('DifferentHostFilter keeps a build off the host of the instance it names, and an evacuation keeps the hint', () => {
  const settings = { enabled_filters: ['DifferentHostFilter', 'AvailabilityZoneFilter'] };
  const { decisions, state } = run(
    [build('db-1', 'm1', { availability_zone: 'az1' }), build('db-2', 'm1', { availability_zone: 'az1', hints: { different_host: ['db-1'] } }), { op: 'down', host: 'cmp-2' }],
    { settings },
  );
  assert.notEqual(decisions[0].host, decisions[1].host);
  const onDown = decisions[1].host === 'cmp-2' ? 'db-2' : 'db-1';
  const evacuated = state.evacuate(onDown, { audit: false, explain: false });
  // The only other host of az1 holds the instance the hint names (or is down), so nothing is found.
  assert.equal(evacuated.to, onDown === 'db-2' ? null : 'cmp-1');
});

test('NumInstancesFilter counts the instances a host runs as builds land', () => {
  const { decisions } = run([build('a', 'm1'), build('b', 'm1'), build('c', 'm1')], {
    settings: { enabled_filters: ['NumInstancesFilter', 'AvailabilityZoneFilter'], max_instances_per_host: 1 },
  });
  assert.equal(new Set(decisions.map((decision) => decision.host)).size, 3);
  const full = run([build('a', 'm1', { availability_zone: 'az2' }), build('b', 'm1', { availability_zone: 'az2' })], {
    settings: { enabled_filters: ['AvailabilityZoneFilter', 'NumInstancesFilter'], max_instances_per_host: 1 },
  });
  assert.deepEqual(full.decisions[1].causes, [
    { cause: 'AvailabilityZoneFilter', hosts: 3, closest: null },
    { cause: 'NumInstancesFilter', hosts: 1, closest: null },
  ]);
});

test("an aggregate's weigher multiplier changes where its hosts rank, the least of several winning", () => {
  const plan = cloud([host('cmp-1', { memory_mb: 65536, aggregates: ['low'] }), host('cmp-2', { memory_mb: 32768 })], [flavor('m1')], {});
  plan.aggregates = [{ name: 'low', availability_zone: null, hosts: [], metadata: { ram_weight_multiplier: '-1.0' } }];
  const decisions = [...replay(CloudState.start(plan), [build('a', 'm1')], { audit: false, explain: false })];
  assert.equal(decisions[0].host, 'cmp-2');
});
