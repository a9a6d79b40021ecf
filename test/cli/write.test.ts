// Writing through pipes: a reader that goes away (`| head`) ends the run quietly, exit 0.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../run-cli.ts';

function planFile(text: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'claimplan-')), 'plan.yaml');
  writeFileSync(path, text);
  return path;
}

test('ends quietly when the reader of its output goes away, as with | head', async () => {
  const trace = ['version: 1', 'hosts: [{name: a, vcpus: 4, memory_mb: 4096, local_gb: 100}]', 'flavors: [{name: m1, vcpus: 1, memory_mb: 1, root_gb: 0}]', 'requests:', '  - {build: m1, count: 200000}'].join('\n');
  const child = spawn(process.execPath, ['bin/claimplan.js', 'replay', planFile(trace), '-f', 'ndjson'], { cwd: PROJECT_ROOT });
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  child.stdout.once('data', () => child.stdout.destroy());
  const code = await new Promise<number | null>((resolve) => child.on('close', (status) => resolve(status)));
  assert.equal(stderr, '');
  assert.equal(code, 0);
});
