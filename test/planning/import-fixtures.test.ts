// Every export in test/fixtures/import, imported as a user would: a plan the import
// writes is one claimplan accepts (validate and replay exit 0 or 1, never 2), and an
// export the import refuses is refused with located errors and no plan.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { PROJECT_ROOT, runCli } from '../run-cli.ts';

const FIXTURES = join(PROJECT_ROOT, 'test/fixtures/import');
const EXPORTS = ['published', 'osc', 'placement-tree'];
const LOCATED = /^\S+:\d+:\d+ {2}/;

/** Each export file alone, each folder as a whole (Placement's folders name their providers), and each top folder entire. */
function importsToTry(): string[] {
  const found: string[] = [];
  const visit = (path: string) => {
    found.push(relative(PROJECT_ROOT, path));
    if (statSync(path).isDirectory()) for (const entry of readdirSync(path).sort()) visit(join(path, entry));
  };
  for (const folder of EXPORTS) visit(join(FIXTURES, folder));
  return found;
}

test('every published sample and client export imports into a plan that validates and replays', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'claimplan-fixtures-'));
  const imported: string[] = [];
  importsToTry().forEach((path, index) => {
    const plan = join(scratch, `plan-${index}.yaml`);
    const run = runCli(['import', path, '-o', plan]);
    if (run.status === 2) {
      // Refused: only with located errors, and nothing written.
      const errors = run.stderr.trimEnd().split('\n').filter((line) => !line.includes('warning:') && !line.startsWith('claimplan import:'));
      assert.ok(errors.length > 0 && errors.every((line) => LOCATED.test(line)), `${path}: ${run.stderr}`);
      assert.throws(() => statSync(plan), `${path} wrote a plan although refused`);
      return;
    }
    assert.equal(run.status, 0, `${path}: ${run.stderr}`);
    imported.push(path);
    for (const command of [['validate', plan], ['replay', plan, '-f', 'json']]) {
      const checked = runCli(command);
      assert.ok(checked.status === 0 || checked.status === 1, `${command[0]} of the plan from ${path} exited ${checked.status}: ${checked.stderr}`);
    }
  });
  // The samples import as published: all of them, alone and together.
  for (const expected of ['test/fixtures/import/published', 'test/fixtures/import/published/nova/servers-detail-2.47.json', 'test/fixtures/import/published/placement']) {
    assert.ok(imported.includes(expected), `${expected} did not import`);
  }
});

test('each recognised export that cannot give a plan is refused with a located error naming the command to run', () => {
  for (const entry of readdirSync(join(FIXTURES, 'refused')).sort()) {
    const run = runCli(['import', `test/fixtures/import/refused/${entry}`]);
    assert.equal(run.status, 2, entry);
    assert.equal(run.stdout, '');
    const [error] = run.stderr.split('\n');
    assert.match(error, LOCATED, entry);
    assert.match(error, /export[^`]*`(openstack|GET) [^`]+`/, entry);
  }
});
