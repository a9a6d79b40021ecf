// `sweep --vary KEY=FROM:TO:STEP`: the values, and the cloud at each, a setting or a host
// group's count; each mistake in the words the command prints.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cloudsForValues, parseRange } from '../../src/plan/sweep-range.ts';
import { planOf, requestsOf } from './helpers.ts';

const GROUP_PLAN = `version: 1
hosts:
  - {name: "gen-{n:02}", count: 3, vcpus: 8, memory_mb: 16384, local_gb: 100}
flavors:
  - {name: m1, vcpus: 1, memory_mb: 1024, root_gb: 10}
`;

test('reads the key and the values from FROM to TO by STEP, either way', () => {
  assert.deepEqual(parseRange('cpu_allocation_ratio=1:3:1'), { ok: true, value: { key: 'cpu_allocation_ratio', values: [1, 2, 3] } });
  assert.deepEqual(parseRange('hosts.gen-{n:02}.count=4:2:-1'), { ok: true, value: { key: 'hosts.gen-{n:02}.count', values: [4, 3, 2] } });
});

test('refuses a range it cannot read, a zero step and a thousand values or more', () => {
  assert.deepEqual(parseRange('cpu_allocation_ratio=1:16'), { ok: false, error: '--vary cpu_allocation_ratio=1:16: must be KEY=FROM:TO:STEP, e.g. cpu_allocation_ratio=1:16:1' });
  assert.deepEqual(parseRange('x=1:2:0'), { ok: false, error: '--vary x=1:2:0: FROM, TO and STEP must be numbers and STEP must not be 0' });
  assert.deepEqual(parseRange('x=0:1000:1'), { ok: false, error: '--vary x=0:1000:1: 1001 values; sweep at most 1000' });
});

test('gives the cloud at each value of a setting, the plan\'s own cloud untouched', () => {
  const plan = planOf(GROUP_PLAN);
  const clouds = cloudsForValues(plan.cloud, 'cpu_allocation_ratio', [2, 4], () => []);
  assert.ok(clouds.ok);
  assert.deepEqual(clouds.value.map((cloud) => cloud.settings.cpu_allocation_ratio), [2, 4]);
  assert.notEqual(plan.cloud.settings.cpu_allocation_ratio, 4);
  assert.deepEqual(cloudsForValues(plan.cloud, 'cpu_allocation_ratio', [-1], () => []).ok, false);
});

test('resizes a host group at each count, and refuses fractions and a request naming a host the smallest count removes', () => {
  const plan = planOf(`${GROUP_PLAN}requests:\n  - {build: m1, name: pinned, host: gen-03}\n`);
  const key = 'hosts.gen-{n:02}.count';
  const clouds = cloudsForValues(plan.cloud, key, [4], () => requestsOf(plan));
  assert.ok(clouds.ok);
  assert.deepEqual(clouds.value[0].hosts.map((host) => host.name), ['gen-01', 'gen-02', 'gen-03', 'gen-04']);
  assert.deepEqual(cloudsForValues(plan.cloud, key, [1.5], () => []), { ok: false, error: `--vary ${key}: host counts must be whole numbers, not 1.5` });
  assert.deepEqual(cloudsForValues(plan.cloud, key, [2, 3], () => requestsOf(plan)), { ok: false, error: `--vary ${key}: a request builds on gen-03, which the smallest count removes` });
});
