// The compute API's server bodies: each server on its compute node, with the flavor it
// names or embeds (2.47).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { novaServerDetail } from '../../../src/plan/import/nova-servers.ts';
import { imported, readWith } from './read-export.ts';

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

test('the detail reader keeps a server\'s compute service, its compute node and the flavor embedded at 2.47', () => {
  const read = readWith(novaServerDetail, 'published/nova/servers-detail-2.47.json');
  assert.deepEqual(read.errors, []);
  const [server] = read.servers;
  assert.deepEqual([server.name, server.status, server.host, server.hypervisorHostname], ['new-server-test', 'ACTIVE', 'compute', 'fake-mini']);
  assert.deepEqual(server.flavor, {
    id: null,
    name: 'm1.tiny.specs',
    embedded: { vcpus: 1, memory_mb: 512, root_gb: 1, ephemeral_gb: 0, swap: 0, extra_specs: { 'hw:mem_page_size': '2048', 'hw:cpu_policy': 'dedicated' } },
  });
});
