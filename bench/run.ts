// npm run bench: claimplan's speed on fixed synthetic clouds. Figures are printed, never
// asserted; each names the target it is read against (docs/contributing.md, "Benchmarks"),
// and is compared at the end with the previous landing's (bench/landed.json).
// `npm run bench -- --save FILE` also writes the figures as JSON; `--against FILE` compares
// with another landing's.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Failover } from '../src/engine/scenarios/failover.ts';
import { fitFlavor } from '../src/engine/scenarios/fit.ts';
import { CloudState } from '../src/engine/core/cloud-state.ts';
import type { Request } from '../src/engine/core/model.ts';
import { replay, SummaryCounter } from '../src/engine/core/replay.ts';
import { renderReplay } from '../src/report/replay.ts';
import { OUTPUT_FORMATS } from '../src/report/formats.ts';
import { Figures, readSavedFigures } from './figures.ts';
import { claimplan, runNode, secondsText, spread, type RunFigures, type Spread } from './processes.ts';
import { fullCloud, fullCloudTrace, namedHostTrace, planText, syntheticCloud, syntheticHistory, syntheticTrace, traceLine } from './synthetic-cloud.ts';

const { values: args } = parseArgs({ options: { save: { type: 'string' }, against: { type: 'string' } } });
const LANDED = fileURLToPath(new URL('./landed.json', import.meta.url));
const figures = new Figures();

const workspace = mkdtempSync(join(tmpdir(), 'claimplan-bench-'));
process.on('exit', () => rmSync(workspace, { recursive: true, force: true }));

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

function peaksOf(runs: RunFigures[]): number[] {
  return runs.flatMap((run) => (run.peakMiB === null ? [] : [run.peakMiB]));
}

/** The runs' peak RSS, like every figure the median of the runs (docs/contributing.md, "Benchmarks"). */
function peakOf(runs: RunFigures[]): number | null {
  const peaks = peaksOf(runs);
  return peaks.length === 0 ? null : spread(peaks).median;
}

function repeat(times: number, run: () => RunFigures): RunFigures[] {
  return Array.from({ length: times }, run);
}

/**
 * An in-process figure like a process's: the median of 3 runs of `run`, which gives back
 * its seconds and what its line prints beside them (the median run's).
 */
function medianRun<T>(run: () => { seconds: number; detail: T }): { seconds: number; detail: T } {
  const runs = Array.from({ length: 3 }, run).sort((a, b) => a.seconds - b.seconds);
  return runs[1];
}

function secondsSince(started: bigint): number {
  return Number(process.hrtime.bigint() - started) / 1e9;
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
const startup = { bare: [] as number[], version: [] as number[], replay: [] as number[] };
for (let run = 0; run < 10; run++) {
  startup.bare.push(runNode(['-e', '0']).seconds);
  startup.version.push(claimplan(['--version']).seconds);
  startup.replay.push(claimplan(['replay', 'examples/small-cloud.yaml']).seconds);
}
const bare = spread(startup.bare);
for (const [label, values] of [
  ['node -e 0', startup.bare],
  ['claimplan --version', startup.version],
  ['claimplan replay examples/small-cloud.yaml', startup.replay],
] as const) {
  const measured = spread(values);
  const times = measured.median / bare.median;
  figures.record(`start-up: ${label}`, measured.median, 's');
  if (values !== startup.bare) figures.record(`start-up: ${label}, times bare node`, times, 'x');
  console.log(`  ${label.padEnd(44)} ${secondsText(measured)} (${times.toFixed(2)}x bare)${values === startup.bare ? '' : ` — ${verdict(times <= 2)}`}`);
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
  const runs = repeat(3, () => claimplan(['replay', plan, '-f', 'ndjson']));
  const median = figures.record(label, medianSeconds(runs), 's');
  const peak = peakOf(runs);
  if (peak !== null) figures.record(`${label}, peak RSS`, peak, 'MiB');
  const met = median <= seconds && (peakMiB === undefined || (peak !== null && peak <= peakMiB));
  const target = `<= ${seconds} s${peakMiB === undefined ? '' : `, peak RSS <= ${peakMiB} MiB`}`;
  console.log(`  ${label}\n    ${secondsText(secondsSpread(runs))}, ${peakText(runs)} (target ${target}) — ${verdict(met)}`);
  if (!weighed) continue;
  const ramOnly = repeat(3, () => claimplan(['replay', plan, '-f', 'ndjson', ...RAM_ONLY]));
  const ramMedian = medianSeconds(ramOnly);
  figures.record(`${label}, RAM weigher alone`, ramMedian, 's');
  figures.record(`${label}, default weighers times RAM weigher alone`, median / ramMedian, 'x');
  console.log(
    `    RAM weigher alone: ${secondsText(secondsSpread(ramOnly))}, ${peakText(ramOnly)}; ` +
      `default weighers ${(median / ramMedian).toFixed(2)}x RAM-only (target <= 1.5x) — ${verdict(median / ramMedian <= 1.5)}`,
  );
}

// The target's lines of issue 21: the sweep >= 1.8x one thread on 2 cores, peak RSS <= 1 GiB.
console.log('\nSweep of 4 values over the 1,000,000-request plan, median of 3 runs each (target: threads >= 1.8x faster than one, peak RSS <= 1 GiB):');
{
  const sweepPlan = scenarios[2].plan;
  const sweepArgs = ['sweep', sweepPlan, '--vary', 'cpu_allocation_ratio=2:8:2', '-f', 'json'];
  const oneThread: RunFigures[] = [];
  const threads: RunFigures[] = [];
  for (let run = 0; run < 3; run++) {
    oneThread.push(claimplan([...sweepArgs, '--jobs', '1']));
    threads.push(claimplan(sweepArgs));
  }
  const one = figures.record('sweep, one thread', medianSeconds(oneThread), 's');
  const many = figures.record('sweep, one thread per CPU', medianSeconds(threads), 's');
  const speedUp = figures.record('sweep, threads faster than one', one / many, 'x', true);
  const peak = peakOf(threads);
  if (peak !== null) figures.record('sweep, one thread per CPU, peak RSS', peak, 'MiB');
  const met = speedUp >= 1.8 && peak !== null && peak <= 1024;
  console.log(`  one thread ${secondsText(secondsSpread(oneThread))}`);
  console.log(`  one per CPU ${secondsText(secondsSpread(threads))}, ${peakText(threads)}`);
  console.log(`  ${speedUp.toFixed(2)}x faster (target >= 1.8x), ${peakText(threads)} (target <= 1024 MiB) — ${verdict(met)}`);
}

// expand: how many hosts like cmp-00001 the 1,000-host cloud needs for a 100,000-request
// scheduled trace, against one replay of the same plan, both as processes; and failover
// --each host on the same plan, as a process.
console.log("\nexpand and failover over the 1,000-host cloud with a 100,000-request scheduled trace, as processes, median of 3 runs each (targets: expand within 3 replays' time; failover --each host <= 1 s):");
{
  const plan = writePlan('expand-100k', 1_000, syntheticTrace(100_000));
  const replays: RunFigures[] = [];
  const expands: RunFigures[] = [];
  for (let run = 0; run < 3; run++) {
    replays.push(claimplan(['replay', plan, '-f', 'ndjson']));
    expands.push(claimplan(['expand', plan, '--add', 'cmp-00001', '-f', 'json', '-o', join(workspace, 'expand.json')]));
  }
  const oneReplay = figures.record('one replay of the 1,000-host, 100,000-request plan', medianSeconds(replays), 's');
  const expand = figures.record('expand --add cmp-00001', medianSeconds(expands), 's');
  const replaysTime = figures.record("expand --add cmp-00001, in replays' time", expand / oneReplay, 'x');
  const { summary } = JSON.parse(readFileSync(join(workspace, 'expand.json'), 'utf8')) as { summary: { hosts: number; method: string; replays: number } };
  console.log(`  one replay ${secondsText(secondsSpread(replays))}`);
  console.log(
    `  expand ${secondsText(secondsSpread(expands))} = ${replaysTime.toFixed(1)} replays' time ` +
      `(${summary.hosts} hosts, ${summary.method}, ${summary.replays} counts replayed, 2 threads), ${peakText(expands)} (target <= 3) — ${verdict(replaysTime <= 3)}`,
  );
  const failovers = repeat(3, () => claimplan(['failover', plan, '--each', 'host', '-f', 'json']));
  const failover = figures.record('failover --each host, as a process', medianSeconds(failovers), 's');
  console.log(`  failover --each host ${secondsText(secondsSpread(failovers))}, ${peakText(failovers)} (target <= 1 s) — ${verdict(failover <= 1)}`);
}

// forecast: the bundled example (200 runs) and the 1,000-host cloud after a 20,000-build
// trace with a year of history, 60 builds a day rising by half (200 runs, a thread per CPU).
console.log('\nforecast, 200 runs to a year ahead, as processes (targets: the bundled example <= 5 s; 1,000 hosts with a year of history <= 60 s on 2 cores):');
{
  const example = claimplan(['forecast', 'examples/small-cloud.yaml', '--history', 'examples/small-cloud-history.ndjson', '-f', 'json']);
  figures.record('forecast of the bundled example', example.seconds, 's');
  console.log(`  examples/small-cloud.yaml, its year of history: ${example.seconds.toFixed(2)} s (target <= 5 s) — ${verdict(example.seconds <= 5)}`);
  const plan = writePlan('forecast-1000', 1_000, firstBuilds(20_000));
  const history = join(workspace, 'forecast-history.ndjson');
  writeFileSync(history, `${[...syntheticHistory(60)].join('\n')}\n`);
  const large = claimplan(['forecast', plan, '--history', history, '-f', 'json']);
  figures.record('forecast of 1,000 hosts with a year of history', large.seconds, 's');
  console.log(`  1,000 hosts, 20,000 builds replayed, a year of history: ${large.seconds.toFixed(2)} s, ${peakText([large])} (target <= 60 s) — ${verdict(large.seconds <= 60)}`);
}

console.log('\nEngine alone (no start-up, no parsing), median of 3 runs each:');
for (const { hosts, requests } of [
  { hosts: 1_000, requests: 100_000 },
  { hosts: 10_000, requests: 100_000 },
  { hosts: 1_000, requests: 1_000_000 },
]) {
  const measured = medianRun(() => {
    const started = process.hrtime.bigint();
    const state = CloudState.start(syntheticCloud(hosts));
    const counter = new SummaryCounter();
    for (const _decision of replay(state, syntheticTrace(requests), { audit: false, explain: false }, counter));
    return { seconds: secondsSince(started), detail: counter.summary };
  });
  const seconds = figures.record(`engine alone, ${hosts} hosts, ${requests} requests`, measured.seconds, 's');
  const { claimed, rejected, released } = measured.detail;
  console.log(
    `  ${hosts} hosts, ${requests} requests: ${seconds.toFixed(2)} s (${((seconds / requests) * 1e6).toFixed(1)} µs/request; ` +
      `claimed ${claimed}, rejected ${rejected}, released ${released})`,
  );
}

// Rendering: the same 100,000 decisions through each format into a discarding writer.
const renderCloud = syntheticCloud(1_000);
for (const format of OUTPUT_FORMATS) {
  const { seconds: median, detail: bytes } = medianRun(() => {
    const state = CloudState.start(renderCloud);
    const counter = new SummaryCounter();
    let written = 0;
    const started = process.hrtime.bigint();
    renderReplay(
      { decisions: replay(state, syntheticTrace(100_000), { audit: false, explain: false }, counter), hosts: () => state.hostUsages(), summary: () => counter.summary },
      format,
      (chunk) => (written += chunk.length),
      { color: false },
    );
    return { seconds: secondsSince(started), detail: written };
  });
  const seconds = figures.record(`engine alone, replay + render ${format}`, median, 's');
  console.log(`  replay + render ${format}, 1000 hosts, 100000 requests: ${seconds.toFixed(2)} s (${(bytes / 2 ** 20).toFixed(0)} MiB of output)`);
}

// fit: every flavor over every host of a 10,000-host cloud after a 100,000-request replay,
// the fastest of 15 rounds: one count takes some 25 ms, which a collection of garbage in
// the middle of it can stretch by half, in a single run or a median of five alike.
const fitState = CloudState.start(syntheticCloud(10_000));
for (const _decision of replay(fitState, syntheticTrace(100_000), { audit: false, explain: false }));
const FIT_ROUNDS = 15;
for (const { name } of fitState.cloud.flavors) {
  const rounds: number[] = [];
  let total: number | null = null;
  for (let round = 0; round < FIT_ROUNDS; round++) {
    const started = process.hrtime.bigint();
    total = fitFlavor(fitState, name, fitState.hostNames()).total;
    rounds.push(secondsSince(started));
  }
  const ms = figures.record(`engine alone, fit ${name} over 10000 hosts`, spread(rounds).min, 's') * 1e3;
  console.log(`  fit ${name} over 10000 hosts: ${ms.toFixed(0)} ms, the fastest of ${FIT_ROUNDS} (${total} more fit)`);
}

// failover --each host: every host of a 1,000-host cloud lost in turn after a 100,000-request replay.
const failoverState = CloudState.start(syntheticCloud(1_000));
for (const _decision of replay(failoverState, syntheticTrace(100_000), { audit: false, explain: false }));
{
  // Each scenario is a trial that leaves the replayed state as it found it, so the runs start alike.
  const { seconds: median, detail: scenarios } = medianRun(() => {
    const started = process.hrtime.bigint();
    const each = new Failover(failoverState).each(failoverState.hostNames().map((host) => [host]));
    return { seconds: secondsSince(started), detail: each };
  });
  const seconds = figures.record('engine alone, failover --each host over 1000 hosts', median, 's');
  const stranding = scenarios.filter((scenario) => scenario.stranded.length > 0).length;
  console.log(`  failover --each host over 1000 hosts: ${seconds.toFixed(2)} s (${stranding} of ${scenarios.length} scenarios strand an instance; as a process, above)`);
}

// Read before `--save` writes: a landing saves over the very file it is compared with.
const against = args.against ?? LANDED;
const landed = readSavedFigures(against);
if (args.save !== undefined) figures.save(args.save);
console.log(`\nAgainst the previous landing (${against}; target: no figure more than 10 % worse):`);
if (landed === null) {
  console.log('  no figures saved there: `npm run bench -- --save FILE` at the previous landing writes them');
} else {
  const lines = figures.comparedWith(landed);
  for (const line of lines) console.log(`  ${line}`);
  const regressions = lines.filter((line) => line.endsWith('REGRESSES')).length;
  console.log(`  ${regressions === 0 ? 'no figure regresses' : `${regressions} figure${regressions === 1 ? '' : 's'} REGRESS`} — ${verdict(regressions === 0)}`);
}
