// `claimplan forecast` (docs/semantics.md, "Forecast"): many runs of the history's model
// forward from the plan's current state, each with its own seed derived from `--seed`, and
// what they say together — each flavor's first refusal day as P10/P50/P90, the cloud's
// usage per day as a median and a P10–P90 band, and the flavor that runs out first.
import type { CloudState } from '../../core/cloud-state.ts';
import { forecastRun, USAGE_RESOURCES, type AgedInstance, type ForecastStart, type RunOutcome, type UsageResource } from './forecast-run.ts';
import type { HistoryModel } from './history-model.ts';
import type { ArrivalTrend } from './trend.ts';
import { arrivalRate } from './trend.ts';

export interface ForecastOptions {
  horizon: number;
  runs: number;
  seed: number;
}

/** Days of a first refusal at each quantile over the runs; null: not within the horizon. */
export interface RunwayQuantiles {
  p10: number | null;
  p50: number | null;
  p90: number | null;
}

export interface FlavorForecast {
  flavor: string;
  trend: ArrivalTrend;
  /** builds a day the trend expects on the first and the last forecast day */
  builds_per_day_first: number;
  builds_per_day_last: number;
  /** the Kaplan–Meier median lifetime in days; null when more than half outlive the history */
  median_lifetime_days: number | null;
  /** lifecycles of the flavor in the history */
  history_instances: number;
  /** runs in which a build of the flavor was refused */
  runs_refused: number;
  runway: RunwayQuantiles;
  /** what most often ruled the hosts out at the first refusal, over the runs that refused one */
  cause: string | null;
}

export interface UsageSeries {
  resource: UsageResource;
  /** the cloud's physical total (memory_mb, vcpus, local_gb summed over hosts); null for instances */
  capacity: number | null;
  /** at the end of the plan's replay, day 0 */
  start: number;
  /** per day from 1 to the horizon */
  p10: number[];
  p50: number[];
  p90: number[];
}

export interface Forecast {
  as_of_day: number;
  horizon: number;
  runs: number;
  seed: number;
  window_days: number;
  flavors: FlavorForecast[];
  /** the day of the first refusal of any flavor */
  cloud: RunwayQuantiles;
  /** the flavor whose runway is shortest (by P50, then P10, then P90); null when none runs out in any run */
  first_out: { flavor: string; cause: string | null } | null;
  usage: UsageSeries[];
}

/** Quantiles are nearest-rank: the value ranked ⌈q·n⌉ of n, so each is a day some run saw. */
function nearestRank(sorted: ArrayLike<number>, q: number): number {
  return sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)];
}

/**
 * Run `run`'s seed: `--seed` plus the run's number times 2³²/φ, mixed by MurmurHash3's
 * 32-bit finaliser (fmix32), so that neighbouring runs draw unrelated streams and a run's
 * draws depend on nothing else.
 */
function runSeed(seed: number, run: number): number {
  let z = (seed + Math.imul(run + 1, 0x9e3779b9)) >>> 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
  return (z ^ (z >>> 16)) >>> 0;
}

/** The cloud the plan leaves (`today`, after its requests) as every run starts from it. */
export function forecastStart(today: CloudState, model: HistoryModel): ForecastStart {
  const usage = [0, 0, 0, 0];
  for (const host of today.hostUsages()) {
    usage[0] += host.memory_mb_used;
    usage[1] += host.vcpus_used;
    usage[2] += host.local_gb_used;
    usage[3] += host.running_vms;
  }
  const flavorIndex = new Map(model.flavors.map((flavor, index) => [flavor.flavor, index]));
  const aged: AgedInstance[] = [];
  for (const { instance, flavor } of today.hostedInstances()) {
    const running = model.running.get(instance);
    const index = flavorIndex.get(flavor);
    if (running !== undefined && index !== undefined) aged.push({ instance, flavorIndex: index, age: running.age });
  }
  return { state: today, usage, aged };
}

/** The runs numbered `first` to `first + count − 1`: a thread's share of `--runs`; `stopAt` as forecastRun takes it. */
export function forecastRuns(start: ForecastStart, model: HistoryModel, options: ForecastOptions, first: number, count: number, stopAt: ReadonlySet<number> | null = null): RunOutcome[] {
  const outcomes: RunOutcome[] = [];
  for (let run = first; run < first + count; run++) outcomes.push(forecastRun(start, model, options.horizon, runSeed(options.seed, run), stopAt));
  return outcomes;
}

function runway(days: number[]): RunwayQuantiles {
  const sorted = [...days].sort((a, b) => a - b);
  const at = (q: number) => {
    const day = nearestRank(sorted, q);
    return Number.isFinite(day) ? day : null;
  };
  return { p10: at(0.1), p50: at(0.5), p90: at(0.9) };
}

function mostFrequent(values: readonly string[]): string | null {
  const counts = new Map<string, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  let best: string | null = null;
  for (const [value, count] of counts) if (best === null || count > counts.get(best)! || (count === counts.get(best)! && value < best)) best = value;
  return best;
}

const byRunway = (a: RunwayQuantiles, b: RunwayQuantiles) => {
  for (const q of ['p50', 'p10', 'p90'] as const) {
    const difference = (a[q] ?? Infinity) - (b[q] ?? Infinity);
    if (difference !== 0 && !Number.isNaN(difference)) return difference;
  }
  return 0;
};

/** What the runs say together; `outcomes` in run order, so that the report does not depend on threads. */
export function summarizeForecast(start: ForecastStart, model: HistoryModel, options: ForecastOptions, outcomes: readonly RunOutcome[]): Forecast {
  const { horizon } = options;
  const flavors = model.flavors.map((flavor, index): FlavorForecast => {
    const refusals = outcomes.map((outcome) => outcome.refusals[index]);
    const refused = refusals.filter((refusal) => refusal !== null);
    return {
      flavor: flavor.flavor,
      trend: flavor.trend,
      builds_per_day_first: arrivalRate(flavor.trend, 1),
      builds_per_day_last: arrivalRate(flavor.trend, horizon),
      median_lifetime_days: flavor.lifetimes.median(),
      history_instances: flavor.instances,
      runs_refused: refused.length,
      runway: runway(refusals.map((refusal) => refusal?.day ?? Infinity)),
      cause: mostFrequent(refused.map((refusal) => refusal.cause)),
    };
  });
  const cloud = runway(outcomes.map((outcome) => Math.min(Infinity, ...outcome.refusals.map((refusal) => refusal?.day ?? Infinity))));
  const shortest = flavors.filter((flavor) => flavor.runs_refused > 0).sort((a, b) => byRunway(a.runway, b.runway))[0];
  const capacities = capacityOf(start.state);
  const usage = USAGE_RESOURCES.map((resource, r): UsageSeries => {
    const series: UsageSeries = { resource, capacity: capacities[r], start: start.usage[r], p10: [], p50: [], p90: [] };
    const values = new Float64Array(outcomes.length);
    for (let day = 0; day < horizon; day++) {
      outcomes.forEach((outcome, run) => (values[run] = outcome.usage[r * horizon + day]));
      values.sort();
      series.p10.push(nearestRank(values, 0.1));
      series.p50.push(nearestRank(values, 0.5));
      series.p90.push(nearestRank(values, 0.9));
    }
    return series;
  });
  return {
    as_of_day: model.as_of_day,
    horizon,
    runs: outcomes.length,
    seed: options.seed,
    window_days: model.flavors[0]?.trend.window_days ?? 0,
    flavors,
    cloud,
    first_out: shortest ? { flavor: shortest.flavor, cause: shortest.cause } : null,
    usage,
  };
}

function capacityOf(state: CloudState): (number | null)[] {
  const capacity = [0, 0, 0];
  for (const host of state.hostUsages()) {
    capacity[0] += host.memory_mb;
    capacity[1] += host.vcpus;
    capacity[2] += host.local_gb;
  }
  return [...capacity, null];
}

/** Every run in this thread, one after another. */
export function forecast(today: CloudState, model: HistoryModel, options: ForecastOptions): Forecast {
  const start = forecastStart(today, model);
  return summarizeForecast(start, model, options, forecastRuns(start, model, options, 0, options.runs));
}
