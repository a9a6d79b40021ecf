// Reading a plan file: YAML syntax errors where they are, and the usual slips explained.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { errorsOf, MINIMAL } from './helpers.ts';

test('reports YAML syntax errors where they are, without the parser\'s echoes', () => {
  assert.deepEqual(errorsOf('version: 1\nhosts:\n  - name: a\n   vcpus: 8\n'), [
    'plan.yaml:4:1  Sequence item without - indicator',
  ]);
  assert.deepEqual(errorsOf('version: 1\nversion: 1\n'), ['plan.yaml:2:1  Map keys must be unique']);
});

test('explains the usual YAML slip of an unquoted {n} inside a flow mapping', () => {
  assert.deepEqual(errorsOf(`${MINIMAL}requests:\n  - {build: m1, count: 2, name: web-{n}}\n`), [
    'plan.yaml:7:37  Unexpected flow-map-start at node end; inside `{…}` a name template needs quotes, e.g. name: "web-{n}"',
  ]);
});
