// One run of the forecast (docs/semantics.md, "Forecast"): from the cloud as it stands after
// the plan's requests, day by day to the horizon, the day's departures first, then its
// builds — Poisson counts at each flavor's trend, in a random order — through the same
// scheduler and claim as any replay. Each build claimed draws its lifetime and is deleted
// when it ends.
import type { CloudState } from '../../core/cloud-state.ts';
import type { BuildRequest, Decision, Resources } from '../../core/model.ts';
import { SeededRandom } from '../../scheduler/seeded-random.ts';
import type { HistoryModel } from './history-model.ts';
import { drawPoisson } from './poisson.ts';
import { arrivalRate } from './trend.ts';

/** The cloud-wide figures a forecast follows each day, in this order in a run's usage. */
export const USAGE_RESOURCES = ['memory_mb', 'vcpus', 'disk_gb', 'instances'] as const;
export type UsageResource = (typeof USAGE_RESOURCES)[number];

/** A flavor's first build refused in a run: the day, and what ruled most hosts out. */
export interface Refusal {
  day: number;
  cause: string;
}

export interface RunOutcome {
  /** per flavor of the model, in its order: the first refusal, or null when none within the horizon */
  refusals: (Refusal | null)[];
  /** the usage at the end of each day: resource r on day d (from 1) at r × horizon + d − 1 */
  usage: Float64Array;
}

/** A plan instance that the history shows still running: it ends as its flavor's lifetimes say, given its age. */
export interface AgedInstance {
  instance: string;
  flavorIndex: number;
  age: number;
}

/** The cloud before any forecast day: where every run starts, and its usage then. */
export interface ForecastStart {
  state: CloudState;
  /** the usage the plan leaves, in USAGE_RESOURCES order */
  usage: number[];
  aged: AgedInstance[];
}

const QUIET = { audit: false, explain: false };

/** The day an instance living `days` more days from `day` has left: at least the next day, so every build holds room through its own day. */
function departureDay(day: number, days: number): number {
  return day + Math.max(1, Math.ceil(days));
}

/**
 * What ruled out the most hosts, which says why the build found none: a resource (memory,
 * vcpu, disk, a resource class), NUMA, a PCI pool, a server group, a host down, a zone.
 * A build the API refused before scheduling has no causes: its first reason says why.
 */
function refusalCause(decision: Decision): string {
  let widest = null;
  for (const cause of decision.causes ?? []) if (widest === null || cause.hosts > widest.hosts) widest = cause;
  return widest?.cause ?? decision.reasons[0] ?? decision.message ?? 'refused';
}

function add(usage: number[], requested: Resources | null, sign: 1 | -1): void {
  if (requested === null) return;
  usage[0] += sign * requested.memory_mb;
  usage[1] += sign * requested.vcpus;
  usage[2] += sign * requested.disk_gb;
  usage[3] += sign;
}

/**
 * One run to the horizon; or, when `stopAt` is given, only until a flavor it lists is first
 * refused, which is all `--add`'s search asks of a run (its usage is then left at 0 after).
 */
export function forecastRun(start: ForecastStart, model: HistoryModel, horizon: number, seed: number, stopAt: ReadonlySet<number> | null = null): RunOutcome {
  const state = start.state.clone();
  const random = SeededRandom.seeded(seed);
  const { flavors } = model;
  const departures: string[][] = Array.from({ length: horizon + 1 }, () => []);
  for (const { instance, flavorIndex, age } of start.aged) {
    const day = departureDay(0, flavors[flavorIndex].lifetimes.remaining(1 - random.unit(), age));
    if (day <= horizon) departures[day].push(instance);
  }
  const refusals: (Refusal | null)[] = flavors.map(() => null);
  const usage = new Float64Array(USAGE_RESOURCES.length * horizon);
  const current = [...start.usage];
  const arrivals: number[] = [];
  /**
   * Forecast builds join no server group and name no host, so between two deletes the
   * cloud only loses room: a flavor refused since the last delete is refused again, and
   * a full cloud's builds are counted without asking the scheduler to explain each.
   */
  let deletes = 0;
  const refusedAfterDeletes = flavors.map(() => -1);
  let seq = 0;
  for (let day = 1; day <= horizon; day++) {
    for (const instance of departures[day]) {
      add(current, state.decide({ op: 'delete', instance }, ++seq, QUIET).requested, -1);
      deletes++;
    }
    arrivals.length = 0;
    flavors.forEach((flavor, index) => {
      for (let count = drawPoisson(arrivalRate(flavor.trend, day), random); count > 0; count--) arrivals.push(index);
    });
    // A day's builds come in no particular order: a Fisher–Yates shuffle, so that no flavor always goes first.
    for (let i = arrivals.length - 1; i > 0; i--) {
      const j = random.below(i + 1);
      [arrivals[i], arrivals[j]] = [arrivals[j], arrivals[i]];
    }
    for (const index of arrivals) {
      const flavor = flavors[index];
      // Drawn for every build, claimed or not, so that a run's arrivals do not depend on the
      // cloud: the same seed then asks a larger cloud for the same builds.
      const leaves = departureDay(day, flavor.lifetimes.remaining(1 - random.unit()));
      if (refusedAfterDeletes[index] === deletes) continue;
      const build: BuildRequest = { op: 'build', instance: `forecast #${++seq}`, flavor: flavor.flavor, host: null, aggregate: null, expect: null };
      const decision = state.decide(build, seq, QUIET);
      if (decision.result === 'claimed') {
        add(current, decision.requested, 1);
        if (leaves <= horizon) departures[leaves].push(build.instance);
      } else {
        refusedAfterDeletes[index] = deletes;
        refusals[index] ??= { day, cause: refusalCause(decision) };
        if (stopAt?.has(index)) return { refusals, usage };
      }
    }
    for (let r = 0; r < USAGE_RESOURCES.length; r++) usage[r * horizon + day - 1] = current[r];
  }
  return { refusals, usage };
}
