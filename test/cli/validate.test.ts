// `claimplan validate`: exit 0 for a valid plan, 2 with every problem located.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../run-cli.ts';

test('exits 0 for a valid plan, saying what it holds, and 2 for an invalid one', () => {
  const valid = runCli(['validate', 'examples/small-cloud.yaml']);
  assert.equal(valid.status, 0);
  assert.match(valid.stderr, /^examples\/small-cloud\.yaml: valid \(7 hosts, 7 flavors, 22 requests\)\n$/);
  const path = join(mkdtempSync(join(tmpdir(), 'claimplan-')), 'plan.yaml');
  writeFileSync(path, 'version: 2\n');
  const invalid = runCli(['validate', path]);
  assert.equal(invalid.status, 2);
  assert.match(invalid.stderr, /plan\.yaml:1:10 {2}version {2}must be 1, the only plan format so far/);
});
