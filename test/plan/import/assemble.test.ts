// One plan assembled from every export read: servers on their compute nodes as instances of
// their flavors (the usage less what they claim), embedded flavors no export lists, hosts
// in the aggregates naming their service, figures a 2.88 hypervisor lacks taken
// from its Placement provider, servers sharing a name told apart.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { imported } from './read-export.ts';

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

test('writes each aggregate with its zone and the hosts whose compute service it names', () => {
  const { hosts, aggregates } = imported('published/api-2.88', 'published/nova/aggregates-list-2.41.json');
  assert.deepEqual(aggregates, [{ name: 'name', availability_zone: 'london', hosts: [hosts[0].name] }]);
});

test('names servers that share a name apart, and says which servers have no host', () => {
  const { hosts, warnings } = imported('osc/hypervisors-show.json', 'osc/flavors.json', 'osc/servers-list.json');
  assert.deepEqual(hosts[0].instances, [{ name: 'db-1', flavor: 'm1.large' }, { name: 'web@0f4e2a5c', flavor: 'm1.medium' }]);
  assert.deepEqual(hosts[1].instances, [{ name: 'web@0f4e2a5c-3333-4a1b-9c2d-3e4f5a6b7c03', flavor: 'm1.medium' }]);
  assert.match(warnings.join('\n'), /1 server in status SHELVED_OFFLOADED has no host .* it holds nothing and is left out/);
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
