// The compute API's server bodies: each server on its compute node, with the flavor it
// names or embeds (2.47).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { novaServerDetail } from '../../../src/plan/import/nova-servers.ts';
import { readWith } from './read-export.ts';

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
