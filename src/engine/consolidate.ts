// "Which hosts can we empty and power off?" (docs/semantics.md, "Consolidate"): after the
// replay, hosts are drained one at a time by live-migrating their instances through the
// scheduler, as an operator would before retiring them, each drained host then going down;
// a host whose instances cannot all move (or whose loss would break `--keep failover:N`)
// stays, and the cloud goes on from before the attempt. Pure; every attempt works on a
// clone of the replayed state.
import type { CloudState, HostedInstance } from './cloud-state.ts';
import { compareNames, Failover, type StrandedInstance } from './failover.ts';
import type { RejectionCause } from './model.ts';
import { worstCountedLoss } from './worst-loss.ts';

export interface LiveMove {
  instance: string;
  flavor: string;
  from: string;
  to: string;
}

/** Why a host stays: an instance that found no host, what it holds besides its instances, or the failover kept. */
export type StayReason =
  | { kind: 'instance'; instance: string; flavor: string; reasons: string[]; causes: RejectionCause[] }
  | { kind: 'holds'; running_vms: number }
  /** emptying it, losing `lost` would strand these, more than the worst loss did before */
  | { kind: 'failover'; lost: string[]; stranded: StrandedInstance[] }
  | { kind: 'down' };

export interface KeptHost {
  host: string;
  why: StayReason;
}

/**
 * `--keep failover:N`: the worst loss of N of the hosts up strands no more instances after
 * a host is emptied than it did before any was; how the last check ran.
 */
export interface KeptFailover {
  hosts: number;
  /** exact: every combination of N hosts of those up; greedy: failover's `--k` search */
  method: 'exact' | 'greedy';
  combinations: number;
  evaluated: number;
  /** instances the worst loss stranded before any host was emptied, and after the last */
  before: number;
  after: number;
  /** the worst loss after the last host emptied */
  lost: string[];
}

export interface Consolidation {
  /** hosts emptied, in the order they were, each with the moves that emptied it */
  emptied: { host: string; moves: LiveMove[] }[];
  kept: KeptHost[];
  /** null without `--keep failover:N` */
  failover: KeptFailover | null;
  /** what the cloud ends as: each host's usage, the emptied ones down */
  state: CloudState;
}

const QUIET = { audit: false, explain: false };

/** `--keep failover:N`: N, and what the worst loss of N stranded before any host was emptied. */
interface Keep {
  hosts: number;
  before: number;
}

/**
 * Drains hosts greedily, each time the one holding the fewest instances now, then the
 * least memory used, then the host listed last (the newest); one emptied is down for the
 * rest, so no later move lands on it. A greedy order, not a search: another order may
 * empty more.
 */
export function consolidate(replayed: CloudState, keepFailover: number | null): Consolidation {
  let state = replayed;
  const all = state.hostNames();
  const undecided = new Set(all);
  const emptied: Consolidation['emptied'] = [];
  const kept: KeptHost[] = [];
  let failover: KeptFailover | null = null;
  let keep: Keep | null = null;
  if (keepFailover !== null) {
    const check = worstLoss(state, keepFailover);
    keep = { hosts: keepFailover, before: check.worst.stranded.length };
    failover = keptFailover(check, keep.before);
  }
  while (undecided.size > 0) {
    const host = nextToDrain(state, all, undecided);
    undecided.delete(host);
    if (state.nodeNamed(host).serviceDown) {
      kept.push({ host, why: { kind: 'down' } });
      continue;
    }
    const attempt = tryEmptying(state, host, keep);
    if ('why' in attempt) {
      kept.push({ host, why: attempt.why });
      continue;
    }
    ({ state, failover } = attempt);
    emptied.push({ host, moves: attempt.moves });
  }
  let outcome: Omit<Consolidation, 'kept'> = { emptied, failover, state };
  const direct = drainDirectly(replayed, emptied.map(({ host }) => host));
  if (direct !== null && keep === null) outcome = { ...direct, failover: null };
  else if (direct !== null && keep !== null) {
    const check = worstLoss(direct.state, keep.hosts);
    if (check.worst.stranded.length <= keep.before) outcome = { ...direct, failover: keptFailover(check, keep.before) };
  }
  const settled = settleKept(outcome, kept, keep);
  const plan = new Map(all.map((host, index) => [host, index]));
  settled.kept.sort((a, b) => plan.get(a.host)! - plan.get(b.host)!);
  return settled;
}

/**
 * `host` emptied on a clone of `state` and then down; or why it stays: an instance finds
 * no host, or, with `keep`, losing N hosts would then strand more than before.
 */
function tryEmptying(state: CloudState, host: string, keep: Keep | null): { state: CloudState; moves: LiveMove[]; failover: KeptFailover | null } | { why: StayReason } {
  const trial = state.clone();
  const drained = drain(trial, host);
  if ('why' in drained) return drained;
  trial.decide({ op: 'down', host }, 0, QUIET);
  if (keep === null) return { state: trial, moves: drained.moves, failover: null };
  const check = worstLoss(trial, keep.hosts);
  if (check.worst.stranded.length > keep.before) return { why: { kind: 'failover', ...check.worst } };
  return { state: trial, moves: drained.moves, failover: keptFailover(check, keep.before) };
}

function keptFailover(check: ReturnType<typeof worstLoss>, before: number): KeptFailover {
  return { ...check.method, before, after: check.worst.stranded.length, lost: check.worst.lost };
}

/**
 * The hosts that stay, tried once more on the cloud as it ends, so that each says why it
 * stays there (the moves that emptied others have changed where room is); one that now
 * drains is emptied too.
 */
function settleKept(outcome: Omit<Consolidation, 'kept'>, kept: readonly KeptHost[], keep: Keep | null): Consolidation {
  let { state, failover } = outcome;
  const emptied = [...outcome.emptied];
  const settled: KeptHost[] = [];
  for (const { host, why } of kept) {
    if (why.kind === 'down' || why.kind === 'failover') {
      settled.push({ host, why });
      continue;
    }
    const attempt = tryEmptying(state, host, keep);
    if ('why' in attempt) {
      settled.push({ host, why: attempt.why });
      continue;
    }
    ({ state, failover } = attempt);
    emptied.push({ host, moves: attempt.moves });
  }
  return { emptied, kept: settled, failover, state };
}

/**
 * The hosts found emptiable, emptied again from the replayed cloud with every one of
 * them out of the scheduler's reach (down) but the one being drained, so that each
 * instance moves once, to a host that stays: the greedy pass may have parked an instance
 * on a host it emptied later. Null when that order does not work, for the scheduler
 * then sees fewer hosts at each step; the greedy pass's moves stand.
 */
function drainDirectly(replayed: CloudState, hosts: readonly string[]): { emptied: Consolidation['emptied']; state: CloudState } | null {
  const state = replayed.clone();
  for (const host of hosts) state.decide({ op: 'down', host }, 0, QUIET);
  const emptied: Consolidation['emptied'] = [];
  for (const host of hosts) {
    state.decide({ op: 'up', host }, 0, QUIET);
    const drained = drain(state, host);
    if ('why' in drained) return null;
    state.decide({ op: 'down', host }, 0, QUIET);
    emptied.push({ host, moves: drained.moves });
  }
  return { emptied, state };
}

/** A host's instances in the order they are moved: largest flavor memory first, then by name. */
function instancesToMove(state: CloudState, host: string): HostedInstance[] {
  return state
    .hostedInstances()
    .filter((hosted) => hosted.host === host)
    .sort((a, b) => state.flavorMemory(b.flavor) - state.flavorMemory(a.flavor) || compareNames(a.instance, b.instance));
}

/** The host to try next: the fewest instances, then the least memory used, then the one listed last. */
function nextToDrain(state: CloudState, all: readonly string[], undecided: ReadonlySet<string>): string {
  const usages = state.hostUsages();
  let best: number | null = null;
  for (let index = all.length - 1; index >= 0; index--) {
    if (!undecided.has(all[index])) continue;
    const usage = usages[index];
    if (best === null || usage.running_vms < usages[best].running_vms || (usage.running_vms === usages[best].running_vms && usage.memory_mb_used < usages[best].memory_mb_used)) best = index;
  }
  return all[best!];
}

/** Every instance of the host live-migrated, largest first; or the first that finds no host. */
function drain(state: CloudState, host: string): { moves: LiveMove[] } | { why: StayReason } {
  const moves: LiveMove[] = [];
  for (const { instance, flavor } of instancesToMove(state, host)) {
    const decision = state.decide({ op: 'live_migrate', instance, flavor: null, host: null, expect: null }, 0, QUIET);
    if (decision.result !== 'claimed') return { why: { kind: 'instance', instance, flavor, reasons: decision.reasons, causes: decision.causes ?? [] } };
    moves.push({ instance, flavor, from: host, to: decision.host! });
  }
  // What the plan's `used:` counts, an unconfirmed move's source or an evacuated
  // instance's remains stay on the host: it is not empty.
  const { running_vms } = state.hostUsages().find((usage) => usage.host === host)!;
  return running_vms > 0 ? { why: { kind: 'holds', running_vms } } : { moves };
}

/** The worst loss of `k` of the hosts still up, as `failover --k` finds it: the one stranding most instances. */
function worstLoss(state: CloudState, k: number): { worst: { lost: string[]; stranded: StrandedInstance[] }; method: Omit<KeptFailover, 'before' | 'after' | 'lost'> } {
  const up = state.hostNames().filter((host) => !state.nodeNamed(host).serviceDown);
  const failover = new Failover(state);
  if (k >= up.length) {
    // Losing every host up: whatever is still running is stranded.
    return { worst: { lost: up, stranded: failover.lose(up).stranded }, method: { hosts: k, method: 'exact', combinations: 1, evaluated: 1 } };
  }
  const { lost, stranded, search } = worstCountedLoss(failover, up, k);
  return { worst: { lost, stranded }, method: { hosts: k, ...search } };
}
