// Progress lines on a terminal's standard error: how far, of how much, when the total is known.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../../bin/claimplan.js', import.meta.url));

/** What a command writes on a terminal (util-linux `script` gives it one), the progress lines split at their carriage returns. */
function onTerminal(args: string[]): string[] {
  const command = [process.execPath, BIN, ...args].map((word) => `'${word}'`).join(' ');
  const run = spawnSync('script', ['-qec', command, '/dev/null'], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return run.stdout.split(/[\r\n]+/).map((line) => line.replace(/\x1b\[K/g, '')).filter((line) => line !== '');
}

test('a replay\'s progress line gives the total and the percentage when the plan holds them', { skip: !existsSync('/usr/bin/script') }, () => {
  const directory = mkdtempSync(join(tmpdir(), 'claimplan-progress-'));
  const plan = join(directory, 'plan.yaml');
  writeFileSync(plan, 'version: 1\nhosts:\n  - {name: "c-{n}", count: 20, vcpus: 64, memory_mb: 262144, local_gb: 4000}\nflavors:\n  - {name: f, vcpus: 1, memory_mb: 512, root_gb: 1}\nrequests:\n  - {build: f, name: "vm-{n}", count: 20000}\n');
  const lines = onTerminal(['replay', plan, '-f', 'ndjson', '-o', join(directory, 'report.ndjson')]);
  assert.ok(lines.length > 0);
  for (const line of lines) assert.match(line, /^replaying: [\d,]+ of 20,000 requests decided \(\d{1,3}%\)$/);
  const sweep = onTerminal(['sweep', plan, '--vary', 'cpu_allocation_ratio=1:4:1', '-o', join(directory, 'sweep.txt')]);
  assert.match(sweep[0], /^sweep: 1 of 4 values replayed \(25%\)$/);
  rmSync(directory, { recursive: true });
});
