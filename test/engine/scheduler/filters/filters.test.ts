import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ComputeNode } from '../../../../src/engine/core/compute-node.ts';
import { DEFAULT_CLOUD_SETTINGS, type CloudSettings, type Flavor, type HostSpec } from '../../../../src/engine/core/model.ts';
import { hostFiltersEnabled, KNOWN_FILTERS, type FilterRequest } from '../../../../src/engine/scheduler/filters/index.ts';
import type { HostAggregate } from '../../../../src/engine/scheduler/host-aggregates.ts';
import { flavor, host } from '../../builders.ts';

const settings: CloudSettings = { ...DEFAULT_CLOUD_SETTINGS };

function nodeOf(spec: HostSpec): ComputeNode {
  return ComputeNode.start(0, spec, settings, { memory_mb: null, disk_gb: null, vcpu: null, numa_topology: null }, null);
}

function refusal(name: string, spec: HostSpec, aggregates: HostAggregate[], request: Partial<FilterRequest> & { flavor?: Flavor } = {}, own: Partial<CloudSettings> = {}): string | null {
  const [filter] = hostFiltersEnabled([name]);
  const full: FilterRequest = { flavor: flavor('m1'), image: null, availability_zone: null, project: null, sameHost: null, differentHost: null, ...request };
  return filter.refusal({ node: nodeOf(spec), aggregates }, full, { ...settings, ...own });
}

const zone = (name: string): HostAggregate => ({ name: `zone-${name}`, metadata: { availability_zone: name } });

test('AvailabilityZoneFilter passes the hosts of the zone asked for, and hosts in no zone aggregate for default_availability_zone', () => {
  assert.equal(refusal('AvailabilityZoneFilter', host('a'), [zone('az1')], { availability_zone: 'az1' }), null);
  assert.equal(refusal('AvailabilityZoneFilter', host('a'), [zone('az2')], { availability_zone: 'az1' }), 'availability zone az1 requested, the host is in az2 (AvailabilityZoneFilter)');
  assert.equal(refusal('AvailabilityZoneFilter', host('a'), [], { availability_zone: 'nova' }), null);
  assert.equal(refusal('AvailabilityZoneFilter', host('a'), [], { availability_zone: 'az1' }, { default_availability_zone: 'az1' }), null);
});

test('AggregateInstanceExtraSpecsFilter reads scoped and unscoped keys, split on commas, and refuses a host without the key', () => {
  const ssd: HostAggregate = { name: 'ssd', metadata: { ssd: 'false, true', gpu: '2,4' } };
  assert.equal(refusal('AggregateInstanceExtraSpecsFilter', host('a'), [ssd], { flavor: flavor('m1', { extra_specs: { 'aggregate_instance_extra_specs:ssd': 'true' } }) }), null);
  assert.equal(refusal('AggregateInstanceExtraSpecsFilter', host('a'), [ssd], { flavor: flavor('m1', { extra_specs: { gpu: '>= 3' } }) }), null);
  assert.match(refusal('AggregateInstanceExtraSpecsFilter', host('a'), [ssd], { flavor: flavor('m1', { extra_specs: { gpu: '>= 5' } }) })!, /do not match/);
  assert.match(refusal('AggregateInstanceExtraSpecsFilter', host('a'), [], { flavor: flavor('m1', { extra_specs: { ssd: 'true' } }) })!, /not in the host's aggregates/);
  assert.equal(refusal('AggregateInstanceExtraSpecsFilter', host('a'), [], { flavor: flavor('m1', { extra_specs: { 'hw:cpu_policy': 'dedicated' } }) }), null);
});

test('ComputeCapabilitiesFilter compares the hypervisor with Nova operators and refuses what claimplan cannot read', () => {
  const xen = host('a', { hypervisor_type: 'xen', hypervisor_version: 4011000 });
  assert.equal(refusal('ComputeCapabilitiesFilter', xen, [], { flavor: flavor('m1', { extra_specs: { 'capabilities:hypervisor_type': 's== xen' } }) }), null);
  assert.equal(refusal('ComputeCapabilitiesFilter', xen, [], { flavor: flavor('m1', { extra_specs: { 'capabilities:hypervisor_version': '>= 5000000' } }) }) !== null, true);
  assert.equal(refusal('ComputeCapabilitiesFilter', host('a'), [], { flavor: flavor('m1', { extra_specs: { hypervisor_type: 'QEMU' } }) }), null);
  assert.match(refusal('ComputeCapabilitiesFilter', host('a'), [], { flavor: flavor('m1', { extra_specs: { 'capabilities:cpu_info:arch': 'x86_64' } }) })!, /no capability/);
});

test('ImagePropertiesFilter matches canonical names against one supported_instances triple', () => {
  const image = (properties: Record<string, string>) => ({ name: 'img', properties });
  assert.equal(refusal('ImagePropertiesFilter', host('a'), [], { image: image({ hw_architecture: 'AMD64', img_hv_type: 'kvm' }) }), null);
  assert.notEqual(refusal('ImagePropertiesFilter', host('a'), [], { image: image({ hw_architecture: 'aarch64' }) }), null);
  assert.notEqual(refusal('ImagePropertiesFilter', host('a', { supported_instances: [] }), [], { image: image({ hw_vm_mode: 'hvm' }) }), null);
  assert.equal(refusal('ImagePropertiesFilter', host('a', { supported_instances: [] }), [], { image: image({ os_type: 'linux' }) }), null);
});

test('AggregateMultiTenancyIsolation keeps a tenant aggregate to its projects, and refuses a build naming none', () => {
  const tenants: HostAggregate = { name: 't', metadata: { filter_tenant_id: 'p1, p2' } };
  assert.equal(refusal('AggregateMultiTenancyIsolation', host('a'), [tenants], { project: 'p2' }), null);
  assert.notEqual(refusal('AggregateMultiTenancyIsolation', host('a'), [tenants], { project: 'p3' }), null);
  assert.notEqual(refusal('AggregateMultiTenancyIsolation', host('a'), [tenants]), null);
  assert.equal(refusal('AggregateMultiTenancyIsolation', host('a'), [], { project: 'p3' }), null);
});

test('AggregateNumInstancesFilter takes the least of its aggregates, and the setting when one value is not an integer', () => {
  const busy = host('a', { used: { memory_mb: 0, local_gb: 0, vcpus: 0, running_vms: 3 } });
  const two: HostAggregate = { name: 'two', metadata: { max_instances_per_host: '2' } };
  const five: HostAggregate = { name: 'five', metadata: { max_instances_per_host: '5' } };
  const bad: HostAggregate = { name: 'bad', metadata: { max_instances_per_host: 'many' } };
  assert.notEqual(refusal('AggregateNumInstancesFilter', busy, [two, five]), null);
  assert.equal(refusal('AggregateNumInstancesFilter', busy, [five]), null);
  assert.equal(refusal('AggregateNumInstancesFilter', busy, [two, bad]), null);
  assert.notEqual(refusal('NumInstancesFilter', busy, [], {}, { max_instances_per_host: 3 }), null);
});

test('IoOpsFilter refuses only a bound of zero or less, since a replayed host has no operation in progress', () => {
  assert.equal(refusal('IoOpsFilter', host('a'), []), null);
  assert.notEqual(refusal('IoOpsFilter', host('a'), [], {}, { max_io_ops_per_host: 0 }), null);
  assert.notEqual(refusal('AggregateIoOpsFilter', host('a'), [{ name: 'x', metadata: { max_io_ops_per_host: '0' } }]), null);
});

test('IsolatedHostsFilter keeps isolated images and isolated hosts together, as its two tables say', () => {
  const isolated = { isolated_hosts: ['a'], isolated_images: ['secure'] };
  const secure = { name: 'secure', properties: {} };
  assert.equal(refusal('IsolatedHostsFilter', host('a'), [], { image: secure }, isolated), null);
  assert.notEqual(refusal('IsolatedHostsFilter', host('a'), [], {}, isolated), null);
  assert.equal(refusal('IsolatedHostsFilter', host('a'), [], {}, { ...isolated, restrict_isolated_hosts_to_isolated_images: false }), null);
  assert.notEqual(refusal('IsolatedHostsFilter', host('b'), [], { image: secure }, isolated), null);
  assert.notEqual(refusal('IsolatedHostsFilter', host('a'), [], {}, { isolated_hosts: ['a'] }), null);
});

test('SameHostFilter and DifferentHostFilter act only on a build carrying their hint', () => {
  const node = nodeOf(host('a'));
  const [same] = hostFiltersEnabled(['SameHostFilter']);
  const [different] = hostFiltersEnabled(['DifferentHostFilter']);
  const request: FilterRequest = { flavor: flavor('m1'), image: null, availability_zone: null, project: null, sameHost: null, differentHost: null };
  assert.equal(same.refusal({ node, aggregates: [] }, request, settings), null);
  assert.notEqual(same.refusal({ node, aggregates: [] }, { ...request, sameHost: new Set() }, settings), null);
  assert.equal(same.refusal({ node, aggregates: [] }, { ...request, sameHost: new Set([node]) }, settings), null);
  assert.notEqual(different.refusal({ node, aggregates: [] }, { ...request, differentHost: new Set([node]) }, settings), null);
});

test('AggregateImagePropertiesIsolation compares only ImageMetaProps fields, within the namespace when one is set', () => {
  const linux: HostAggregate = { name: 'l', metadata: { os_type: 'linux', ssd: 'true' } };
  const image = (properties: Record<string, string>) => ({ name: 'img', properties });
  assert.notEqual(refusal('AggregateImagePropertiesIsolation', host('a'), [linux], { image: image({ os_type: 'windows' }) }), null);
  assert.equal(refusal('AggregateImagePropertiesIsolation', host('a'), [linux], { image: image({ os_type: 'linux' }) }), null);
  assert.equal(refusal('AggregateImagePropertiesIsolation', host('a'), [linux], { image: image({ ssd: 'false' }) }), null);
  assert.equal(refusal('AggregateImagePropertiesIsolation', host('a'), [linux], { image: image({ os_type: 'windows' }) }, { aggregate_image_properties_isolation_namespace: 'ns' }), null);
});

test('AggregateTypeAffinityFilter keeps a host to the flavors its aggregates list', () => {
  const small: HostAggregate = { name: 's', metadata: { instance_type: 'm1, m2' } };
  assert.equal(refusal('AggregateTypeAffinityFilter', host('a'), [small]), null);
  assert.notEqual(refusal('AggregateTypeAffinityFilter', host('a'), [small], { flavor: flavor('m3') }), null);
});

test('knows every in-tree filter of Pike to Zed, and only those', () => {
  for (const name of ['RetryFilter', 'AggregateCoreFilter', 'JsonFilter', 'TrustedFilter', 'SimpleCIDRAffinityFilter', 'NUMATopologyFilter']) assert.ok(KNOWN_FILTERS.includes(name), name);
  assert.ok(!KNOWN_FILTERS.includes('MyCompanyRackFilter'));
});
