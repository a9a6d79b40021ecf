// `forecast --add SKU` (docs/semantics.md, "Forecast"): the fewest hosts of a SKU with which
// every build an added host could take stays claimed to the horizon at P90 — at most a tenth
// of the runs refuse one. The count is searched as `expand` searches (expand/search.ts):
// doubling from none, then bisecting, each count tried being the plan's replay with that
// many hosts added, then the forecast's runs from there.
import { CloudState } from '../../core/cloud-state.ts';
import { CountSearch, type SearchMethod } from '../expand/search.ts';
import { cloudWithAdded, SkuProbe, type Asked, type Sku } from '../expand/sku.ts';
import type { Cloud, Request } from '../../core/model.ts';
import { replay } from '../../core/replay.ts';
import { forecastRuns, forecastStart, type ForecastOptions } from './forecast.ts';
import type { ForecastStart, RunOutcome } from './forecast-run.ts';
import type { HistoryModel } from './history-model.ts';
import { arrivalRate } from './trend.ts';

/** A forecast's builds name no aggregate, zone, project or image, and boot from local disk. */
const ANYWHERE: Asked = { aggregate: null, bootFromVolume: false, availability_zone: null, project: null, image: null };

const QUIET = { audit: false, explain: false };

/**
 * How many of `runs` runs may refuse a build at the count found: P90 means one in ten, as
 * the nearest-rank P10 of the runways (forecast.ts) stays beyond the horizon while fewer
 * than ⌈runs / 10⌉ runs refuse one.
 */
export function refusingRunsAllowed(runs: number): number {
  return Math.ceil(runs / 10) - 1;
}

export interface AddedHosts {
  sku: string;
  /** null when even the upper bound left builds refused */
  count: number | null;
  method: SearchMethod;
  /** flavors an empty host of the SKU refuses, which no count can help and the target leaves out */
  beyond: string[];
}

/**
 * Where the search stops doubling: enough hosts, by arithmetic, for the builds expected to
 * the horizon with three standard deviations of their Poisson noise, were none ever to
 * leave, each taking its share of an empty host (1 for a NUMA or PCI flavor).
 */
function upperBound(model: HistoryModel, horizon: number, probe: SkuProbe, helped: readonly number[]): number {
  let hosts = 0;
  for (const index of helped) {
    const flavor = model.flavors[index];
    let expected = 0;
    for (let day = 1; day <= horizon; day++) expected += arrivalRate(flavor.trend, day);
    hosts += (expected + 3 * Math.sqrt(expected)) * probe.fits(flavor.flavor, ANYWHERE)[0].weight;
  }
  return Math.ceil(hosts) + 1;
}

/**
 * The plan's state after its requests — with `count` hosts of the SKU added after its own,
 * when there is one — where the runs start.
 */
export function startWithAdded(cloud: Cloud, requests: Iterable<Request>, sku: Sku | null, count: number, model: HistoryModel): ForecastStart {
  const state = CloudState.start(sku === null ? cloud : cloudWithAdded(cloud, [sku], [count], 'last'));
  for (const _decision of replay(state, requests, QUIET));
  return forecastStart(state, model);
}

/**
 * The search over counts of one SKU, as a state machine the command drives (it runs each
 * count's runs, on threads when it likes): which count to try next, and, told each count's
 * runs, whether at most one in ten refused a build an added host could take.
 */
export class AddedHostsSearch {
  private readonly search: CountSearch;
  /** the model's flavors an empty host of the SKU takes, by index */
  private readonly helped: number[] = [];
  private readonly beyond: string[] = [];

  constructor(
    cloud: Cloud,
    private readonly sku: Sku,
    model: HistoryModel,
    horizon: number,
    /** the most hosts the plan may gain (docs/limits.md): the search stays within them */
    most = Infinity,
  ) {
    const probe = new SkuProbe(cloud, [sku]);
    model.flavors.forEach((flavor, index) => {
      if (probe.fits(flavor.flavor, ANYWHERE)[0].takes) this.helped.push(index);
      else this.beyond.push(flavor.flavor);
    });
    this.search = new CountSearch(0, Math.min(most, upperBound(model, horizon, probe, this.helped)));
  }

  next(): number | null {
    return this.search.next();
  }

  /** The flavors whose first refusal ends a run of the search: those an added host could take. */
  get stopAt(): ReadonlySet<number> {
    return new Set(this.helped);
  }

  /** Runs among `outcomes` that refused a build an added host could take. */
  refusingRuns(outcomes: readonly RunOutcome[]): number {
    return outcomes.filter((outcome) => this.helped.some((index) => outcome.refusals[index] !== null)).length;
  }

  /** Whether the count meets the target, told its runs: all of them, or enough that refused to know it does not. */
  record(count: number, outcomes: readonly RunOutcome[], runs: number): void {
    this.search.record(count, outcomes.length === runs && this.refusingRuns(outcomes) <= refusingRunsAllowed(runs));
  }

  result(): AddedHosts {
    return { sku: this.sku.name, ...this.search.result(), beyond: this.beyond };
  }
}

/** The search with every count's runs in this thread. */
export function hostsToAdd(cloud: Cloud, requests: () => Iterable<Request>, sku: Sku, model: HistoryModel, options: ForecastOptions): AddedHosts {
  const search = new AddedHostsSearch(cloud, sku, model, options.horizon);
  for (let count = search.next(); count !== null; count = search.next()) {
    search.record(count, forecastRuns(startWithAdded(cloud, requests(), sku, count, model), model, options, 0, options.runs, search.stopAt), options.runs);
  }
  return search.result();
}
