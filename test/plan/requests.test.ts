// A plan's requests, checked as the replay reads them: count and {n} expanded, names live
// and deleted followed, unknown flavors, hosts, aggregates and groups located.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { errorsOf, MINIMAL, planOf, requestsOf } from './helpers.ts';

test('reports unknown flavors, hosts and aggregates where requests and host instances name them', () => {
  assert.deepEqual(
    errorsOf(`version: 1
hosts:
  - {name: cmp-1, vcpus: 8, memory_mb: 16384, local_gb: 100, aggregates: [az1], instances: [{name: old, flavor: m9}]}
  - {name: cmp-2, vcpus: 8, memory_mb: 16384, local_gb: 100, aggregates: [az2]}
flavors:
  - {name: m1.small, vcpus: 1, memory_mb: 1024, root_gb: 10}
requests:
  - {build: m1.smal, name: a}
  - {build: m1.small, name: b, host: cmp-9}
  - {build: m1.small, name: c, aggregate: gpu}
  - {build: m1.small, name: d, aggregate: az}
  - {build: m1.small, name: e, host: cmp-2, aggregate: az1}
`),
    [
      'plan.yaml:3:113  hosts[0].instances[0].flavor  unknown flavor `m9`',
      'plan.yaml:8:13  requests[0].build  unknown flavor `m1.smal`; did you mean `m1.small`?',
      'plan.yaml:9:38  requests[1].host  unknown host `cmp-9`',
      'plan.yaml:10:43  requests[2].aggregate  no host carries aggregate `gpu`',
      'plan.yaml:11:43  requests[3].aggregate  no host carries aggregate `az`; did you mean `az1`?',
      'plan.yaml:12:56  requests[4].aggregate  host `cmp-2` is not in aggregate `az1`',
    ],
  );
});

test('accepts deleting a name twice, deleting a rejected build\'s name, and building a name again after its delete', () => {
  const plan = planOf(`${MINIMAL}requests:
  - {build: m1, name: a, host: cmp-1}
  - {delete: a}
  - {delete: a}
  - {build: m1, name: a}
  - {delete: a}
`);
  assert.equal([...plan.requests()].length, 5);
});

test('reports deleting a name never built and building a name that is still live, host instances included', () => {
  assert.deepEqual(
    errorsOf(`version: 1
hosts:
  - {name: cmp-1, vcpus: 8, memory_mb: 16384, local_gb: 100, instances: [{name: db, flavor: m1}]}
flavors:
  - {name: m1, vcpus: 1, memory_mb: 1024, root_gb: 10}
requests:
  - {build: m1, name: db}
  - {build: m1, count: 2}
  - {build: m1, name: m1-2}
  - {build: m1, count: 3, name: "web-{n}"}
  - {delete: "web-{n}", count: 4}
  - {delete: ghost}
`),
    [
      'plan.yaml:7:23  requests[0].name  builds `db`, which is still live; delete it first or choose another name',
      'plan.yaml:9:23  requests[2].name  builds `m1-2`, which is still live; delete it first or choose another name',
      'plan.yaml:11:14  requests[4].delete  deletes `web-4`, which no earlier build or host instance has',
      'plan.yaml:12:14  requests[5].delete  deletes `ghost`, which no earlier build or host instance has',
    ],
  );
});

test('reports moves of names never built or already deleted, a resize without a flavor, and unknown flavors and hosts', () => {
  const requests = [
    '{build: m1, name: a}',
    '{resize: a}',
    '{resize: a, flavor: m2}',
    '{migrate: b, host: cmp-9}',
    '{delete: a}',
    '{confirm: a}',
    '{live_migrate: "web-{n}", count: 2}',
  ];
  assert.deepEqual(errorsOf(`${MINIMAL}requests:\n${requests.map((request) => `  - ${request}\n`).join('')}`), [
    'plan.yaml:8:5  requests[1]  a resize needs `flavor: FLAVOR`, the flavor to resize to',
    'plan.yaml:9:25  requests[2].flavor  unknown flavor `m2`',
    'plan.yaml:10:15  requests[3].migrate  names `b`, which no earlier build or host instance has; did you mean `a`?',
    'plan.yaml:10:24  requests[3].host  unknown host `cmp-9`',
    'plan.yaml:12:15  requests[5].confirm  names `a`, which an earlier request deleted',
    'plan.yaml:13:20  requests[6].live_migrate  names `web-1` (and 1 more), which no earlier build or host instance has',
  ]);
});

test('reports a host going down that the plan has no host of, and a count on a host state request', () => {
  assert.deepEqual(
    errorsOf(`${MINIMAL}requests:
  - {down: cmp-9}
  - {down: cmp-1, count: 2}
`),
    [
      'plan.yaml:7:12  requests[0].down  unknown host `cmp-9`',
      'plan.yaml:8:19  requests[1].count  does not apply to a `down` request',
    ],
  );
});

test('expands count and {n} in requests, and names unnamed builds <flavor>-<seq> by their place in the whole stream', () => {
  const plan = planOf(`${MINIMAL}requests:
  - build: m1
    count: 2
    name: web-{n:02}
    host: cmp-1
    expect: claimed
  - build: m1
    count: 2
  - delete: web-{n:02}
    count: 2
  - build: m1
`);
  assert.deepEqual(requestsOf(plan), [
    { op: 'build', instance: 'web-01', flavor: 'm1', host: 'cmp-1', aggregate: null, expect: 'claimed' },
    { op: 'build', instance: 'web-02', flavor: 'm1', host: 'cmp-1', aggregate: null, expect: 'claimed' },
    { op: 'build', instance: 'm1-3', flavor: 'm1', host: null, aggregate: null, expect: null },
    { op: 'build', instance: 'm1-4', flavor: 'm1', host: null, aggregate: null, expect: null },
    { op: 'delete', instance: 'web-01' },
    { op: 'delete', instance: 'web-02' },
    { op: 'build', instance: 'm1-7', flavor: 'm1', host: null, aggregate: null, expect: null },
  ]);
});

test('reads a host going down and up as the engine\'s host state requests', () => {
  const plan = planOf(`${MINIMAL}requests:
  - {down: cmp-1}
  - {build: m1, name: a}
  - {up: cmp-1}
`);
  assert.deepEqual(requestsOf(plan).map((request) => [request.op, 'host' in request ? request.host : null]), [
    ['down', 'cmp-1'],
    ['build', null],
    ['up', 'cmp-1'],
  ]);
});
