// Two replays of the same requests side by side: the plan as written and a changed
// one (other settings, or another plan). Both run in lockstep so memory stays bounded
// by the clouds, never by the trace.
import { fitFlavor } from './fit.ts';
import { statedRoom, type Dimension } from '../models/host-room.ts';
import type { Decision, DecisionResult, HostUsage, RejectionCause, Request } from '../core/model.ts';
import type { CloudState } from '../core/cloud-state.ts';
import { replay, SummaryCounter } from '../core/replay.ts';

export interface DecisionSide {
  result: DecisionResult;
  host: string | null;
  reasons: string[];
  /** what ruled the hosts out, when the scheduler found none */
  causes?: RejectionCause[];
}

export interface DecisionChange {
  seq: number;
  op: Decision['op'];
  instance: string | null;
  flavor: string | null;
  before: DecisionSide | null;
  after: DecisionSide | null;
}

export interface Headroom {
  before: number | null;
  after: number | null;
}

/** Which side alone has a host or flavor, when comparing two plans that differ. */
export type OnlyIn = 'before' | 'after';

/** limit − used per resource; null where that side has no limit, or (see `only_in`) no such host. */
export interface HostHeadroomChange {
  host: string;
  memory_mb: Headroom;
  disk_gb: Headroom;
  vcpu: Headroom;
  only_in?: OnlyIn;
}

/** How many more fit on each side's final state; null when unbounded, or (see `only_in`) no such flavor. */
export interface FitChange {
  flavor: string;
  before: number | null;
  after: number | null;
  only_in?: OnlyIn;
}

function onlyIn(before: boolean, after: boolean): { only_in?: OnlyIn } {
  if (before === after) return {};
  return { only_in: before ? 'before' : 'after' };
}

export interface ReplaySide {
  state: CloudState;
  requests: Iterable<Request>;
  counter: SummaryCounter;
}

function side(decision: Decision | undefined): DecisionSide | null {
  if (!decision) return null;
  return { result: decision.result, host: decision.host, reasons: decision.reasons, ...(decision.causes ? { causes: decision.causes } : {}) };
}

/** A decision changed when its result or its host did; same-outcome wording changes are not news. */
function changed(before: DecisionSide | null, after: DecisionSide | null): boolean {
  return before?.result !== after?.result || before?.host !== after?.host;
}

/** Yields each request whose decision differs between the two replays, in order. */
export function* decisionChanges(before: ReplaySide, after: ReplaySide): Generator<DecisionChange> {
  const left = replay(before.state, before.requests, { audit: false, explain: false }, before.counter);
  const right = replay(after.state, after.requests, { audit: false, explain: false }, after.counter);
  for (;;) {
    const a = left.next();
    const b = right.next();
    if (a.done && b.done) return;
    const first = (a.done ? undefined : a.value) ?? (b.done ? undefined : b.value)!;
    const was = side(a.done ? undefined : a.value);
    const now = side(b.done ? undefined : b.value);
    if (changed(was, now)) {
      yield { seq: first.seq, op: first.op, instance: first.instance, flavor: first.flavor, before: was, after: now };
    }
  }
}

/** A claim that became a rejection: what `--fail-if-worse` gates on. */
export function isWorse(change: DecisionChange): boolean {
  return change.before?.result === 'claimed' && change.after?.result === 'rejected';
}

export function headroomChanges(before: HostUsage[], after: HostUsage[]): HostHeadroomChange[] {
  const afterByName = new Map(after.map((usage) => [usage.host, usage]));
  const names = [...new Set([...before.map((usage) => usage.host), ...after.map((usage) => usage.host)])];
  const beforeByName = new Map(before.map((usage) => [usage.host, usage]));
  return names.map((host) => {
    const was = beforeByName.get(host);
    const now = afterByName.get(host);
    const [roomBefore, roomAfter] = [was && statedRoom(was), now && statedRoom(now)];
    const pair = (dimension: Dimension): Headroom => ({ before: roomBefore ? roomBefore[dimension] : null, after: roomAfter ? roomAfter[dimension] : null });
    return {
      host,
      memory_mb: pair('memory'),
      disk_gb: pair('disk'),
      vcpu: pair('vcpu'),
      ...onlyIn(was !== undefined, now !== undefined),
    };
  });
}

/** Fit of each flavor on each side's final state, over every host of that side. */
export function fitChanges(before: CloudState, after: CloudState, flavors: string[]): FitChange[] {
  const has = (state: CloudState, flavor: string) => state.cloud.flavors.some((f) => f.name === flavor);
  const total = (state: CloudState, flavor: string) => (has(state, flavor) ? fitFlavor(state, flavor, state.hostNames()).total : null);
  return flavors.map((flavor) => ({
    flavor,
    before: total(before, flavor),
    after: total(after, flavor),
    ...onlyIn(has(before, flavor), has(after, flavor)),
  }));
}

/**
 * Two replays in lockstep, read once: the changed decisions as they are found, then what
 * exists only at the end (summaries, headroom, fit) and the verdict `--fail-if-worse`
 * reads. Whatever of the changes a report read, each of those first finishes both
 * replays, so no format can cut the verdict short.
 */
export class Comparison {
  readonly changes: Generator<DecisionChange>;

  constructor(
    private readonly before: ReplaySide,
    private readonly after: ReplaySide,
    /** told of each claim that became a rejection, in order */
    private readonly onClaimLost: (change: DecisionChange) => void,
  ) {
    this.changes = this.noting(decisionChanges(before, after));
  }

  private *noting(changes: Generator<DecisionChange>): Generator<DecisionChange> {
    for (const change of changes) {
      if (isWorse(change)) this.onClaimLost(change);
      yield change;
    }
  }

  /** Replays what no report read yet, to the end of both traces. */
  finish(): void {
    for (const _change of this.changes);
  }

  summaries(): { before: SummaryCounter['summary']; after: SummaryCounter['summary'] } {
    this.finish();
    return { before: this.before.counter.summary, after: this.after.counter.summary };
  }

  headroom(): HostHeadroomChange[] {
    this.finish();
    return headroomChanges(this.before.state.hostUsages(), this.after.state.hostUsages());
  }

  fit(flavors: string[]): FitChange[] {
    this.finish();
    return fitChanges(this.before.state, this.after.state, flavors);
  }
}
