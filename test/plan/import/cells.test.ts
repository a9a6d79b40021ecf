// One cell of an export read as its client prints it: numbers as numbers or text, `""` as
// absent, extra specs as an object or older clients' text; a cell of the wrong kind is a
// located error, a column no client prints a warning with a suggestion.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatPlanError } from '../../../src/plan/errors.ts';
import { extraSpecsOf, rowsOf, showRows, type Row } from '../../../src/plan/import/cells.ts';
import { Diagnostics } from '../../../src/plan/import/partial-plan.ts';
import { readPlanDocument } from '../../../src/plan/source.ts';

const FORM = 'openstack hypervisor show -f json';

/** The rows of `text`, a list as an export holds it, read from standard input. */
function rowsIn(text: string): { rows: Row[]; errors: () => string[]; warnings: () => string[] } {
  const read = readPlanDocument('-', () => text);
  assert.ok(read.ok);
  const diagnostics = new Diagnostics();
  const rows = rowsOf(read.value.value as unknown[], { source: read.value.source, path: [] }, diagnostics, FORM);
  return { rows, errors: () => diagnostics.errors.map(formatPlanError), warnings: () => diagnostics.warnings.map(formatPlanError) };
}

test('reads a count given as a number or as digits, and `""` or null as absent', () => {
  const { rows, errors } = rowsIn('[{"vcpus": 8, "memory_mb": "16384", "swap": "", "disk": null}]');
  assert.deepEqual([rows[0].count('vcpus'), rows[0].count('memory_mb'), rows[0].count('swap', false), rows[0].count('disk', false)], [8, 16384, null, null]);
  assert.deepEqual(errors(), []);
});

test('says a required cell is missing at its row, and a bad value at the value', () => {
  const { rows, errors } = rowsIn('[\n  {"vcpus": -1, "ratio": "x", "name": 5, "id": {}}\n]');
  assert.equal(rows[0].count('vcpus'), null);
  assert.equal(rows[0].count('memory_mb'), null);
  assert.equal(rows[0].ratio('ratio'), null);
  assert.equal(rows[0].text('name'), '5', 'ids and names may be numbers before compute API 2.53');
  assert.equal(rows[0].text('id'), null);
  assert.deepEqual(errors(), [
    '<stdin>:2:13  [0].vcpus  must be a non-negative integer',
    '<stdin>:2:3  [0]  missing `memory_mb`, which `openstack hypervisor show -f json` prints',
    '<stdin>:2:26  [0].ratio  must be a non-negative number',
    '<stdin>:2:48  [0].id  must be a non-empty string',
  ]);
});

test('warns of a column no client prints, at the key, with the column meant', () => {
  const { rows, warnings } = rowsIn('[{"vcpus": 8, "memroy_mb": 1}]');
  rows[0].warnUnknownColumns(['vcpus', 'memory_mb']);
  assert.deepEqual(warnings(), ['<stdin>:1:15  [0].memroy_mb  `openstack hypervisor show -f json` prints no column `memroy_mb`; ignored; did you mean `memory_mb`?']);
});

test('refuses a list element that is not an object, saying how the client prints rows', () => {
  const { rows, errors } = rowsIn('[{"vcpus": 8}, 3]');
  assert.equal(rows.length, 1);
  assert.deepEqual(errors(), ['<stdin>:1:16  [1]  must be an object, as `openstack hypervisor show -f json` prints each row']);
});

test('reads a show as one row, or several gathered into a list', () => {
  const one = readPlanDocument('-', () => '{"name": "a"}');
  const many = readPlanDocument('-', () => '[{"name": "a"}, {"name": "b"}]');
  assert.ok(one.ok && many.ok);
  const names = (read: typeof one & { ok: true }) => showRows({ ...read.value, path: '-' }, new Diagnostics(), FORM).map((row) => row.text('name'));
  assert.deepEqual(names(one), ['a']);
  assert.deepEqual(names(many), ['a', 'b']);
});

test('reads extra specs as an object of strings or as older clients\' key=\'value\' text, and none as empty', () => {
  const { rows, errors } = rowsIn('[{"Properties": "hw:cpu_policy=\'dedicated\', hw:mem_page_size=\'large\'", "Other": {"a": 1}, "Bad": 3}]');
  const diagnostics = new Diagnostics();
  assert.deepEqual(extraSpecsOf(rows[0].fields.Properties, rows[0], 'Properties', diagnostics), { 'hw:cpu_policy': 'dedicated', 'hw:mem_page_size': 'large' });
  assert.deepEqual(extraSpecsOf(rows[0].fields.Other, rows[0], 'Other', diagnostics), { a: '1' });
  assert.deepEqual(extraSpecsOf('', rows[0], 'Properties', diagnostics), {});
  assert.equal(extraSpecsOf(rows[0].fields.Bad, rows[0], 'Bad', diagnostics), null);
  assert.deepEqual(diagnostics.errors.map(formatPlanError), ["<stdin>:1:98  [0].Bad  must be an object or `key='value', …` text"]);
  assert.deepEqual(errors(), []);
});
