// Paths into a plan as operators read them, from the JSON pointers ajv gives.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatPath, pointerToPath } from '../../src/plan/path.ts';

test('writes indexes in brackets, plain keys after dots, and quotes any other key', () => {
  assert.equal(formatPath(['hosts', 2, 'memory_mb']), 'hosts[2].memory_mb');
  assert.equal(formatPath(['flavors', 0, 'extra_specs', 'hw:numa_cpus.0']), 'flavors[0].extra_specs["hw:numa_cpus.0"]');
  assert.equal(formatPath([3, 'name']), '[3].name');
  assert.equal(formatPath([]), '');
});

test('reads a pointer\'s segment as an index only where the data holds a list, a key of digits staying a key', () => {
  const data = { hosts: [{ name: 'a' }], cloud: { '0': 1 } };
  assert.deepEqual(pointerToPath('/hosts/0/name', data), ['hosts', 0, 'name']);
  assert.deepEqual(pointerToPath('/cloud/0', data), ['cloud', '0']);
  assert.deepEqual(pointerToPath('', data), []);
});

test('unescapes ~1 and ~0 in pointer segments', () => {
  assert.deepEqual(pointerToPath('/extra_specs/a~1b~0c', { extra_specs: {} }), ['extra_specs', 'a/b~c']);
});
