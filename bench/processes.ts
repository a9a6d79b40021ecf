// Whole-process measures for `npm run bench`: claimplan started as a user starts it
// (node bin/claimplan.js), wall time and peak resident memory per run.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** this checkout, whose claimplan the bench measures */
export const CHECKOUT = fileURLToPath(new URL('..', import.meta.url));
const TIME = '/usr/bin/time';

export interface RunFigures {
  seconds: number;
  /** peak resident set in MiB, when /usr/bin/time is there to measure it */
  peakMiB: number | null;
}

/** Runs `node ARGS` with stdout to /dev/null; fails loudly when the command does. */
export function runNode(args: string[]): RunFigures {
  const measured = existsSync(TIME);
  const command = measured ? TIME : process.execPath;
  const argv = measured ? ['-f', '%M', process.execPath, ...args] : args;
  const started = process.hrtime.bigint();
  const run = spawnSync(command, argv, { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8', maxBuffer: 64 * 2 ** 20 });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (run.status !== 0 && run.status !== 1) throw new Error(`node ${args.join(' ')} exited ${run.status}: ${run.stderr.slice(-2000)}`);
  const kib = measured ? Number(run.stderr.trim().split('\n').at(-1)) : NaN;
  return { seconds, peakMiB: Number.isFinite(kib) ? kib / 1024 : null };
}

/** claimplan ARGS, as a user starts it, from this checkout or another's (`root`). */
export function claimplan(args: string[], root = CHECKOUT): RunFigures {
  return runNode([join(root, 'bin/claimplan.js'), ...args]);
}

export interface Spread {
  min: number;
  median: number;
  max: number;
}

export function spread(values: number[]): Spread {
  const sorted = [...values].sort((a, b) => a - b);
  return { min: sorted[0], median: sorted[Math.floor(sorted.length / 2)], max: sorted[sorted.length - 1] };
}

export function secondsText({ min, median, max }: Spread): string {
  return `min ${min.toFixed(3)} s, median ${median.toFixed(3)} s, max ${max.toFixed(3)} s`;
}
