// How problems are reported: every one of a fixture's mistakes located, sorted by file in the
// order given then line and column, and paths pointing at the key or quoting odd keys (each
// rule's own problems: the test of the module that finds them, test/plan/*.test.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { formatPlanError, loadPlan } from '../../src/plan/load.ts';
import { errorsOf } from './helpers.ts';

const FIXTURES = join(import.meta.dirname, '../fixtures/plan');

test('reports all ten mistakes of the ten-mistakes fixture, each located, and nothing more', () => {
  const result = loadPlan([join(FIXTURES, 'ten-mistakes.yaml')]);
  assert.equal(result.ok, false);
  if (result.ok) return;
  const file = join(FIXTURES, 'ten-mistakes.yaml');
  assert.deepEqual(
    result.error.map((error) => formatPlanError(error).replace(file, 'ten-mistakes.yaml')),
    [
      'ten-mistakes.yaml:6:12  cloud.weigher  must be `spread` or `pack`',
      'ten-mistakes.yaml:7:44  cloud.enabled_filters[2]  unknown filter `CoreFliter`, in no Nova release from Pike to Zed; did you mean `CoreFilter`?',
      'ten-mistakes.yaml:13:5  hosts[0].memroy_mb  unknown key `memroy_mb`; did you mean `memory_mb`?',
      'ten-mistakes.yaml:18:16  hosts[1].memory_mb  must be a non-negative integer',
      'ten-mistakes.yaml:22:23  hosts[1].numa[1].cpus  CPUs 14-15 are already in numa[0].cpus',
      `ten-mistakes.yaml:27:12  flavors[2].name  flavor \`m1.small\` is already defined at ${file}:25:12`,
      'ten-mistakes.yaml:31:13  requests[1].build  unknown flavor `m1.lrage`; did you mean `m1.large`?',
      'ten-mistakes.yaml:32:41  requests[2].host  unknown host `cmp-04`',
      'ten-mistakes.yaml:33:29  requests[3].name  builds `web-2`, which is still live; delete it first or choose another name',
      'ten-mistakes.yaml:34:13  requests[4].delete  deletes `web-7`, which no earlier build or host instance has',
    ],
  );
});

test('sorts errors by file in the order given, then line and column', () => {
  const errors = errorsOf(
    { 'b.yaml': 'version: 1\nhosts: {}\n', 'a.yaml': 'version: 1\ncloud: {weigher: x}\nflavors: 1\n' },
    ['b.yaml', 'a.yaml'],
  );
  assert.deepEqual(errors, [
    'b.yaml:2:8  hosts  must be a list of hosts',
    'a.yaml:2:18  cloud.weigher  must be `spread` or `pack`',
    'a.yaml:3:10  flavors  must be a list of flavors',
  ]);
});

test('points at the key when a key is given no value, and quotes keys that are not plain words in paths', () => {
  assert.deepEqual(
    errorsOf(`version: 1
hosts:
  - name: a
    vcpus: 8
    memory_mb:
    local_gb: 10
flavors:
  - {name: m1, vcpus: 1, memory_mb: 512, root_gb: 1, extra_specs: {"hw:numa_cpus.0": [1]}}
`),
    [
      'plan.yaml:5:5  hosts[0].memory_mb  must be a non-negative integer',
      'plan.yaml:8:86  flavors[0].extra_specs["hw:numa_cpus.0"]  must be a string, number or boolean',
    ],
  );
});

