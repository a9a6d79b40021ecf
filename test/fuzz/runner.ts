// Runs claimplan as a child process under a time and memory limit, as a user would, and
// judges the run by what docs/limits.md promises for any input: it ends, with a report
// or with located errors, and never with an internal error or a stack trace.
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FuzzCase } from './generate.ts';

export const PROJECT_ROOT = fileURLToPath(new URL('../..', import.meta.url));
const USAGE_PROBE = join(PROJECT_ROOT, 'test/fuzz/usage-probe.mjs');

export interface RunLimits {
  /** the CPU time a run may take */
  cpuMs: number;
  /** when a run is killed: the CPU limit with room for a machine shared with other work */
  timeoutMs: number;
  /** V8's old-space cap given to the child, so a runaway dies rather than swapping */
  maxOldSpaceMb: number;
  /** the peak resident set a run may reach */
  maxPeakRssMb: number;
}

export const DEFAULT_LIMITS: RunLimits = { cpuMs: 10_000, timeoutMs: 30_000, maxOldSpaceMb: 256, maxPeakRssMb: 200 };

export interface RunResult {
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** wall-clock time */
  ms: number;
  /** the child's CPU time, user and system; null (as peakRssMb) when it died before its exit handler ran */
  cpuMs: number | null;
  peakRssMb: number | null;
  timedOut: boolean;
}

let snapshot: string | null = null;

/**
 * bin/claimplan.js with the dist/ it runs, copied aside on first use: a build started in
 * the same checkout while the fuzz runs (dist/ is rewritten whole) must not change or
 * break the CLI under test. Removed when the process exits.
 */
function cliSnapshot(): string {
  if (snapshot === null) {
    const directory = mkdtempSync(join(tmpdir(), 'claimplan-cli-'));
    cpSync(join(PROJECT_ROOT, 'bin/claimplan.js'), join(directory, 'bin/claimplan.js'));
    cpSync(join(PROJECT_ROOT, 'dist'), join(directory, 'dist'), { recursive: true });
    process.on('exit', () => rmSync(directory, { recursive: true, force: true }));
    snapshot = join(directory, 'bin/claimplan.js');
  }
  return snapshot;
}

/** Keeps the head of a stream: a runaway report must not grow the runner. */
const CAPTURE_BYTES = 1 << 20;

/** Runs `claimplan ARGS…` in `cwd`; resolves when the child has exited or been killed at the time limit. */
export function runClaimplan(args: string[], cwd: string, limits: RunLimits = DEFAULT_LIMITS): Promise<RunResult> {
  const usageFile = join(cwd, '.usage');
  const started = performance.now();
  const child = spawn(process.execPath, [`--max-old-space-size=${limits.maxOldSpaceMb}`, '--import', USAGE_PROBE, cliSnapshot(), ...args], {
    cwd,
    env: { ...process.env, CLAIMPLAN_FUZZ_USAGE: usageFile, CLAIMPLAN_DEBUG: '', FORCE_COLOR: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const captured = { stdout: [] as Buffer[], stderr: [] as Buffer[] };
  for (const name of ['stdout', 'stderr'] as const) {
    let kept = 0;
    child[name].on('data', (chunk: Buffer) => {
      if (kept < CAPTURE_BYTES) captured[name].push(chunk.subarray(0, CAPTURE_BYTES - kept));
      kept += chunk.length;
    });
  }
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    child.kill('SIGKILL');
  }, limits.timeoutMs);
  return new Promise((resolve) => {
    child.on('close', (status, signal) => {
      clearTimeout(timer);
      let usage: { maxRSS: number; cpuTime: number } | null = null;
      try {
        usage = JSON.parse(readFileSync(usageFile, 'utf8'));
      } catch {
        // No exit handler ran: killed, or the heap ran out.
      }
      resolve({
        status,
        signal,
        stdout: Buffer.concat(captured.stdout).toString('utf8'),
        stderr: Buffer.concat(captured.stderr).toString('utf8'),
        ms: performance.now() - started,
        cpuMs: usage && usage.cpuTime / 1000,
        peakRssMb: usage && usage.maxRSS / 1024,
        timedOut,
      });
    });
  });
}

const LOCATED = /^\S+:\d+:\d+ {2}/m;
const USAGE_FLAVOR = /^claimplan: --flavor .*: no such flavor/m;

/** What the run did wrong, by docs/limits.md's promise; empty when it kept it. */
export function violations(run: RunResult, command: string, limits: RunLimits = DEFAULT_LIMITS): string[] {
  if (run.timedOut) return [`still running after ${limits.timeoutMs} ms`];
  const found: string[] = [];
  if (run.status === null || ![0, 1, 2].includes(run.status)) found.push(`exit ${run.status ?? `by ${run.signal}`}`);
  if (/^ {4}at /m.test(run.stderr)) found.push('stack trace on stderr');
  if (/internal error/.test(run.stderr)) found.push('internal error');
  if (run.status === 2) {
    if (run.stdout !== '') found.push('exit 2 with output on stdout');
    // fit's --flavor naming a flavor the plan lost is a usage error, which has no place in a file.
    if (!LOCATED.test(run.stderr) && !(command === 'fit' && USAGE_FLAVOR.test(run.stderr))) found.push('exit 2 without a located error');
  }
  if (run.cpuMs === null || run.peakRssMb === null) found.push('no usage recorded (the child died)');
  if (run.cpuMs !== null && run.cpuMs > limits.cpuMs) found.push(`${run.cpuMs.toFixed(0)} ms of CPU`);
  if (run.peakRssMb !== null && run.peakRssMb >= limits.maxPeakRssMb) found.push(`peak RSS ${run.peakRssMb.toFixed(0)} MB`);
  return found;
}

export interface CaseOutcome {
  fuzzCase: FuzzCase;
  run: RunResult;
  violations: string[];
}

/** Writes the case's files to a fresh directory, runs it, and removes the directory. */
export async function runCase(fuzzCase: FuzzCase, limits: RunLimits = DEFAULT_LIMITS): Promise<CaseOutcome> {
  const directory = mkdtempSync(join(tmpdir(), 'claimplan-fuzz-'));
  try {
    for (const [name, content] of Object.entries(fuzzCase.files)) writeFileSync(join(directory, name), content);
    const run = await runClaimplan(fuzzCase.args, directory, limits);
    return { fuzzCase, run, violations: violations(run, fuzzCase.command, limits) };
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

/** Runs the cases `parallel` at a time (one per core), calling `done` as each ends. */
export async function runCases(
  cases: Iterable<FuzzCase>,
  parallel: number,
  done: (outcome: CaseOutcome) => void,
  limits: RunLimits = DEFAULT_LIMITS,
): Promise<void> {
  const pending = cases[Symbol.iterator]();
  const worker = async () => {
    for (let next = pending.next(); !next.done; next = pending.next()) done(await runCase(next.value, limits));
  };
  await Promise.all(Array.from({ length: parallel }, worker));
}

/** One failing case, told so that it can be run again by hand. */
export function describeOutcome({ fuzzCase, run, violations: found }: CaseOutcome): string {
  const stderr = run.stderr.split('\n').slice(0, 6).join('\n  ');
  return (
    `case ${fuzzCase.index} (${fuzzCase.kind}, ${fuzzCase.form} of ${fuzzCase.seed}: ${fuzzCase.detail})\n` +
    `  claimplan ${fuzzCase.args.join(' ')}  → exit ${run.status ?? run.signal}, ${run.ms.toFixed(0)} ms (${run.cpuMs?.toFixed(0) ?? '?'} ms CPU), ` +
    `${run.peakRssMb?.toFixed(0) ?? '?'} MB: ${found.join('; ')}\n  ${stderr}`
  );
}
