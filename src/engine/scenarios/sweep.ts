// One setting over a range: claimed, rejected and fit per flavor at each value, and
// which builds and moves change outcome from one value to the next.
import { fitFlavor } from './fit.ts';
import type { Cloud, Decision, Request } from '../core/model.ts';
import { CloudState } from '../core/cloud-state.ts';
import { replay, SummaryCounter } from '../core/replay.ts';

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
 * One replay of the plan at one value: its counts, and one byte per decision (what it
 * decided), so that the next value's replay can be compared with it decision by decision
 * — a million-request trace costs a megabyte, not its decisions. Replays of different
 * values are independent, so they can run side by side.
 */
export interface ValueReplay {
  value: number;
  claimed: number;
  rejected: number;
  expectations_failed: number;
  fit: { flavor: string; total: number | null }[];
  outcomes: Uint8Array;
}

export function replayAtValue(value: number, cloud: Cloud, requests: Iterable<Request>, flavors: readonly string[]): ValueReplay {
  const state = CloudState.start(cloud);
  const counter = new SummaryCounter();
  let outcomes = new Uint8Array(1024);
  let length = 0;
  for (const decision of replay(state, requests, { audit: false, explain: false }, counter)) {
    if (length === outcomes.length) {
      const grown = new Uint8Array(outcomes.length * 2);
      grown.set(outcomes);
      outcomes = grown;
    }
    outcomes[length++] = outcomeOf(decision);
  }
  const hosts = state.hostNames();
  const { claimed, rejected, expectations_failed } = counter.summary;
  return {
    value,
    claimed,
    rejected,
    expectations_failed,
    fit: flavors.map((flavor) => ({ flavor, total: fitFlavor(state, flavor, hosts).total })),
    outcomes: outcomes.slice(0, length),
  };
}

/** Builds and moves claim or are rejected; deletes, confirms, reverts and host states change no outcome. */
function outcomeOf(decision: Decision): number {
  return decision.result === 'claimed' ? CLAIMED : decision.result === 'rejected' ? REJECTED : OTHER;
}

/** Where builds changed outcome at one value, before the first of them is named. */
interface UnnamedTurn {
  value: number;
  previous: number;
  count: number;
  seq: number;
}

/** The values' replays taken in order, each build compared with its outcome at the value before. */
export class Sweep {
  readonly points: SweepPoint[] = [];
  private previous: Uint8Array | null = null;
  private firstLost: UnnamedTurn | null = null;
  private lastGained: UnnamedTurn | null = null;

  add(replayed: ValueReplay): SweepPoint {
    const lost = { count: 0, first: -1 };
    const gained = { count: 0, first: -1 };
    const { outcomes } = replayed;
    if (this.previous !== null) {
      const before = this.previous;
      for (let index = 0; index < outcomes.length; index++) {
        const was = index < before.length ? before[index] : OTHER;
        const change = was === CLAIMED && outcomes[index] === REJECTED ? lost : was === REJECTED && outcomes[index] === CLAIMED ? gained : null;
        if (change === null) continue;
        change.count++;
        if (change.first < 0) change.first = index;
      }
    }
    const previousValue = this.points.at(-1)?.value;
    const turn = (change: { count: number; first: number }): UnnamedTurn | null =>
      change.count > 0 && previousValue !== undefined
        ? { value: replayed.value, previous: previousValue, count: change.count, seq: change.first + 1 }
        : null;
    this.firstLost ??= turn(lost);
    this.lastGained = turn(gained) ?? this.lastGained;
    this.previous = outcomes;
    const { value, claimed, rejected, expectations_failed, fit } = replayed;
    const point = { value, claimed, rejected, expectations_failed, claims_lost: lost.count, claims_gained: gained.count, fit };
    this.points.push(point);
    return point;
  }

  /** The request numbers the turning points name, for `turningPoints` to put names to. */
  get turningSeqs(): number[] {
    return [this.firstLost, this.lastGained].flatMap((turn) => (turn ? [turn.seq] : []));
  }

  turningPoints(instanceAt: (seq: number) => string): SweepTurningPoints {
    let all_claimed_from: number | null = null;
    for (let index = this.points.length - 1; index > 0 && this.points[index].rejected === 0; index--) {
      if (this.points[index - 1].rejected > 0) all_claimed_from = this.points[index].value;
    }
    const named = (turn: UnnamedTurn | null): SweepTurn | null => (turn ? { ...turn, instance: instanceAt(turn.seq) } : null);
    return { first_claim_lost: named(this.firstLost), last_claim_gained: named(this.lastGained), all_claimed_from };
  }
}

/** The instance each request number names (a host state request: its host), read from the request stream once. */
export function instancesAt(requests: Iterable<Request>, seqs: readonly number[]): Map<number, string> {
  const wanted = new Set(seqs);
  const names = new Map<number, string>();
  let seq = 0;
  for (const request of requests) {
    if (wanted.has(++seq)) names.set(seq, 'instance' in request ? request.instance : request.host);
    if (names.size === wanted.size) break;
  }
  return names;
}
