// Temporary files removed however a replay ends: stopped by a signal mid-replay, neither the
// --output temporary file nor the held-back report is left behind.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { spilledFiles, tracePlan } from './trace-plan.ts';

/** Waits up to `ms` for `holds` to become true, checking every 20 ms. */
async function eventually(holds: () => boolean, ms: number): Promise<boolean> {
  for (const start = Date.now(); Date.now() - start < ms; await sleep(20)) if (holds()) return true;
  return holds();
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  test(`removes the --output temporary file and the held-back report when a trace replay is stopped by ${signal}`, async () => {
    const { directory, plan } = tracePlan(300_000);
    const spilledBefore = spilledFiles();
    const bin = fileURLToPath(new URL('../../bin/claimplan.js', import.meta.url));
    const temporary = () => readdirSync(directory).filter((name) => name.endsWith('.tmp'));
    const toFile = spawn(process.execPath, [bin, 'replay', plan, '-f', 'ndjson', '-o', join(directory, 'rep.json')], { stdio: 'ignore' });
    const toStdout = spawn(process.execPath, [bin, 'replay', plan, '-f', 'ndjson'], { stdio: ['ignore', 'pipe', 'ignore'] });
    toStdout.stdout.resume();
    const spilling = () => spilledFiles().some((name) => !spilledBefore.includes(name) && name.startsWith(`claimplan-${toStdout.pid}-`));
    assert.ok(await eventually(() => temporary().length > 0 && spilling(), 20_000), 'both replays are under way');
    toFile.kill(signal);
    toStdout.kill(signal);
    const [[, fileSignal], [, stdoutSignal]] = await Promise.all([once(toFile, 'exit'), once(toStdout, 'exit')]);
    assert.deepEqual([fileSignal, stdoutSignal], [signal, signal], 'both were still replaying');
    assert.ok(await eventually(() => temporary().length === 0 && !spilling(), 5_000), `left behind: ${temporary()}`);
    assert.deepEqual(readdirSync(directory).sort(), ['plan.yaml', 'trace.ndjson']);
    rmSync(directory, { recursive: true });
  });
}
