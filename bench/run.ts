// npm run bench: claimplan's speed on fixed synthetic clouds. Figures are printed, never
// asserted; each names the target it is read against (docs/contributing.md, "Benchmarks").
// Each figure is also measured on the previous landing's code, built beside this one and
// run in turn with it (previous-code.ts), and the two are compared at the end; the figures
// saved at the previous landing (bench/landed.json) are compared too, for the record.
// `npm run bench -- --save FILE` also writes the figures as JSON; `--against FILE` compares
// with another landing's.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { Request } from '../src/engine/core/model.ts';
import type { EngineFigure } from './engine.ts';
import { Figures, readSavedFigures } from './figures.ts';
import { previousLandingCode } from './previous-code.ts';
import { CHECKOUT, claimplan, runNode, secondsText, spread, type RunFigures, type Spread } from './processes.ts';
import { fullCloud, fullCloudTrace, namedHostTrace, planText, syntheticCloud, syntheticHistory, syntheticTrace, traceLine } from './synthetic-cloud.ts';

const { values: args } = parseArgs({ options: { save: { type: 'string' }, against: { type: 'string' } } });
const LANDED = fileURLToPath(new URL('./landed.json', import.meta.url));
const figures = new Figures();
/** the same figures, of the previous landing's code */
const previousFigures = new Figures();

const workspace = mkdtempSync(join(tmpdir(), 'claimplan-bench-'));
process.on('exit', () => rmSync(workspace, { recursive: true, force: true }));

const previous = previousLandingCode(CHECKOUT, join(workspace, 'previous-landing'));
const previousRoot = 'root' in previous ? previous.root : null;
console.log(
  'root' in previous
    ? `The previous landing's code (${previous.commit.slice(0, 12)}) runs beside this checkout's, each run in turn.\n`
    : `The previous landing's code cannot run beside this checkout's (${previous.unavailable}): figures are compared with those saved in bench/landed.json.\n`,
);

function writePlan(name: string, hostCount: number, requests: Iterable<Request>, cloud = syntheticCloud(hostCount)): string {
  const lines: string[] = [];
  for (const request of requests) lines.push(traceLine(request));
  writeFileSync(join(workspace, `${name}.ndjson`), `${lines.join('\n')}\n`);
  const plan = join(workspace, `${name}.json`);
  writeFileSync(plan, planText(cloud, `${name}.ndjson`));
  return plan;
}

function* firstBuilds(count: number): Generator<Request> {
  let built = 0;
  for (const request of syntheticTrace(Number.MAX_SAFE_INTEGER)) {
    if (request.op !== 'build') continue;
    yield request;
    if (++built === count) return;
  }
}

/** The word beside a figure: whether it meets its target. */
function verdict(met: boolean): string {
  return met ? 'meets its target' : 'MISSES its target';
}

/** A workload's runs of this checkout's claimplan and, when it can run, of the previous landing's, taken in turn. */
interface Runs {
  now: RunFigures[];
  was: RunFigures[];
}

function measure(times: number, args: string[]): Runs {
  return measureInTurn(times, [args])[0];
}

/** Workloads whose figures are read against each other (a speed-up), run in turn round by round, so that their ratio sees one stretch of the machine. */
function measureInTurn(times: number, workloads: string[][]): Runs[] {
  const runs = workloads.map((): Runs => ({ now: [], was: [] }));
  for (let run = 0; run < times; run++) runRound(workloads, runs);
  return runs;
}

/** One run of each workload on this checkout's code, then on the previous landing's when it can run, added to its `runs`. */
function runRound(workloads: string[][], runs: Runs[]): void {
  workloads.forEach((args, at) => runs[at].now.push(claimplan(args)));
  if (previousRoot !== null) workloads.forEach((args, at) => runs[at].was.push(claimplan(args, previousRoot)));
}

/** Keeps a figure of both codes under `name` (the previous landing's when it ran) and gives back this checkout's. */
function record<Value extends number | null>(name: string, runs: Runs, value: (runs: RunFigures[]) => Value, unit: string, higherIsBetter = false): Value {
  const now = value(runs.now);
  if (now !== null) figures.record(name, now, unit, higherIsBetter);
  const was = runs.was.length === 0 ? null : value(runs.was);
  if (was !== null) previousFigures.record(name, was, unit, higherIsBetter);
  return now;
}

/** The runs' seconds, and their peak RSS when measured, under `name` and `name, peak RSS`; the median seconds. */
function recordRuns(name: string, runs: Runs): number {
  const seconds = record(name, runs, medianSeconds, 's');
  record(`${name}, peak RSS`, runs, peakOf, 'MiB');
  return seconds;
}

/** How many times longer the `over` workload takes than the `under` one, for each code. */
function recordRatio(name: string, over: Runs, under: Runs, higherIsBetter = false): number {
  const ratio = (code: keyof Runs) => medianSeconds(over[code]) / medianSeconds(under[code]);
  const now = figures.record(name, ratio('now'), 'x', higherIsBetter);
  if (over.was.length > 0 && under.was.length > 0) previousFigures.record(name, ratio('was'), 'x', higherIsBetter);
  return now;
}

function peaksOf(runs: RunFigures[]): number[] {
  return runs.flatMap((run) => (run.peakMiB === null ? [] : [run.peakMiB]));
}

/** The runs' peak RSS, like every figure the median of the runs (docs/contributing.md, "Benchmarks"). */
function peakOf(runs: RunFigures[]): number | null {
  const peaks = peaksOf(runs);
  return peaks.length === 0 ? null : spread(peaks).median;
}

function secondsSpread(runs: RunFigures[]): Spread {
  return spread(runs.map((run) => run.seconds));
}

function medianSeconds(runs: RunFigures[]): number {
  return secondsSpread(runs).median;
}

function peakText(runs: RunFigures[]): string {
  const peaks = peaksOf(runs);
  if (peaks.length === 0) return 'peak RSS not measured (no /usr/bin/time)';
  if (peaks.length === 1) return `peak RSS ${peaks[0].toFixed(0)} MiB`;
  return `peak RSS median ${spread(peaks).median.toFixed(0)} MiB (highest ${Math.max(...peaks).toFixed(0)})`;
}

console.log('Start-up, median of 10 runs each, interleaved (target: within 2x a bare node):');
const bareRuns: RunFigures[] = [];
const startUps: Runs[] = [
  { now: [], was: [] },
  { now: [], was: [] },
];
const [versionRuns, exampleRuns] = startUps;
for (let run = 0; run < 10; run++) {
  bareRuns.push(runNode(['-e', '0']));
  runRound([['--version'], ['replay', 'examples/small-cloud.yaml']], startUps);
}
const bare = figures.record('start-up: node -e 0', medianSeconds(bareRuns), 's');
console.log(`  ${'node -e 0'.padEnd(44)} ${secondsText(secondsSpread(bareRuns))} (1.00x bare)`);
for (const [label, runs] of [
  ['claimplan --version', versionRuns],
  ['claimplan replay examples/small-cloud.yaml', exampleRuns],
] as const) {
  record(`start-up: ${label}`, runs, medianSeconds, 's');
  const times = record(`start-up: ${label}, times bare node`, runs, (some) => medianSeconds(some) / bare, 'x');
  console.log(`  ${label.padEnd(44)} ${secondsText(secondsSpread(runs.now))} (${times.toFixed(2)}x bare) — ${verdict(times <= 2)}`);
}

console.log('\nThroughput, end to end as processes, `-f ndjson` to /dev/null, median of 3 runs each:');
const scenarios = [
  {
    label: '100,000 requests (70% builds on named hosts, 30% deletes), 1,000 hosts, NDJSON trace',
    seconds: 0.6,
    plan: writePlan('named-100k', 1_000, namedHostTrace(100_000, 1_000)),
  },
  { label: '10,000 scheduler-chosen builds, 1,000 hosts', seconds: 0.5, plan: writePlan('scheduled-10k', 1_000, firstBuilds(10_000)), weighed: true },
  {
    label: '1,000,000 requests, scheduler-chosen with deletes, 10,000 hosts',
    seconds: 10,
    peakMiB: 300,
    plan: writePlan('scheduled-1m', 10_000, syntheticTrace(1_000_000)),
    weighed: true,
  },
  {
    label: '1,000,000 requests on a cloud that fills (70% builds of five flavors, 30% deletes), 10,000 hosts',
    seconds: 10,
    peakMiB: 300,
    plan: writePlan('full-cloud-1m', 10_000, fullCloudTrace(1_000_000), fullCloud(10_000)),
  },
];
// Scheduled builds are weighed with Nova's default weighers, and again with the RAM weigher
// alone (claimplan's weighing before Zed's stack), target: the default within 1.5x of RAM-only.
const RAM_ONLY = ['--set', 'weight_classes=RAMWeigher'];
for (const { label, seconds, peakMiB, plan, weighed } of scenarios) {
  const replay = ['replay', plan, '-f', 'ndjson'];
  const [runs, ramOnly] = weighed ? measureInTurn(3, [replay, [...replay, ...RAM_ONLY]]) : [measure(3, replay), null];
  const median = recordRuns(label, runs);
  const peak = peakOf(runs.now);
  const met = median <= seconds && (peakMiB === undefined || (peak !== null && peak <= peakMiB));
  const target = `<= ${seconds} s${peakMiB === undefined ? '' : `, peak RSS <= ${peakMiB} MiB`}`;
  console.log(`  ${label}\n    ${secondsText(secondsSpread(runs.now))}, ${peakText(runs.now)} (target ${target}) — ${verdict(met)}`);
  if (ramOnly === null) continue;
  record(`${label}, RAM weigher alone`, ramOnly, medianSeconds, 's');
  const times = recordRatio(`${label}, default weighers times RAM weigher alone`, runs, ramOnly);
  console.log(
    `    RAM weigher alone: ${secondsText(secondsSpread(ramOnly.now))}, ${peakText(ramOnly.now)}; ` +
      `default weighers ${times.toFixed(2)}x RAM-only (target <= 1.5x) — ${verdict(times <= 1.5)}`,
  );
}

// The target's lines of issue 21: the sweep >= 1.8x one thread on 2 cores, peak RSS <= 1 GiB.
console.log('\nSweep of 4 values over the 1,000,000-request plan, median of 3 runs each (target: threads >= 1.8x faster than one, peak RSS <= 1 GiB):');
{
  const sweepArgs = ['sweep', scenarios[2].plan, '--vary', 'cpu_allocation_ratio=2:8:2', '-f', 'json'];
  const [oneThread, threads] = measureInTurn(3, [[...sweepArgs, '--jobs', '1'], sweepArgs]);
  record('sweep, one thread', oneThread, medianSeconds, 's');
  record('sweep, one thread per CPU', threads, medianSeconds, 's');
  const speedUp = recordRatio('sweep, threads faster than one', oneThread, threads, true);
  const peak = record('sweep, one thread per CPU, peak RSS', threads, peakOf, 'MiB');
  const met = speedUp >= 1.8 && peak !== null && peak <= 1024;
  console.log(`  one thread ${secondsText(secondsSpread(oneThread.now))}`);
  console.log(`  one per CPU ${secondsText(secondsSpread(threads.now))}, ${peakText(threads.now)}`);
  console.log(`  ${speedUp.toFixed(2)}x faster (target >= 1.8x), ${peakText(threads.now)} (target <= 1024 MiB) — ${verdict(met)}`);
}

// expand: how many hosts like cmp-00001 the 1,000-host cloud needs for a 100,000-request
// scheduled trace, against one replay of the same plan, both as processes; and failover
// --each host on the same plan, as a process.
console.log("\nexpand and failover over the 1,000-host cloud with a 100,000-request scheduled trace, as processes, median of 3 runs each (targets: expand within 3 replays' time; failover --each host <= 1 s):");
{
  const plan = writePlan('expand-100k', 1_000, syntheticTrace(100_000));
  const [replays, expands] = measureInTurn(3, [
    ['replay', plan, '-f', 'ndjson'],
    ['expand', plan, '--add', 'cmp-00001', '-f', 'json', '-o', join(workspace, 'expand.json')],
  ]);
  record('one replay of the 1,000-host, 100,000-request plan', replays, medianSeconds, 's');
  record('expand --add cmp-00001', expands, medianSeconds, 's');
  const replaysTime = recordRatio("expand --add cmp-00001, in replays' time", expands, replays);
  // The last run wrote expand.json: this checkout's when the previous code did not run.
  if (previousRoot !== null) claimplan(['expand', plan, '--add', 'cmp-00001', '-f', 'json', '-o', join(workspace, 'expand.json')]);
  const { summary } = JSON.parse(readFileSync(join(workspace, 'expand.json'), 'utf8')) as { summary: { hosts: number; method: string; replays: number } };
  console.log(`  one replay ${secondsText(secondsSpread(replays.now))}`);
  console.log(
    `  expand ${secondsText(secondsSpread(expands.now))} = ${replaysTime.toFixed(1)} replays' time ` +
      `(${summary.hosts} hosts, ${summary.method}, ${summary.replays} counts replayed, 2 threads), ${peakText(expands.now)} (target <= 3) — ${verdict(replaysTime <= 3)}`,
  );
  const failovers = measure(3, ['failover', plan, '--each', 'host', '-f', 'json']);
  const failover = record('failover --each host, as a process', failovers, medianSeconds, 's');
  console.log(`  failover --each host ${secondsText(secondsSpread(failovers.now))}, ${peakText(failovers.now)} (target <= 1 s) — ${verdict(failover <= 1)}`);
}

// forecast: the bundled example (200 runs) and the 1,000-host cloud after a 20,000-build
// trace with a year of history, 60 builds a day rising by half (200 runs, a thread per CPU).
console.log('\nforecast, 200 runs to a year ahead, as processes (targets: the bundled example <= 5 s; 1,000 hosts with a year of history <= 60 s on 2 cores):');
{
  const examples = measure(1, ['forecast', 'examples/small-cloud.yaml', '--history', 'examples/small-cloud-history.ndjson', '-f', 'json']);
  const example = record('forecast of the bundled example', examples, medianSeconds, 's');
  console.log(`  examples/small-cloud.yaml, its year of history: ${example.toFixed(2)} s (target <= 5 s) — ${verdict(example <= 5)}`);
  const plan = writePlan('forecast-1000', 1_000, firstBuilds(20_000));
  const history = join(workspace, 'forecast-history.ndjson');
  writeFileSync(history, `${[...syntheticHistory(60)].join('\n')}\n`);
  const larges = measure(1, ['forecast', plan, '--history', history, '-f', 'json']);
  const large = record('forecast of 1,000 hosts with a year of history', larges, medianSeconds, 's');
  console.log(`  1,000 hosts, 20,000 builds replayed, a year of history: ${large.toFixed(2)} s, ${peakText(larges.now)} (target <= 60 s) — ${verdict(large <= 60)}`);
}

// The engine alone, in a process of its own for each code (engine.ts): one of each in turn,
// three times, each figure the median of the three processes' (each the median of its 3 runs).
console.log('\nEngine alone (no start-up, no parsing), median of 3 processes of 3 runs each (fit: the fastest of 15 rounds):');
{
  const engineFigures = (root: string): EngineFigure[] => {
    const run = spawnSync(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./engine.ts', import.meta.url)), root], { encoding: 'utf8', maxBuffer: 2 ** 26 });
    if (run.status !== 0) throw new Error(`bench/engine.ts ${root} exited ${run.status}: ${run.stderr.slice(-2000)}`);
    return run.stdout.trim().split('\n').map((line) => JSON.parse(line) as EngineFigure);
  };
  const now: EngineFigure[][] = [];
  const was: EngineFigure[][] = [];
  let previousFailure: string | null = null;
  for (let round = 0; round < 3; round++) {
    now.push(engineFigures(CHECKOUT));
    if (previousRoot === null || previousFailure !== null) continue;
    try {
      was.push(engineFigures(previousRoot));
    } catch (error) {
      // Its code may no longer fit this bench's engine.ts (an engine call renamed since): its process figures still compare.
      previousFailure = (error as Error).message.split('\n')[0];
    }
  }
  /** Each figure from the process whose value is the median of the processes'. */
  const medians = (processes: EngineFigure[][]): EngineFigure[] =>
    processes[0].map(({ name }) => {
      const runs = processes.map((figures) => figures.find((figure) => figure.name === name)!).sort((a, b) => a.seconds - b.seconds);
      return runs[Math.floor(runs.length / 2)];
    });
  for (const { name, seconds, line } of medians(now)) {
    figures.record(name, seconds, 's');
    console.log(`  ${line}`);
  }
  if (was.length > 0 && previousFailure === null) for (const { name, seconds } of medians(was)) previousFigures.record(name, seconds, 's');
  if (previousFailure !== null) console.log(`  (the previous landing's engine alone could not run: ${previousFailure})`);
}

// Read before `--save` writes: a landing saves over the very file it is compared with.
const against = args.against ?? LANDED;
const landed = readSavedFigures(against);
if (args.save !== undefined) figures.save(args.save);

/** Prints each figure's comparison, and the verdict when `judged`: no figure more than 10 % worse. */
function printComparison(lines: string[], judged: boolean): void {
  for (const line of lines) console.log(`  ${line}`);
  if (!judged) return;
  const regressions = lines.filter((line) => line.endsWith('REGRESSES')).length;
  console.log(`  ${regressions === 0 ? 'no figure regresses' : `${regressions} figure${regressions === 1 ? '' : 's'} REGRESS`} — ${verdict(regressions === 0)}`);
}

if ('root' in previous) {
  console.log(`\nAgainst the previous landing's code (${previous.commit.slice(0, 12)}), run in turn with this one's (target: no figure more than 10 % worse):`);
  printComparison(figures.comparedWith(previousFigures.all()), true);
}
console.log(`\nAgainst the figures saved in ${against}${'root' in previous ? ', measured at another time, for the record' : ' (target: no figure more than 10 % worse)'}:`);
if (landed === null) console.log('  no figures saved there: `npm run bench -- --save FILE` at the previous landing writes them');
else printComparison(figures.comparedWith(landed), !('root' in previous));
