// node --import tsx bench/engine.ts ROOT: the engine alone, no start-up and no parsing, of the
// code checked out at ROOT (this checkout's, or the previous landing's built beside it), on
// this bench's synthetic clouds. bench/run.ts starts it once for each and reads one JSON
// line per figure: its name, its seconds and what its printed line says beside them.
import type * as CloudStateModule from '../src/engine/core/cloud-state.ts';
import type * as FailoverModule from '../src/engine/scenarios/failover.ts';
import type * as FitModule from '../src/engine/scenarios/fit.ts';
import type * as FormatsModule from '../src/report/formats.ts';
import type * as RenderModule from '../src/report/replay.ts';
import type * as ReplayModule from '../src/engine/core/replay.ts';
import { spread } from './processes.ts';
import { syntheticCloud, syntheticTrace } from './synthetic-cloud.ts';

export interface EngineFigure {
  name: string;
  seconds: number;
  /** the line the bench prints, with the seconds already in it */
  line: string;
}

const root = process.argv[2];
const { CloudState } = (await import(`${root}/src/engine/core/cloud-state.ts`)) as typeof CloudStateModule;
const { replay, SummaryCounter } = (await import(`${root}/src/engine/core/replay.ts`)) as typeof ReplayModule;
const { renderReplay } = (await import(`${root}/src/report/replay.ts`)) as typeof RenderModule;
const { OUTPUT_FORMATS } = (await import(`${root}/src/report/formats.ts`)) as typeof FormatsModule;
const { fitFlavor } = (await import(`${root}/src/engine/scenarios/fit.ts`)) as typeof FitModule;
const { Failover } = (await import(`${root}/src/engine/scenarios/failover.ts`)) as typeof FailoverModule;

function report(name: string, seconds: number, line: string): void {
  const figure: EngineFigure = { name, seconds, line };
  console.log(JSON.stringify(figure));
}

/** The median of 3 runs of `run`, which gives back its seconds and what its line prints beside them (the median run's). */
function medianRun<T>(run: () => { seconds: number; detail: T }): { seconds: number; detail: T } {
  const runs = Array.from({ length: 3 }, run).sort((a, b) => a.seconds - b.seconds);
  return runs[1];
}

function secondsSince(started: bigint): number {
  return Number(process.hrtime.bigint() - started) / 1e9;
}

for (const { hosts, requests } of [
  { hosts: 1_000, requests: 100_000 },
  { hosts: 10_000, requests: 100_000 },
  { hosts: 1_000, requests: 1_000_000 },
]) {
  const { seconds, detail } = medianRun(() => {
    const started = process.hrtime.bigint();
    const state = CloudState.start(syntheticCloud(hosts));
    const counter = new SummaryCounter();
    for (const _decision of replay(state, syntheticTrace(requests), { audit: false, explain: false }, counter));
    return { seconds: secondsSince(started), detail: counter.summary };
  });
  const { claimed, rejected, released } = detail;
  report(
    `engine alone, ${hosts} hosts, ${requests} requests`,
    seconds,
    `${hosts} hosts, ${requests} requests: ${seconds.toFixed(2)} s (${((seconds / requests) * 1e6).toFixed(1)} µs/request; claimed ${claimed}, rejected ${rejected}, released ${released})`,
  );
}

// Rendering: the same 100,000 decisions through each format into a discarding writer.
const renderCloud = syntheticCloud(1_000);
for (const format of OUTPUT_FORMATS) {
  const { seconds, detail: bytes } = medianRun(() => {
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
  report(`engine alone, replay + render ${format}`, seconds, `replay + render ${format}, 1000 hosts, 100000 requests: ${seconds.toFixed(2)} s (${(bytes / 2 ** 20).toFixed(0)} MiB of output)`);
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
  const seconds = spread(rounds).min;
  report(`engine alone, fit ${name} over 10000 hosts`, seconds, `fit ${name} over 10000 hosts: ${(seconds * 1e3).toFixed(0)} ms, the fastest of ${FIT_ROUNDS} (${total} more fit)`);
}

// failover --each host: every host of a 1,000-host cloud lost in turn after a 100,000-request replay.
const failoverState = CloudState.start(syntheticCloud(1_000));
for (const _decision of replay(failoverState, syntheticTrace(100_000), { audit: false, explain: false }));
{
  // Each scenario is a trial that leaves the replayed state as it found it, so the runs start alike.
  const { seconds, detail: scenarios } = medianRun(() => {
    const started = process.hrtime.bigint();
    const each = new Failover(failoverState).each(failoverState.hostNames().map((host) => [host]));
    return { seconds: secondsSince(started), detail: each };
  });
  const stranding = scenarios.filter((scenario) => scenario.stranded.length > 0).length;
  report(
    'engine alone, failover --each host over 1000 hosts',
    seconds,
    `failover --each host over 1000 hosts: ${seconds.toFixed(2)} s (${stranding} of ${scenarios.length} scenarios strand an instance; as a process, above)`,
  );
}
