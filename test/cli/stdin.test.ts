// Standard input read whole, even from a pipe another Node process left non-blocking, and
// a plan given as `-` replayed as the same file is.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT, runCli } from '../run-cli.ts';

test('replays a plan read from standard input for `-` as it replays the same file', () => {
  const fromFile = runCli(['replay', 'examples/small-cloud.yaml', '-f', 'ndjson']);
  const fromStdin = runCli(['replay', '-', '-f', 'ndjson'], { input: readFileSync(join(PROJECT_ROOT, 'examples/small-cloud.yaml'), 'utf8') });
  assert.equal(fromStdin.status, fromFile.status);
  assert.ok(fromStdin.stdout.length > 0);
  assert.equal(fromStdin.stdout, fromFile.stdout);
});

test('reads standard input piped from another claimplan, reporting the content, not a read failure', () => {
  // The case that once failed with EAGAIN: the upstream Node process leaves the pipe non-blocking.
  const node = JSON.stringify(process.execPath);
  const pipeline = `${node} bin/claimplan.js replay examples/small-cloud.yaml -f json | ${node} bin/claimplan.js validate -`;
  const run = spawnSync('bash', ['-c', pipeline], { cwd: PROJECT_ROOT, encoding: 'utf8' });
  assert.equal(run.status, 2);
  assert.match(run.stderr, /^<stdin>:1:1 {2}missing `version`/);
  assert.doesNotMatch(run.stderr, /cannot read|EAGAIN/);
});
