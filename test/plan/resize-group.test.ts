import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resizeGroup } from '../../src/plan/resize-group.ts';
import { cloud, host } from '../engine/builders.ts';

const plan = cloud(
  [
    host('cmp-01', { group: 'cmp-{n:02}', instances: [{ name: 'db-01', flavor: 'm1' }] }),
    host('cmp-02', { group: 'cmp-{n:02}' }),
    host('edge-1'),
  ],
  [],
);

test('adds hosts to a group as empty copies of its first host, named by its template, before later hosts', () => {
  const result = resizeGroup(plan, 'cmp-{n:02}', 4);
  assert.ok(result.ok);
  assert.deepEqual(result.value.cloud.hosts.map((h) => h.name), ['cmp-01', 'cmp-02', 'cmp-03', 'cmp-04', 'edge-1']);
  assert.deepEqual(result.value.cloud.hosts[3].instances, []);
  assert.equal(result.value.cloud.hosts[3].memory_mb, plan.hosts[0].memory_mb);
});

test('drops the group\'s last hosts when it shrinks, and says which', () => {
  const result = resizeGroup(plan, 'cmp-{n:02}', 1);
  assert.ok(result.ok);
  assert.deepEqual(result.value.cloud.hosts.map((h) => h.name), ['cmp-01', 'edge-1']);
  assert.deepEqual(result.value.removed, ['cmp-02']);
});

test('names the groups there are when asked for one that is not', () => {
  const result = resizeGroup(plan, 'gpu-{n}', 2);
  assert.deepEqual(result, { ok: false, error: 'no host group is named `gpu-{n}` (groups: cmp-{n:02})' });
});
