// The schema's findings as located messages an operator reads: wrong types and ranges at
// the value, unknown keys at the key with a suggestion, missing keys at their mapping.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { errorsOf, MINIMAL } from './helpers.ts';

test('reports a value of the wrong type or range in words an operator reads, at the value', () => {
  assert.deepEqual(
    errorsOf(`version: 1
cloud:
  cpu_allocation_ratio: -1
  reserved_host_memory_mb: 1.5
  packing_host_numa_cells_allocation_strategy: "yes"
hosts:
  - {name: a, vcpus: "8", memory_mb: 1024, local_gb: 10, pci: [{vendor_id: 1234, product_id: "20b5", count: 1}]}
flavors:
  - {name: m1, vcpus: 0, memory_mb: 1024, root_gb: 10, swap: none}
requests:
  - {build: m1, count: 0, expect: claim}
`),
    [
      'plan.yaml:3:25  cloud.cpu_allocation_ratio  must be a non-negative number, or null for unlimited',
      'plan.yaml:4:28  cloud.reserved_host_memory_mb  must be a non-negative integer',
      'plan.yaml:5:48  cloud.packing_host_numa_cells_allocation_strategy  must be true or false',
      'plan.yaml:7:22  hosts[0].vcpus  must be a non-negative integer',
      'plan.yaml:7:76  hosts[0].pci[0].vendor_id  must be four hexadecimal digits in quotes, e.g. "10de"',
      'plan.yaml:9:23  flavors[0].vcpus  must be a positive integer',
      'plan.yaml:9:62  flavors[0].swap  must be a non-negative integer (MB), or "" for none',
      'plan.yaml:11:24  requests[0].count  must be a positive integer, at most 1000000',
      'plan.yaml:11:35  requests[0].expect  must be `claimed` or `rejected`',
    ],
  );
});

test('reports unknown keys at the key, suggesting a close known key and folding the missing key it explains', () => {
  assert.deepEqual(
    errorsOf(`version: 1
hosts:
  - name: a
    vcpu: 8
    memory_mb: 1024
    local_gb: 10
    colour: red
flavours: []
`),
    [
      'plan.yaml:4:5  hosts[0].vcpu  unknown key `vcpu`; did you mean `vcpus`?',
      'plan.yaml:7:5  hosts[0].colour  unknown key `colour`',
      'plan.yaml:8:1  flavours  unknown key `flavours`; did you mean `flavors`?',
    ],
  );
});

test('reports a missing required key at the mapping that lacks it, and a missing or wrong version', () => {
  assert.deepEqual(errorsOf('hosts:\n  - {name: a, vcpus: 8, memory_mb: 1024}\n'), [
    'plan.yaml:1:1  missing `version`',
    'plan.yaml:2:5  hosts[0]  missing `local_gb`',
  ]);
  assert.deepEqual(errorsOf('version: 2\n'), ['plan.yaml:1:10  version  must be 1, the only plan format so far']);
  assert.deepEqual(errorsOf(''), ['plan.yaml:1:1  must be a mapping (a plan document)']);
});

test('reports a request that names no operation, two operations, or a key its operation does not take', () => {
  assert.deepEqual(
    errorsOf(`${MINIMAL}requests:
  - {name: x}
  - {build: m1, delete: x}
  - {delete: x, host: cmp-1}
  - {build: m1, name: y, flavor: m1}
`),
    [
      'plan.yaml:7:5  requests[0]  needs one of `build: FLAVOR`, `delete: NAME`, `resize: NAME`, `migrate: NAME`, `live_migrate: NAME`, `evacuate: NAME`, `confirm: NAME`, `revert: NAME`, `down: HOST`, `up: HOST`',
      'plan.yaml:8:17  requests[1].delete  cannot be combined with `build` in one request',
      'plan.yaml:9:17  requests[2].host  does not apply to a `delete` request',
      'plan.yaml:10:26  requests[3].flavor  does not apply to a `build` request',
    ],
  );
});

test('reports a label listed twice at its second mention', () => {
  assert.deepEqual(errorsOf('version: 1\nhosts:\n  - {name: a, vcpus: 8, memory_mb: 1024, local_gb: 10, aggregates: [az1, gpu, az1]}\n'), [
    'plan.yaml:3:79  hosts[0].aggregates[2]  is listed twice',
  ]);
});
