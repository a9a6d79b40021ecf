// Runs a Python harness of Nova's or Placement's own code on many inputs, one JSON object
// per line in and one per line out, split over one process per core so the conformance
// suites take the machine's cores rather than one (docs/contributing.md, "Conformance").
import { spawn } from 'node:child_process';
import { availableParallelism } from 'node:os';

/** Debian's interpreter, with python3-nova and python3-placement, whatever python3 is first on PATH. */
export const PYTHON = '/usr/bin/python3';

function runOne(harness: string, inputs: string[]): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const python = spawn(PYTHON, [harness], { stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    python.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    python.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    python.on('error', reject);
    python.on('close', (code) => {
      if (code !== 0) reject(new Error(`${harness} failed (exit ${code}):\n${Buffer.concat(err).toString('utf8')}`));
      else resolve(Buffer.concat(out).toString('utf8').split('\n').filter((line) => line.trim() !== ''));
    });
    python.stdin.end(`${inputs.join('\n')}\n`);
  });
}

/** Each input's result, in the inputs' order; the inputs go in contiguous shares, one process each. */
export async function runHarness<Result>(harness: string, inputs: string[]): Promise<Result[]> {
  const processes = Math.max(1, Math.min(availableParallelism(), inputs.length));
  const share = Math.ceil(inputs.length / processes);
  const shares = Array.from({ length: processes }, (_, k) => inputs.slice(k * share, (k + 1) * share)).filter((part) => part.length > 0);
  const lines = (await Promise.all(shares.map((part) => runOne(harness, part)))).flat();
  if (lines.length !== inputs.length) throw new Error(`${harness} answered ${lines.length} of ${inputs.length} inputs`);
  return lines.map((line) => JSON.parse(line) as Result);
}
