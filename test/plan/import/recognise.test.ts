// Which form an export is, told by its content whatever flag or name it came under;
// folders read whole in name order; tables and unknown files refused with what to export
// instead.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatPlanError } from '../../../src/plan/errors.ts';
import { Diagnostics } from '../../../src/plan/import/partial-plan.ts';
import { readExports } from '../../../src/plan/import/recognise.ts';
import { FIXTURES } from './read-export.ts';

function read(paths: string[], stdin = '') {
  const diagnostics = new Diagnostics();
  const { plan, files } = readExports(paths, () => stdin, diagnostics);
  return { plan, files, errors: diagnostics.errors.map(formatPlanError) };
}

test('reads a file by its content whatever it is named: flavors saved as servers.json are flavors', () => {
  const folder = mkdtempSync(join(tmpdir(), 'claimplan-recognise-'));
  copyFileSync(join(FIXTURES, 'osc/flavors.json'), join(folder, 'servers.json'));
  const { plan, errors } = read([join(folder, 'servers.json')]);
  assert.deepEqual(errors, []);
  assert.deepEqual(plan.servers, []);
  assert.ok(plan.flavors.some((flavor) => flavor.name === 'm1.small'));
});

test('reads a folder\'s exports in name order, passing over hidden files and files no export is saved as', () => {
  const folder = mkdtempSync(join(tmpdir(), 'claimplan-recognise-'));
  copyFileSync(join(FIXTURES, 'osc/servers-list.json'), join(folder, 'b-servers.json'));
  copyFileSync(join(FIXTURES, 'osc/flavors.yaml'), join(folder, 'a-flavors.yaml'));
  writeFileSync(join(folder, '.hidden.json'), '{"nothing": 1}');
  writeFileSync(join(folder, 'notes.md'), '# not an export\n');
  mkdirSync(join(folder, 'empty'));
  const { files, errors } = read([folder]);
  assert.deepEqual(errors, []);
  assert.deepEqual(files, [join(folder, 'a-flavors.yaml'), join(folder, 'b-servers.json')]);
});

test('says what an unknown file looks like, naming its keys, and points to docs/import.md', () => {
  assert.deepEqual(read(['-'], '{"nothing": 1, "else": 2}').errors, [
    '<stdin>:1:1  is no export claimplan reads (its keys are `nothing`, `else`); docs/import.md lists the forms and the commands that print them',
  ]);
  assert.deepEqual(read(['-'], '[]').errors, [], 'an empty list is an export of nothing');
});

test('refuses the client\'s ASCII table, naming the -f json command its columns come from', () => {
  const table = '+----+----------+------+\n| ID | Name     | RAM  |\n+----+----------+------+\n| 1  | m1.small | 2048 |\n+----+----------+------+\n';
  const [error] = read(['-'], table).errors;
  assert.equal(error, "<stdin>:1:1  is an ASCII table (the client's default `-f table`), which cannot be read back reliably: export `openstack flavor list --all --long -f json`");
  assert.match(read([join(FIXTURES, 'refused/hypervisor-stats-table.txt')]).errors[0], /:1:1 {2}is an ASCII table .*`openstack --os-compute-api-version 2\.87 hypervisor show HOST -f json, for each hypervisor/);
});

test('says a path it cannot read cannot be read, and reads the others', () => {
  const { plan, errors } = read([join(FIXTURES, 'osc/no-such-export.json'), join(FIXTURES, 'osc/flavors.json')]);
  assert.equal(errors.length, 1);
  assert.match(errors[0], /no-such-export\.json:0:0 {2}cannot read: /);
  assert.ok(plan.flavors.length > 0);
});
