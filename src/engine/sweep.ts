// One setting over a range: claimed, rejected and fit per flavor at each value.
import { fitFlavor } from './fit.ts';
import type { Cloud, Request } from './model.ts';
import { CloudState, replay, SummaryCounter } from './replay.ts';

export interface SweepPoint {
  value: number;
  claimed: number;
  rejected: number;
  expectations_failed: number;
  /** total of each flavor that still fits on the final state; null when unbounded */
  fit: { flavor: string; total: number | null }[];
}

/** Where the outcome turns along the range, in the order the values were swept. */
export interface SweepTurningPoints {
  /** the first value at which more requests are rejected than at the value before */
  first_rejection: number | null;
  /** the first value from which every request is claimed, after values with rejections */
  all_claimed_from: number | null;
}

/** FROM, FROM+STEP, … up to TO (either direction), without binary drift (0.1 + 0.2). */
export function sweepValues(from: number, to: number, step: number): number[] {
  const span = Math.abs(to - from);
  const stride = Math.abs(step);
  const count = Math.floor(span / stride + 1e-9) + 1;
  const sign = to >= from ? 1 : -1;
  return Array.from({ length: count }, (_, index) => Number((from + sign * index * stride).toPrecision(12)));
}

export function sweepPoint(value: number, cloud: Cloud, requests: Iterable<Request>, flavors: string[]): SweepPoint {
  const state = CloudState.start(cloud);
  const counter = new SummaryCounter();
  for (const _decision of replay(state, requests, { audit: false }, counter));
  const hosts = state.hostNames();
  const { claimed, rejected, expectations_failed } = counter.summary;
  return { value, claimed, rejected, expectations_failed, fit: flavors.map((flavor) => ({ flavor, total: fitFlavor(state, flavor, hosts).total })) };
}

export function turningPoints(points: readonly SweepPoint[]): SweepTurningPoints {
  let first_rejection: number | null = null;
  let all_claimed_from: number | null = null;
  points.forEach((point, index) => {
    const previous = points[index - 1];
    if (!previous) return;
    if (first_rejection === null && point.rejected > previous.rejected) first_rejection = point.value;
    if (all_claimed_from === null && previous.rejected > 0 && point.rejected === 0) all_claimed_from = point.value;
  });
  return { first_rejection, all_claimed_from };
}
