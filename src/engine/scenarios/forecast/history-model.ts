// What the history says about each flavor (docs/semantics.md, "Forecast"): its daily builds
// over the window, as a trend, and its lifetimes, as a Kaplan–Meier estimate; and which of
// the instances still running are which age, so that the plan's own instances of those
// names end as the estimate says they will.
import { LifetimeDistribution, type LifetimeObservation } from './kaplan-meier.ts';
import { fitTrend, type ArrivalTrend } from './trend.ts';

export const DAY_MS = 86_400_000;

/** One instance's life, as `os-simple-tenant-usage` or an exported lifecycle gives it. */
export interface Lifecycle {
  instance: string;
  flavor: string;
  /** milliseconds since the epoch, UTC */
  start: number;
  /** null while it still runs */
  end: number | null;
  project: string | null;
  availability_zone: string | null;
}

export interface FlavorModel {
  flavor: string;
  trend: ArrivalTrend;
  lifetimes: LifetimeDistribution;
  /** lifecycles of the flavor in the whole history */
  instances: number;
}

export interface HistoryModel {
  /** the history's last day, in days since 1970-01-01 UTC: the forecast's day 0 */
  as_of_day: number;
  /** the flavors the plan has, by name */
  flavors: FlavorModel[];
  /** instances still running at the history's end: their flavor and age in days */
  running: ReadonlyMap<string, { flavor: string; age: number }>;
}

/** The day (since 1970-01-01 UTC) a time falls on. */
function dayOf(time: number): number {
  return Math.floor(time / DAY_MS);
}

/** `YYYY-MM-DD` of a day since 1970-01-01 UTC. */
export function dateOfDay(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/**
 * Fits each flavor the plan has (`planFlavors`, whose order the model keeps) from the
 * lifecycles: builds a day over the last `windowDays` days of the history (fewer when the
 * history is shorter) and every lifetime, still-running ones censored at the history's end.
 */
export function fitHistory(lifecycles: readonly Lifecycle[], windowDays: number, planFlavors: readonly string[]): HistoryModel {
  let lastTime = -Infinity;
  let firstDay = Infinity;
  for (const life of lifecycles) {
    lastTime = Math.max(lastTime, life.start, life.end ?? -Infinity);
    firstDay = Math.min(firstDay, dayOf(life.start));
  }
  const asOfDay = Number.isFinite(lastTime) ? dayOf(lastTime) : 0;
  // Ages are reckoned at the end of the last day, which the whole of that day's builds had lived into.
  const now = (asOfDay + 1) * DAY_MS;
  const windowStart = Math.max(asOfDay - windowDays + 1, Number.isFinite(firstDay) ? firstDay : asOfDay);
  const byFlavor = new Map(planFlavors.map((flavor) => [flavor, { counts: new Array<number>(asOfDay - windowStart + 1).fill(0), observations: [] as LifetimeObservation[] }]));
  const running = new Map<string, { flavor: string; age: number }>();
  for (const life of lifecycles) {
    const fitted = byFlavor.get(life.flavor);
    if (!fitted) continue;
    const startDay = dayOf(life.start);
    if (startDay >= windowStart) fitted.counts[startDay - windowStart]++;
    const ended = life.end !== null;
    fitted.observations.push({ days: ((ended ? life.end! : now) - life.start) / DAY_MS, ended });
    if (!ended) running.set(life.instance, { flavor: life.flavor, age: (now - life.start) / DAY_MS });
  }
  const flavors = [...byFlavor].filter(([, fitted]) => fitted.observations.length > 0).map(([flavor, { counts, observations }]) => ({
    flavor,
    trend: fitTrend(counts),
    lifetimes: LifetimeDistribution.fit(observations),
    instances: observations.length,
  }));
  return { as_of_day: asOfDay, flavors, running };
}
