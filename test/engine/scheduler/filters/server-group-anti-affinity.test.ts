// ServerGroupAntiAffinityFilter: a host passes while it has fewer members than
// max_server_per_host, and a moving member passes on the host it is on.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { antiAffinityRefusal } from '../../../../src/engine/scheduler/filters/server-group-anti-affinity.ts';

const APART = { name: 'web', policy: 'anti-affinity', max_server_per_host: 1 } as const;
const TWO_APART = { ...APART, max_server_per_host: 2 };

test('passes a host with fewer members than max_server_per_host, and refuses one at it, naming them', () => {
  assert.equal(antiAffinityRefusal(APART, [], null), null);
  assert.equal(antiAffinityRefusal(APART, ['web-1'], null), 'server group web (anti-affinity) already has web-1 here');
  assert.equal(antiAffinityRefusal(TWO_APART, ['web-1'], null), null);
  assert.equal(antiAffinityRefusal(TWO_APART, ['web-1', 'web-2'], null), 'server group web (anti-affinity) already has web-1, web-2 here (max_server_per_host 2)');
});

test('passes a member that is moving on the host it is on, as a resize may stay on its source', () => {
  assert.equal(antiAffinityRefusal(APART, ['web-1'], 'web-1'), null);
  assert.notEqual(antiAffinityRefusal(APART, ['web-1'], 'web-2'), null);
});
