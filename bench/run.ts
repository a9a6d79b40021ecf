// npm run bench: replay speed on fixed synthetic clouds. Figures are printed, never asserted.
import { fitFlavor } from '../src/engine/fit.ts';
import { CloudState } from '../src/engine/cloud-state.ts';
import { replay, SummaryCounter } from '../src/engine/replay.ts';
import { OUTPUT_FORMATS, renderReplay } from '../src/report/index.ts';
import { syntheticCloud, syntheticTrace } from './synthetic-cloud.ts';

const SCENARIOS = [
  { hosts: 1_000, requests: 100_000 },
  { hosts: 10_000, requests: 100_000 },
  { hosts: 1_000, requests: 1_000_000 },
];

for (const { hosts, requests } of SCENARIOS) {
  const cloud = syntheticCloud(hosts);
  const started = process.hrtime.bigint();
  const state = CloudState.start(cloud);
  const counter = new SummaryCounter();
  for (const _decision of replay(state, syntheticTrace(requests), { audit: false, explain: false }, counter));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const { claimed, rejected, released } = counter.summary;
  const perRequest = (seconds / requests) * 1e6;
  console.log(
    `${hosts} hosts, ${requests} requests: ${seconds.toFixed(2)} s ` +
      `(${perRequest.toFixed(1)} µs/request; claimed ${claimed}, rejected ${rejected}, released ${released}; ` +
      `heap ${(process.memoryUsage().heapUsed / 2 ** 20).toFixed(0)} MiB)`,
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
  console.log(`replay + render ${format}, 1000 hosts, 100000 requests: ${seconds.toFixed(2)} s (${(bytes / 2 ** 20).toFixed(0)} MiB of output)`);
}

// fit: every flavor over every host of a 10,000-host cloud after a 100,000-request replay.
const fitState = CloudState.start(syntheticCloud(10_000));
for (const _decision of replay(fitState, syntheticTrace(100_000), { audit: false, explain: false }));
for (const { name } of fitState.cloud.flavors) {
  const started = process.hrtime.bigint();
  const fit = fitFlavor(fitState, name, fitState.hostNames());
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  console.log(`fit ${name} over 10000 hosts: ${ms.toFixed(0)} ms (${fit.total} more fit)`);
}
