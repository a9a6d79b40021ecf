// The compute API's os-hypervisors bodies, every microversion: the figures a host takes
// from them, and the refusals where they give none (2.88 on, cloud-wide statistics).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { novaHypervisorDetail, novaHypervisorShow, novaHypervisorStatistics } from '../../../src/plan/import/nova-hypervisors.ts';
import { imported, readWith, recognises, refused } from './read-export.ts';

test('reads GET /os-hypervisors/detail at 2.1, with cpu_info as text and `service` as an object', () => {
  const { hosts, cloud } = imported('published/nova/hypervisors-detail-2.1.json');
  assert.deepEqual(hosts, [{ name: 'fake-mini', hypervisor_type: 'fake', hypervisor_version: 1000, vcpus: 2, memory_mb: 8192, local_gb: 1028, used: { memory_mb: 512, local_gb: 0, vcpus: 0, running_vms: 0 } }]);
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

test('the show reader keeps a hypervisor\'s legacy figures, its UUID from 2.53 and the service host its aggregates name', () => {
  const read = readWith(novaHypervisorShow, 'published/nova/hypervisor-show-2.53.json');
  assert.deepEqual(read.errors, []);
  const [hypervisor] = read.hypervisors;
  assert.deepEqual([hypervisor.name, hypervisor.id, hypervisor.serviceHost], ['fake-mini', 'b1e43b5f-eec1-44e0-9f10-7b4945c0226d', '043b3cacf6f34c90a7245151fc8ebcda']);
  assert.deepEqual(hypervisor.figures, { vcpus: 2, vcpus_used: 0, memory_mb: 8192, memory_mb_used: 512, local_gb: 1028, local_gb_used: 0, running_vms: 0 });
  assert.deepEqual([hypervisor.lacking, hypervisor.down, hypervisor.disabled], [null, false, false]);
});

test('the detail reader keeps a 2.88 hypervisor without figures, saying what it lacks, for Placement to make up', () => {
  const [hypervisor] = readWith(novaHypervisorDetail, 'refused/hypervisors-detail-2.88.json').hypervisors;
  assert.equal(hypervisor.figures, null);
  assert.match(hypervisor.lacking ?? '', /^has no vCPU, memory or disk figures \(compute API 2\.88 and later leave them out\)/);
});

test('the statistics body is its own form, which a detail body is not', () => {
  assert.equal(recognises(novaHypervisorStatistics, 'refused/hypervisors-statistics-2.53.json'), true);
  assert.equal(recognises(novaHypervisorStatistics, 'published/nova/hypervisors-detail-2.53.json'), false);
  assert.equal(recognises(novaHypervisorDetail, 'refused/hypervisors-statistics-2.53.json'), false);
});
