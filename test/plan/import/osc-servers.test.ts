// openstackclient's `server list --all-projects --long` rows: the servers a host holds.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { oscServerList } from '../../../src/plan/import/osc-servers.ts';
import { readWith } from './read-export.ts';

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
