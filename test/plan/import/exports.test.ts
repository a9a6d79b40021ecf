// `claimplan import`'s work on files: every export read, then one plan assembled, or the
// located errors that refuse it, with the warnings either way.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { imported, refused } from './read-export.ts';

test('refuses with what the readers found, in file order, without assembling a plan to add missing hosts or flavors', () => {
  assert.deepEqual(
    refused('refused/hypervisors-statistics-2.53.json', 'refused/flavors-list.json').map((error) => error.split('  ')[0]),
    ['refused/hypervisors-statistics-2.53.json:2:30', 'refused/flavors-list.json:2:16'],
  );
});

test('makes a plan of exports that name no hypervisor, and warns that it has no hosts', () => {
  const { hosts, flavors, warnings } = imported('osc/flavors.json');
  assert.deepEqual(hosts, []);
  assert.ok(flavors.length > 0);
  // A warning about the whole import, in no file: the command line prints it under its own name.
  assert.ok(warnings.some((warning) => warning.endsWith('  the exports name no hypervisor and no compute node provider: the plan has no hosts')), warnings.join('\n'));
});
