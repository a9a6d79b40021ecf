// `{n}` name templates: what can name copies apart, and the placeholders there are.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { errorsOf } from './helpers.ts';

test('reports name templates that cannot name their copies apart, or use an unknown placeholder', () => {
  assert.deepEqual(
    errorsOf(`version: 1
hosts:
  - {name: cmp, count: 2, vcpus: 8, memory_mb: 1024, local_gb: 10}
  - {name: "gpu-{i}", vcpus: 8, memory_mb: 1024, local_gb: 10}
  - {name: solo, vcpus: 8, memory_mb: 1024, local_gb: 10, instances: [{name: "db-{n}", flavor: m1}]}
flavors:
  - {name: m1, vcpus: 1, memory_mb: 512, root_gb: 1}
requests:
  - {build: m1, count: 3, name: web}
  - {delete: web, count: 2}
`),
    [
      'plan.yaml:3:12  hosts[0].name  must contain `{n}` to name 2 copies apart',
      'plan.yaml:4:12  hosts[1].name  has an unknown placeholder `{i}`; use `{n}` or `{n:03}`',
      'plan.yaml:5:78  hosts[2].instances[0].name  uses `{n}`, which only a host group (a name with `{n}`) can number',
      'plan.yaml:9:33  requests[0].name  must contain `{n}` to name 3 copies apart',
      'plan.yaml:10:14  requests[1].delete  must contain `{n}` to name 2 copies apart',
    ],
  );
});
