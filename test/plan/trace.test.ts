// NDJSON request traces and `.json` plans: the fast paths, with errors located as in YAML.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { errorsOf, MINIMAL, instancesOf, planOf, requestsOf } from './helpers.ts';

const TRACE_PLAN = `${MINIMAL}requests: {file: trace.ndjson}\n`;

function ndjson(...requests: object[]): string {
  return requests.map((request) => JSON.stringify(request)).join('\n') + '\n';
}

test('streams requests from an NDJSON trace named relative to the plan, skipping blank lines', () => {
  const plan = planOf({
    'plan.yaml': TRACE_PLAN,
    'trace.ndjson': `{"build": "m1", "name": "a", "expect": "claimed"}\n\n{"build": "m1", "count": 2}\r\n{"delete": "a"}`,
  });
  assert.deepEqual(requestsOf(plan), [
    { op: 'build', instance: 'a', flavor: 'm1', host: null, aggregate: null, expect: 'claimed' },
    { op: 'build', instance: 'm1-2', flavor: 'm1', host: null, aggregate: null, expect: null },
    { op: 'build', instance: 'm1-3', flavor: 'm1', host: null, aggregate: null, expect: null },
    { op: 'delete', instance: 'a' },
  ]);
  assert.deepEqual(requestsOf(plan), requestsOf(plan), 'each call reads the trace afresh');
});

test('numbers default names across inline requests and a later file\'s trace as one stream', () => {
  const plan = planOf(
    {
      'base.yaml': `${MINIMAL}requests:\n  - {build: m1, count: 2}\n`,
      'more.yaml': 'version: 1\nrequests: {file: trace.ndjson}\n',
      'trace.ndjson': ndjson({ build: 'm1' }, { delete: 'm1-1' }),
    },
    ['base.yaml', 'more.yaml'],
  );
  assert.deepEqual(instancesOf(plan), ['m1-1', 'm1-2', 'm1-3', 'm1-1']);
});

test('reports bad trace lines at their line and column, with the request\'s index in the trace', () => {
  const lines = [
    '{"build": "m1", "name": "a"}',
    '{"build": "m1", "name": "b",}',
    '{"build": "m1", "nmae": "c"}',
    '{"build": "m2", "name": "d"}',
    '',
    '{"build": "m1", "name": "a"}',
    '{"delete": "zz"}',
    '[1, 2',
  ];
  assert.deepEqual(errorsOf({ 'plan.yaml': TRACE_PLAN, 'trace.ndjson': lines.join('\n') }), [
    'trace.ndjson:2:29  requests[1]  expected a "quoted" key, found `}`',
    'trace.ndjson:3:17  requests[2].nmae  unknown key `nmae`; did you mean `name`?',
    'trace.ndjson:4:11  requests[3].build  unknown flavor `m2`',
    'trace.ndjson:6:25  requests[4].name  builds `a`, which is still live; delete it first or choose another name',
    'trace.ndjson:7:12  requests[5].delete  deletes `zz`, which no earlier build or host instance has',
    'trace.ndjson:8:6  requests[6]  expected `,` or `]`, found the end of the text',
  ]);
});

test('finds a bad line deep in a trace larger than one read chunk', () => {
  const good = ndjson(...Array.from({ length: 40000 }, (_, index) => ({ build: 'm1', name: `vm-${index}` })));
  const errors = errorsOf({ 'plan.yaml': TRACE_PLAN, 'trace.ndjson': `${good}{"build": "m1", "name": "vm-7"}\n` });
  assert.ok(good.length > 1 << 20, 'the trace spans several chunks');
  assert.deepEqual(errors, [
    'trace.ndjson:40001:25  requests[40000].name  builds `vm-7`, which is still live; delete it first or choose another name',
  ]);
});

test('shows the first hundred problems of a trace and counts the rest', () => {
  const errors = errorsOf({ 'plan.yaml': TRACE_PLAN, 'trace.ndjson': ndjson(...Array.from({ length: 150 }, () => ({ biuld: 'm1' }))) });
  assert.equal(errors.length, 101);
  assert.equal(errors[0], 'trace.ndjson:1:2  requests[0].biuld  unknown key `biuld`; did you mean `build`?');
  assert.equal(errors[100], 'trace.ndjson:150:2  and 50 more problems in this trace, the last one here');
});

test('reports a trace that cannot be read at the plan\'s file entry', () => {
  assert.deepEqual(errorsOf(TRACE_PLAN), [
    'plan.yaml:6:18  requests.file  cannot read `trace.ndjson`: no such file',
  ]);
});

test('loads a .json plan like its YAML twin', () => {
  const document = {
    version: 1,
    hosts: [{ name: 'cmp-{n}', count: 2, vcpus: 8, memory_mb: 16384, local_gb: 100 }],
    flavors: [{ name: 'm1', vcpus: 1, memory_mb: 1024, root_gb: 10 }],
    requests: [{ build: 'm1', count: 2, name: 'web-{n}' }],
  };
  const fromJson = planOf({ 'plan.json': JSON.stringify(document) });
  const fromYaml = planOf({ 'plan.yaml': JSON.stringify(document, null, 2) });
  assert.deepEqual(fromJson.cloud, fromYaml.cloud);
  assert.deepEqual(requestsOf(fromJson), requestsOf(fromYaml));
});

test('locates schema and syntax errors in a .json plan by line and column', () => {
  const text = '{\n  "version": 1,\n  "hosts": [\n    {"name": "a", "vcpus": 8, "memory_mb": -1, "local_gb": 10}\n  ]\n}\n';
  assert.deepEqual(errorsOf({ 'plan.json': text }), ['plan.json:4:44  hosts[0].memory_mb  must be a non-negative integer']);
  assert.deepEqual(errorsOf({ 'plan.json': '{\n  "version": 1,\n  "hosts": [}\n' }), [
    'plan.json:3:13  expected a value, found `}`',
  ]);
});

test('counts a name in characters as the schema does: 200 emoji is a name, 256 is too long', () => {
  const emoji = '\u{1F5A5}';
  const plan = planOf({ 'plan.yaml': TRACE_PLAN, 'trace.ndjson': ndjson({ build: 'm1', name: emoji.repeat(200) }, { delete: emoji.repeat(200) }) });
  assert.deepEqual(requestsOf(plan), [
    { op: 'build', instance: emoji.repeat(200), flavor: 'm1', host: null, aggregate: null, expect: null },
    { op: 'delete', instance: emoji.repeat(200) },
  ]);
  assert.deepEqual(errorsOf({ 'plan.yaml': TRACE_PLAN, 'trace.ndjson': ndjson({ build: 'm1', name: emoji.repeat(256) }) }), [
    'trace.ndjson:1:22  requests[0].name  must be at most 255 characters long',
  ]);
});
