// One setting over a range: claimed, rejected and fit per flavor at each value, and
// which builds change outcome from one value to the next.
import { fitFlavor } from './fit.ts';
import type { Cloud, Decision, Request } from './model.ts';
import { CloudState } from './cloud-state.ts';
import { replay, SummaryCounter } from './replay.ts';

export interface SweepPoint {
  value: number;
  claimed: number;
  rejected: number;
  expectations_failed: number;
  /** builds claimed at the value before and rejected at this one (0 at the first value) */
  claims_lost: number;
  /** builds rejected at the value before and claimed at this one (0 at the first value) */
  claims_gained: number;
  /** total of each flavor that still fits on the final state; null when unbounded */
  fit: { flavor: string; total: number | null }[];
}

/** Where builds change outcome between two neighbouring values, named by the first of them. */
export interface SweepTurn {
  value: number;
  /** the value swept just before */
  previous: number;
  /** how many builds changed this way at `value` */
  count: number;
  /** the first of them, in request order */
  seq: number;
  instance: string;
}

/** Where the outcome turns along the range, in the order the values were swept. */
export interface SweepTurningPoints {
  /** the first value at which a build claimed at the value before is rejected */
  first_claim_lost: SweepTurn | null;
  /** the last value at which a build rejected at the value before is claimed */
  last_claim_gained: SweepTurn | null;
  /** the first value from which every build is claimed to the end of the range, after one that rejected */
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

const OTHER = 0;
const CLAIMED = 1;
const REJECTED = 2;

/**
 * One byte per decision: what a replay decided, kept only until the next value's replay
 * has been compared with it, so a million-request trace costs a megabyte, not its decisions.
 */
class Outcomes {
  private bytes = new Uint8Array(1024);
  length = 0;

  push(decision: Decision): void {
    if (this.length === this.bytes.length) {
      const grown = new Uint8Array(this.bytes.length * 2);
      grown.set(this.bytes);
      this.bytes = grown;
    }
    this.bytes[this.length++] = decision.op !== 'build' ? OTHER : decision.result === 'claimed' ? CLAIMED : REJECTED;
  }

  at(index: number): number {
    return index < this.length ? this.bytes[index] : OTHER;
  }
}

interface Change {
  count: number;
  first: Decision | null;
}

/** Replays the plan at each value in turn, comparing every build with the value before. */
export class Sweep {
  readonly points: SweepPoint[] = [];
  private previous: Outcomes | null = null;
  private firstLost: SweepTurn | null = null;
  private lastGained: SweepTurn | null = null;

  constructor(private readonly flavors: readonly string[]) {}

  add(value: number, cloud: Cloud, requests: Iterable<Request>): SweepPoint {
    const state = CloudState.start(cloud);
    const counter = new SummaryCounter();
    const outcomes = new Outcomes();
    const lost: Change = { count: 0, first: null };
    const gained: Change = { count: 0, first: null };
    const note = (change: Change, decision: Decision) => {
      change.count++;
      change.first ??= decision;
    };
    for (const decision of replay(state, requests, { audit: false, explain: false }, counter)) {
      const index = outcomes.length;
      outcomes.push(decision);
      if (this.previous === null) continue;
      const before = this.previous.at(index);
      const now = outcomes.at(index);
      if (before === CLAIMED && now === REJECTED) note(lost, decision);
      if (before === REJECTED && now === CLAIMED) note(gained, decision);
    }
    const previousValue = this.points.at(-1)?.value;
    const turn = (change: Change): SweepTurn | null =>
      change.first && previousValue !== undefined
        ? { value, previous: previousValue, count: change.count, seq: change.first.seq, instance: change.first.instance }
        : null;
    this.firstLost ??= turn(lost);
    this.lastGained = turn(gained) ?? this.lastGained;
    this.previous = outcomes;

    const hosts = state.hostNames();
    const { claimed, rejected, expectations_failed } = counter.summary;
    const point: SweepPoint = {
      value,
      claimed,
      rejected,
      expectations_failed,
      claims_lost: lost.count,
      claims_gained: gained.count,
      fit: this.flavors.map((flavor) => ({ flavor, total: fitFlavor(state, flavor, hosts).total })),
    };
    this.points.push(point);
    return point;
  }

  get turning(): SweepTurningPoints {
    let all_claimed_from: number | null = null;
    for (let index = this.points.length - 1; index > 0 && this.points[index].rejected === 0; index--) {
      if (this.points[index - 1].rejected > 0) all_claimed_from = this.points[index].value;
    }
    return { first_claim_lost: this.firstLost, last_claim_gained: this.lastGained, all_claimed_from };
  }
}
