// npm run bench: claimplan's speed on fixed synthetic clouds. Figures are printed, never
// asserted; each names the target it is read against (docs/contributing.md, "Benchmarks").
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Failover } from '../src/engine/scenarios/failover.ts';
import { fitFlavor } from '../src/engine/scenarios/fit.ts';
import { CloudState } from '../src/engine/core/cloud-state.ts';
import type { Request } from '../src/engine/core/model.ts';
import { replay, SummaryCounter } from '../src/engine/core/replay.ts';
import { renderReplay } from '../src/report/replay.ts';
import { OUTPUT_FORMATS } from '../src/report/formats.ts';
import { claimplan, runNode, secondsText, spread, type RunFigures } from './processes.ts';
import { fullCloud, fullCloudTrace, namedHostTrace, planText, syntheticCloud, syntheticHistory, syntheticTrace, traceLine } from './synthetic-cloud.ts';

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

function peakOf(runs: RunFigures[]): number | null {
  const peaks = runs.flatMap((run) => (run.peakMiB === null ? [] : [run.peakMiB]));
  return peaks.length === 0 ? null : Math.max(...peaks);
}

function repeat(times: number, run: () => RunFigures): RunFigures[] {
  return Array.from({ length: times }, run);
}

function peakText(runs: RunFigures[]): string {
  const peak = peakOf(runs);
  return peak === null ? 'peak RSS not measured (no /usr/bin/time)' : `peak RSS ${peak.toFixed(0)} MiB`;
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
  const figures = spread(values);
  const times = figures.median / bare.median;
  console.log(`  ${label.padEnd(44)} ${secondsText(figures)} (${times.toFixed(2)}x bare)${values === startup.bare ? '' : ` — ${verdict(times <= 2)}`}`);
}

console.log('\nThroughput, end to end as processes, `-f ndjson` to /dev/null, 3 runs each:');
const scenarios = [
  {
    label: '100,000 requests (70% builds on named hosts, 30% deletes), 1,000 hosts, NDJSON trace',
    seconds: 0.6,
    plan: writePlan('named-100k', 1_000, namedHostTrace(100_000, 1_000)),
  },
  { label: '10,000 scheduler-chosen builds, 1,000 hosts', seconds: 1.2, plan: writePlan('scheduled-10k', 1_000, firstBuilds(10_000)), weighed: true },
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
  const median = spread(runs.map((run) => run.seconds)).median;
  const peak = peakOf(runs);
  const met = median <= seconds && (peakMiB === undefined || (peak !== null && peak <= peakMiB));
  const target = `<= ${seconds} s${peakMiB === undefined ? '' : `, peak RSS <= ${peakMiB} MiB`}`;
  console.log(`  ${label}\n    ${secondsText(spread(runs.map((run) => run.seconds)))}, ${peakText(runs)} (target ${target}) — ${verdict(met)}`);
  if (!weighed) continue;
  const ramOnly = repeat(3, () => claimplan(['replay', plan, '-f', 'ndjson', ...RAM_ONLY]));
  const ramMedian = spread(ramOnly.map((run) => run.seconds)).median;
  console.log(
    `    RAM weigher alone: ${secondsText(spread(ramOnly.map((run) => run.seconds)))}, ${peakText(ramOnly)}; ` +
      `default weighers ${(median / ramMedian).toFixed(2)}x RAM-only (target <= 1.5x) — ${verdict(median / ramMedian <= 1.5)}`,
  );
}

console.log('\nSweep of 4 values over the 1,000,000-request plan (target: threads >= 1.7x faster on 2 cores):');
const sweepPlan = scenarios[2].plan;
const sweepArgs = ['sweep', sweepPlan, '--vary', 'cpu_allocation_ratio=2:8:2', '-f', 'json'];
const oneThread = claimplan([...sweepArgs, '--jobs', '1']);
const threads = claimplan(sweepArgs);
console.log(
  `  one thread ${oneThread.seconds.toFixed(2)} s; one per CPU ${threads.seconds.toFixed(2)} s (${(oneThread.seconds / threads.seconds).toFixed(2)}x), ${peakText([threads])} — ${verdict(oneThread.seconds / threads.seconds >= 1.7)}`,
);

// expand: how many hosts like cmp-00001 the 1,000-host cloud needs for a 100,000-request
// scheduled trace, against one replay of the same plan, both as processes.
console.log('\nexpand over the 1,000-host cloud with a 100,000-request scheduled trace (target: within 10 replays\' time):');
{
  const plan = writePlan('expand-100k', 1_000, syntheticTrace(100_000));
  const oneReplay = spread(repeat(3, () => claimplan(['replay', plan, '-f', 'ndjson'])).map((run) => run.seconds)).median;
  const expand = claimplan(['expand', plan, '--add', 'cmp-00001', '-f', 'json', '-o', join(workspace, 'expand.json')]);
  const { summary } = JSON.parse(readFileSync(join(workspace, 'expand.json'), 'utf8')) as { summary: { hosts: number; method: string; replays: number } };
  console.log(
    `  one replay ${oneReplay.toFixed(2)} s; expand ${expand.seconds.toFixed(2)} s = ${(expand.seconds / oneReplay).toFixed(1)} replays' time ` +
      `(${summary.hosts} hosts, ${summary.method}, ${summary.replays} counts replayed, 2 threads), ${peakText([expand])} — ${verdict(expand.seconds / oneReplay <= 10)}`,
  );
}

// forecast: the bundled example (200 runs) and the 1,000-host cloud after a 20,000-build
// trace with a year of history, 60 builds a day rising by half (200 runs, a thread per CPU).
console.log('\nforecast, 200 runs to a year ahead, as processes (targets: the bundled example <= 5 s; 1,000 hosts with a year of history <= 60 s on 2 cores):');
{
  const example = claimplan(['forecast', 'examples/small-cloud.yaml', '--history', 'examples/small-cloud-history.ndjson', '-f', 'json']);
  console.log(`  examples/small-cloud.yaml, its year of history: ${example.seconds.toFixed(2)} s (target <= 5 s) — ${verdict(example.seconds <= 5)}`);
  const plan = writePlan('forecast-1000', 1_000, firstBuilds(20_000));
  const history = join(workspace, 'forecast-history.ndjson');
  writeFileSync(history, `${[...syntheticHistory(60)].join('\n')}\n`);
  const large = claimplan(['forecast', plan, '--history', history, '-f', 'json']);
  console.log(`  1,000 hosts, 20,000 builds replayed, a year of history: ${large.seconds.toFixed(2)} s, ${peakText([large])} (target <= 60 s) — ${verdict(large.seconds <= 60)}`);
}

console.log('\nEngine alone (no start-up, no parsing):');
for (const { hosts, requests } of [
  { hosts: 1_000, requests: 100_000 },
  { hosts: 10_000, requests: 100_000 },
  { hosts: 1_000, requests: 1_000_000 },
]) {
  const started = process.hrtime.bigint();
  const state = CloudState.start(syntheticCloud(hosts));
  const counter = new SummaryCounter();
  for (const _decision of replay(state, syntheticTrace(requests), { audit: false, explain: false }, counter));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const { claimed, rejected, released } = counter.summary;
  console.log(
    `  ${hosts} hosts, ${requests} requests: ${seconds.toFixed(2)} s (${((seconds / requests) * 1e6).toFixed(1)} µs/request; ` +
      `claimed ${claimed}, rejected ${rejected}, released ${released})`,
  );
}

// Rendering: the same 100,000 decisions through each format into a discarding writer.
const renderCloud = syntheticCloud(1_000);
for (const format of OUTPUT_FORMATS) {
  const state = CloudState.start(renderCloud);
  const counter = new SummaryCounter();
  let bytes = 0;
  const started = process.hrtime.bigint();
  renderReplay(
    { decisions: replay(state, syntheticTrace(100_000), { audit: false, explain: false }, counter), hosts: () => state.hostUsages(), summary: () => counter.summary },
    format,
    (chunk) => (bytes += chunk.length),
    { color: false },
  );
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  console.log(`  replay + render ${format}, 1000 hosts, 100000 requests: ${seconds.toFixed(2)} s (${(bytes / 2 ** 20).toFixed(0)} MiB of output)`);
}

// fit: every flavor over every host of a 10,000-host cloud after a 100,000-request replay.
const fitState = CloudState.start(syntheticCloud(10_000));
for (const _decision of replay(fitState, syntheticTrace(100_000), { audit: false, explain: false }));
for (const { name } of fitState.cloud.flavors) {
  const started = process.hrtime.bigint();
  const fit = fitFlavor(fitState, name, fitState.hostNames());
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  console.log(`  fit ${name} over 10000 hosts: ${ms.toFixed(0)} ms (${fit.total} more fit)`);
}

// failover --each host: every host of a 1,000-host cloud lost in turn after a 100,000-request replay.
const failoverState = CloudState.start(syntheticCloud(1_000));
for (const _decision of replay(failoverState, syntheticTrace(100_000), { audit: false, explain: false }));
{
  const started = process.hrtime.bigint();
  const scenarios = new Failover(failoverState).each(failoverState.hostNames().map((host) => [host]));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const stranding = scenarios.filter((scenario) => scenario.stranded.length > 0).length;
  console.log(`  failover --each host over 1000 hosts: ${seconds.toFixed(2)} s (${stranding} of ${scenarios.length} scenarios strand an instance)`);
}
