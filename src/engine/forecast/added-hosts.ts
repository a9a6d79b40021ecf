// `forecast --add SKU` (docs/semantics.md, "Forecast"): the fewest hosts of a SKU with which
// every build an added host could take stays claimed to the horizon at P90 — at most a tenth
// of the runs refuse one. The count is searched as `expand` searches (expand/search.ts):
// doubling from none, then bisecting, each count tried being the plan's replay with that
// many hosts added, then the forecast's runs from there.
import { CloudState } from '../cloud-state.ts';
import { CountSearch, type SearchMethod } from '../expand/search.ts';
import { cloudWithAdded, SkuProbe, type Sku } from '../expand/sku.ts';
import type { Cloud, Request } from '../model.ts';
import { replay } from '../replay.ts';
import { forecastRuns, forecastStart, nearestRank, type ForecastOptions } from './forecast.ts';
import type { HistoryModel } from './history-model.ts';
import { arrivalRate } from './trend.ts';

const QUIET = { audit: false, explain: false };

/** The share of runs that may refuse a build at the count found: P90 means one in ten. */
const REFUSING_RUNS_ALLOWED = 0.1;

export interface AddedHosts {
  sku: string;
  /** null when even the upper bound left builds refused */
  count: number | null;
  method: SearchMethod;
  /** flavors an empty host of the SKU refuses, which no count can help and the target leaves out */
  beyond: string[];
}

/**
 * Past this many hosts every build surely finds one: as many as the builds expected to the
 * horizon, with three standard deviations of their Poisson noise, would fill if none ever
 * left, each taking its share of an empty host (1 for a NUMA or PCI flavor).
 */
function upperBound(model: HistoryModel, horizon: number, probe: SkuProbe, helped: readonly number[]): number {
  let hosts = 0;
  for (const index of helped) {
    const flavor = model.flavors[index];
    let expected = 0;
    for (let day = 1; day <= horizon; day++) expected += arrivalRate(flavor.trend, day);
    hosts += (expected + 3 * Math.sqrt(expected)) * probe.fits(flavor.flavor, null, false)[0].weight;
  }
  return Math.ceil(hosts) + 1;
}

/** Whether, with `count` hosts added, at most one run in ten refuses a build of the helped flavors. */
function meetsAt(cloud: Cloud, requests: () => Iterable<Request>, sku: Sku, count: number, model: HistoryModel, options: ForecastOptions, helped: readonly number[]): boolean {
  const state = CloudState.start(cloudWithAdded(cloud, [sku], [count], 'last'));
  for (const _decision of replay(state, requests(), QUIET));
  const outcomes = forecastRuns(forecastStart(state, model), model, options, 0, options.runs);
  const firstDays = outcomes.map((outcome) => Math.min(Infinity, ...helped.map((index) => outcome.refusals[index]?.day ?? Infinity))).sort((a, b) => a - b);
  return !Number.isFinite(nearestRank(firstDays, REFUSING_RUNS_ALLOWED));
}

export function hostsToAdd(cloud: Cloud, requests: () => Iterable<Request>, sku: Sku, model: HistoryModel, options: ForecastOptions): AddedHosts {
  const probe = new SkuProbe(cloud, [sku]);
  const helped: number[] = [];
  const beyond: string[] = [];
  model.flavors.forEach((flavor, index) => {
    if (probe.fits(flavor.flavor, null, false)[0].takes) helped.push(index);
    else beyond.push(flavor.flavor);
  });
  const search = new CountSearch(0, upperBound(model, options.horizon, probe, helped));
  for (let count = search.next(); count !== null; count = search.next()) search.record(count, meetsAt(cloud, requests, sku, count, model, options, helped));
  return { sku: sku.name, ...search.result(), beyond };
}
