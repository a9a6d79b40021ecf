// ServerGroupAffinityFilter: once a group has members, only their hosts pass.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { affinityRefusal } from '../../../../src/engine/scheduler/filters/server-group-affinity.ts';

const TOGETHER = { name: 'db', policy: 'affinity', max_server_per_host: 1 } as const;

test('passes every host while the group has no member yet', () => {
  assert.equal(affinityRefusal(TOGETHER, [], 'cmp-1'), null);
});

test('passes the hosts the members are on and refuses any other, naming where they are', () => {
  assert.equal(affinityRefusal(TOGETHER, ['cmp-1', 'cmp-3'], 'cmp-3'), null);
  assert.equal(affinityRefusal(TOGETHER, ['cmp-1', 'cmp-3'], 'cmp-2'), 'server group db (affinity) has its members on cmp-1, cmp-3, not here');
});
