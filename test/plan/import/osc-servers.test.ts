// openstackclient's `server list --all-projects --long` rows: the servers a host holds.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { oscServerList } from '../../../src/plan/import/osc-servers.ts';
import { imported, readWith } from './read-export.ts';

test('names servers that share a name apart, and says which servers have no host', () => {
  const { hosts, warnings } = imported('osc/hypervisors-show.json', 'osc/flavors.json', 'osc/servers-list.json');
  assert.deepEqual(hosts[0].instances, [{ name: 'db-1', flavor: 'm1.large' }, { name: 'web@0f4e2a5c', flavor: 'm1.medium' }]);
  assert.deepEqual(hosts[1].instances, [{ name: 'web@0f4e2a5c-3333-4a1b-9c2d-3e4f5a6b7c03', flavor: 'm1.medium' }]);
  assert.match(warnings.join('\n'), /1 server in status SHELVED_OFFLOADED has no host .* it holds nothing and is left out/);
});

test('the list reader keeps each server\'s ID, status, Host and flavor name and ID, a shelved one without a host', () => {
  const read = readWith(oscServerList, 'osc/servers-list.json');
  assert.deepEqual(read.warnings, []);
  assert.deepEqual(
    read.servers.map((server) => [server.name, server.status, server.host, server.flavor.name, server.flavor.id]),
    [
      ['db-1', 'ACTIVE', 'cmp-001', 'm1.large', '3'],
      ['web', 'ACTIVE', 'cmp-001', 'm1.medium', '2'],
      ['web', 'ACTIVE', 'cmp-002', 'm1.medium', '2'],
      ['shelved', 'SHELVED_OFFLOADED', null, 'm1.small', '1'],
    ],
  );
});
