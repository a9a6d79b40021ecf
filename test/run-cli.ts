// Runs the real bin/claimplan.js as a user would, for golden and CLI tests.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const PROJECT_ROOT = fileURLToPath(new URL('..', import.meta.url));
const BIN = fileURLToPath(new URL('../bin/claimplan.js', import.meta.url));

export interface CliRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

export function runCli(args: string[], options: { input?: string; env?: NodeJS.ProcessEnv } = {}): CliRun {
  const env = { ...process.env, ...options.env };
  // Colour must come only from what a test sets, never from the terminal running the tests.
  if (!options.env || !('FORCE_COLOR' in options.env)) delete env.FORCE_COLOR;
  const run = spawnSync(process.execPath, [BIN, ...args], {
    cwd: PROJECT_ROOT,
    input: options.input ?? '',
    env,
    encoding: 'utf8',
    maxBuffer: 256 * 2 ** 20,
  });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}
