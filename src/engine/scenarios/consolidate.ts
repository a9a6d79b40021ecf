// "Which hosts can we empty and power off?" (docs/semantics.md, "Consolidate"): after the
// replay, hosts are drained one at a time by live-migrating their instances through the
// scheduler, as an operator would before retiring them, each drained host then going down;
// a host whose instances cannot all move (or whose emptying would make some loss of N
// hosts strand more, with `--keep failover:N`) stays, and the cloud goes on from before
// the attempt. Which hosts end empty depends on the order they are tried in, so several
// orders are tried and the best improved locally, within a budget; an upper bound from
// capacity arithmetic says how far the answer may be from the most. Pure; every attempt
// works on a clone of the replayed state.
import type { CloudState, HostedInstance } from '../core/cloud-state.ts';
import { combinationCount, combinationsOf, compareNames, EXACT_COMBINATIONS_LIMIT, Failover, type StrandedInstance } from './failover.ts';
import { DIMENSIONS, freeAmounts, leastTaken, mostTaken, type Amounts } from '../models/host-room.ts';
import type { RejectionCause } from '../core/model.ts';
import { failure, success, type Result } from '../core/result.ts';
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
  /** emptying it, losing `lost` would strand these, more than the `before` that loss stranded before any host was emptied */
  | { kind: 'failover'; lost: string[]; stranded: StrandedInstance[]; before: number }
  | { kind: 'down' };

export interface KeptHost {
  host: string;
  why: StayReason;
}

/**
 * `--keep failover:N`: no loss of N hosts strands more instances after the hosts are
 * emptied than the same loss did before (exact), or, past EXACT_COMBINATIONS_LIMIT
 * combinations, the worst loss failover's greedy search finds strands no more than the
 * worst it found before (greedy); how the last check ran.
 */
export interface KeptFailover {
  hosts: number;
  /** exact: every combination of N of the hosts up before, each compared with itself; greedy: the worst `failover --k` finds, compared */
  method: 'exact' | 'greedy';
  combinations: number;
  evaluated: number;
  /** instances the worst loss stranded before any host was emptied, and after the last */
  before: number;
  after: number;
  /** the worst loss after the last host emptied */
  lost: string[];
}

/** The simple orders hosts are tried in, each a whole pass (docs/semantics.md, "Consolidate"). */
export const DRAIN_ORDERS = ['fewest instances', 'least memory used', 'most free after', 'plan order', 'reverse plan order'] as const;
export type DrainOrder = (typeof DRAIN_ORDERS)[number];

/**
 * Past this much work in all passes, host emptying attempts and the losses `--keep` runs
 * to check them added up, the local search stops; the five orders always run whole.
 */
export const SEARCH_BUDGET = 3000;

/** How the hosts emptied were found, and how many could be at most. */
export interface ConsolidateSearch {
  /** the hosts each simple order empties alone, in DRAIN_ORDERS' order */
  orders: { order: DrainOrder; emptied: string[] }[];
  /** the pass the answer comes from: one of the orders, or the local search from the best of them */
  best: DrainOrder | 'local search';
  /** passes run, each trying every host once: the five orders' and the local search's */
  passes: number;
  /** host emptying attempts run in all passes */
  attempts: number;
  /** losses of N hosts run to check `--keep failover:N`, in all passes */
  losses: number;
  /** the local search stopped at SEARCH_BUDGET with moves left untried */
  cut: boolean;
  /** no more hosts than this can be emptied: what the instances need at least against what the hosts that would stay have room for */
  upper_bound: number;
}

export interface Consolidation {
  /** hosts emptied, in the order they were, each with the moves that emptied it */
  emptied: { host: string; moves: LiveMove[] }[];
  kept: KeptHost[];
  /** null without `--keep failover:N` */
  failover: KeptFailover | null;
  search: ConsolidateSearch;
  /** what the cloud ends as: each host's usage, the emptied ones down */
  state: CloudState;
}

const QUIET = { audit: false, explain: false };

/** What the search has done so far, against SEARCH_BUDGET. */
interface Work {
  attempts: number;
  losses: number;
}

/** One pass over the hosts in one order: what it emptied, why each other host stays, and the cloud it ends with. */
interface Pass {
  emptied: Consolidation['emptied'];
  kept: KeptHost[];
  failover: KeptFailover | null;
  state: CloudState;
}

/** Which undecided host a pass tries next, `undecided` in plan order. */
type NextHost = (state: CloudState, undecided: ReadonlySet<string>) => string;

/**
 * Tries each of DRAIN_ORDERS, then improves the best locally (a host that stayed tried
 * first, and one emptied tried last) within SEARCH_BUDGET; the pass emptying the
 * most hosts is the answer, the first found on a tie. Its hosts are emptied again so that
 * each instance moves once, and those that stay say why on the cloud as it ends.
 */
export function consolidate(replayed: CloudState, keepFailover: number | null, budget = SEARCH_BUDGET): Consolidation {
  const keep = keepFailover === null ? null : new FailoverKeep(replayed, keepFailover);
  const work: Work = { attempts: 0, losses: 0 };
  const passes = DRAIN_ORDERS.map((order) => runPass(replayed, nextInOrder(order, replayed.hostNames()), keep, work));
  let best = passes.reduce((a, b) => (b.emptied.length > a.emptied.length ? b : a));
  const orders = DRAIN_ORDERS.map((order, index) => ({ order, emptied: passes[index].emptied.map(({ host }) => host) }));
  let from: ConsolidateSearch['best'] = orders[passes.indexOf(best)].order;
  let passCount = passes.length;
  let cut = false;
  const bound = emptiableBound(replayed);
  search: while (best.emptied.length < bound) {
    for (const order of neighbours(best)) {
      if (work.attempts + work.losses >= budget) {
        cut = true;
        break search;
      }
      const trial = runPass(replayed, nextInList(order), keep, work);
      passCount++;
      if (trial.emptied.length > best.emptied.length) {
        best = trial;
        from = 'local search';
        continue search;
      }
    }
    break;
  }
  let outcome: Omit<Pass, 'kept'> = best;
  const direct = drainDirectly(replayed, best.emptied.map(({ host }) => host));
  if (direct !== null && keep === null) outcome = { ...direct, failover: null };
  else if (direct !== null && keep !== null) {
    const check = keep.check(direct.state, work);
    if (check.ok) outcome = { ...direct, failover: check.value };
  }
  const settled = settleKept(outcome, best.kept, keep, work);
  const plan = new Map(replayed.hostNames().map((host, index) => [host, index]));
  settled.kept.sort((a, b) => plan.get(a.host)! - plan.get(b.host)!);
  return { ...settled, search: { orders, best: from, passes: passCount, ...work, cut, upper_bound: bound } };
}

/** One of DRAIN_ORDERS alone, for comparing the search with each (the answer empties at least as many). */
export function emptiedInOrder(replayed: CloudState, order: DrainOrder, keepFailover: number | null): string[] {
  const keep = keepFailover === null ? null : new FailoverKeep(replayed, keepFailover);
  return runPass(replayed, nextInOrder(order, replayed.hostNames()), keep, { attempts: 0, losses: 0 }).emptied.map(({ host }) => host);
}

/**
 * Every host tried once in the order `next` gives, then those that stayed once more on
 * the cloud as it then is (the moves that emptied others have changed where room is).
 */
function runPass(replayed: CloudState, next: NextHost, keep: FailoverKeep | null, work: Work): Pass {
  const pass = new PassInProgress({ emptied: [], failover: keep?.initial ?? null, state: replayed }, keep, work);
  const undecided = new Set(replayed.hostNames());
  while (undecided.size > 0) {
    const host = next(pass.state, undecided);
    undecided.delete(host);
    pass.tryHost(host);
  }
  return settleKept(pass.outcome(), pass.kept, keep, work);
}

/** A pass as it goes: the cloud as its moves left it, the hosts emptied, and those kept with why. */
class PassInProgress {
  state: CloudState;
  readonly kept: KeptHost[] = [];
  private failover: KeptFailover | null;
  private readonly emptied: Consolidation['emptied'];

  constructor(
    from: Omit<Pass, 'kept'>,
    private readonly keep: FailoverKeep | null,
    private readonly work: Work,
  ) {
    this.state = from.state;
    this.failover = from.failover;
    this.emptied = [...from.emptied];
  }

  /** `host` emptied on the cloud as it is now, or kept with why: its service is down, or tryEmptying says. */
  tryHost(host: string): void {
    if (this.state.nodeNamed(host).serviceDown) {
      this.kept.push({ host, why: { kind: 'down' } });
      return;
    }
    const attempt = tryEmptying(this.state, host, this.keep, this.work);
    if (!attempt.ok) {
      this.kept.push({ host, why: attempt.error });
      return;
    }
    ({ state: this.state, failover: this.failover } = attempt.value);
    this.emptied.push({ host, moves: attempt.value.moves });
  }

  outcome(): Omit<Pass, 'kept'> {
    return { emptied: this.emptied, failover: this.failover, state: this.state };
  }
}

/**
 * The local search's moves from the best pass, each a whole order to try: a host that
 * stayed tried first, then the hosts emptied in their order and the others; then also
 * with one emptied host tried last, so that its room may go to two others.
 */
function* neighbours(best: Pass): Generator<string[]> {
  const emptied = best.emptied.map(({ host }) => host);
  const movable = best.kept.filter(({ why }) => why.kind === 'instance' || why.kind === 'failover').map(({ host }) => host);
  const others = (first: string) => best.kept.map(({ host }) => host).filter((host) => host !== first);
  for (const first of movable) yield [first, ...emptied, ...others(first)];
  for (const first of movable) {
    for (const last of emptied) yield [first, ...emptied.filter((host) => host !== last), ...others(first), last];
  }
}

/** The hosts in the order listed: a pass tries each once, so the next is the first not tried yet. */
function nextInList(order: readonly string[]): NextHost {
  let at = 0;
  return (_state, undecided) => {
    while (!undecided.has(order[at])) at++;
    return order[at];
  };
}

/**
 * A simple order's next host. fewest instances: the fewest now (`running_vms`), then the
 * least memory used; least memory used: the other way round; most free after: the one
 * whose emptying leaves the hosts still up the most memory free (the least room of its
 * own plus memory its instances ask for; a host with unlimited memory last). Ties go to
 * the host listed last (the newest). Plan order and its reverse go by the plan's list.
 */
function nextInOrder(order: DrainOrder, hosts: readonly string[]): NextHost {
  if (order === 'plan order') return nextInList(hosts);
  if (order === 'reverse plan order') return nextInList([...hosts].reverse());
  return (state, undecidedSet) => {
    const undecided = [...undecidedSet];
    const usages = new Map(state.hostUsages().map((usage) => [usage.host, usage]));
    const instanceMemory = new Map<string, number>();
    if (order === 'most free after') {
      for (const { host, flavor } of state.hostedInstances()) instanceMemory.set(host, (instanceMemory.get(host) ?? 0) + state.flavorMemory(flavor));
    }
    const key = (host: string): [number, number] => {
      const usage = usages.get(host)!;
      if (order === 'fewest instances') return [usage.running_vms, usage.memory_mb_used];
      if (order === 'least memory used') return [usage.memory_mb_used, usage.running_vms];
      return [Math.max(0, freeAmounts(usage).memory) + (instanceMemory.get(host) ?? 0), usage.running_vms];
    };
    let best = undecided[undecided.length - 1];
    let bestKey = key(best);
    for (let index = undecided.length - 2; index >= 0; index--) {
      const candidate = key(undecided[index]);
      if (candidate[0] < bestKey[0] || (candidate[0] === bestKey[0] && candidate[1] < bestKey[1])) [best, bestKey] = [undecided[index], candidate];
    }
    return best;
  };
}

/**
 * `host` emptied on a clone of `state` and then down; or why it stays: an instance finds
 * no host, or, with `keep`, a loss of N hosts would then strand more than before.
 */
function tryEmptying(state: CloudState, host: string, keep: FailoverKeep | null, work: Work): Result<{ state: CloudState; moves: LiveMove[]; failover: KeptFailover | null }, StayReason> {
  work.attempts++;
  const trial = state.clone();
  const drained = drain(trial, host);
  if (!drained.ok) return drained;
  trial.decide({ op: 'down', host }, 0, QUIET);
  if (keep === null) return success({ state: trial, moves: drained.value, failover: null });
  const check = keep.check(trial, work);
  if (!check.ok) return check;
  return success({ state: trial, moves: drained.value, failover: check.value });
}

/**
 * The hosts that stay, tried once more on the cloud as it ends, so that each says why it
 * stays there; one that now drains is emptied too.
 */
function settleKept(outcome: Omit<Pass, 'kept'>, kept: readonly KeptHost[], keep: FailoverKeep | null, work: Work): Pass {
  const pass = new PassInProgress(outcome, keep, work);
  for (const { host } of kept) pass.tryHost(host);
  return { ...pass.outcome(), kept: pass.kept };
}

/**
 * The hosts found emptiable, emptied again from the replayed cloud with every one of
 * them out of the scheduler's reach (down) but the one being drained, so that each
 * instance moves once, to a host that stays: a pass may have parked an instance on a
 * host it emptied later. Null when that order does not work, for the scheduler then
 * sees fewer hosts at each step; the pass's moves stand.
 */
function drainDirectly(replayed: CloudState, hosts: readonly string[]): { emptied: Consolidation['emptied']; state: CloudState } | null {
  const state = replayed.clone();
  for (const host of hosts) state.decide({ op: 'down', host }, 0, QUIET);
  const emptied: Consolidation['emptied'] = [];
  for (const host of hosts) {
    state.decide({ op: 'up', host }, 0, QUIET);
    const drained = drain(state, host);
    if (!drained.ok) return null;
    state.decide({ op: 'down', host }, 0, QUIET);
    emptied.push({ host, moves: drained.value });
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

/** Every instance of the host live-migrated, largest first; or the first that finds no host. */
function drain(state: CloudState, host: string): Result<LiveMove[], StayReason> {
  const moves: LiveMove[] = [];
  for (const { instance, flavor } of instancesToMove(state, host)) {
    const decision = state.decide({ op: 'live_migrate', instance, flavor: null, host: null, expect: null }, 0, QUIET);
    if (decision.result !== 'claimed') return failure({ kind: 'instance', instance, flavor, reasons: decision.reasons, causes: decision.causes ?? [] });
    moves.push({ instance, flavor, from: host, to: decision.host! });
  }
  // What the plan's `used:` counts, an unconfirmed move's source or an evacuated
  // instance's remains stay on the host: it is not empty.
  const { running_vms } = state.hostUsages().find((usage) => usage.host === host)!;
  return running_vms > 0 ? failure({ kind: 'holds', running_vms }) : success(moves);
}

/**
 * `--keep failover:N` (docs/semantics.md, "Consolidate"): what each loss of N of the hosts
 * up before any is emptied strands then, and whether a cloud with some emptied keeps it.
 * Up to EXACT_COMBINATIONS_LIMIT combinations, each loss is compared with itself: after,
 * the hosts of it still up go down (an emptied one strands nothing). Past that, the worst
 * loss failover's greedy search finds is compared with the worst it found before.
 */
class FailoverKeep {
  /** the check of the replayed cloud itself */
  readonly initial: KeptFailover;
  private readonly k: number;
  /** every combination of k hosts up before, when they are compared one by one */
  private readonly combinations: string[][] | null;
  /** what each of `combinations` stranded before */
  private readonly before: number[] = [];
  /** the combination that broke the last check, compared first in the next (the same loss often breaks it again) */
  private lastBroken = 0;

  constructor(replayed: CloudState, hosts: number) {
    const up = upHosts(replayed);
    this.k = Math.min(hosts, up.length);
    const failover = new Failover(replayed);
    if (combinationCount(up.length, this.k) > EXACT_COMBINATIONS_LIMIT) {
      this.combinations = null;
      const worst = worstCountedLoss(failover, up, this.k);
      this.initial = { hosts, ...worst.search, before: worst.stranded.length, after: worst.stranded.length, lost: worst.lost };
      return;
    }
    this.combinations = [...combinationsOf(up, this.k)];
    let worst = 0;
    this.combinations.forEach((lost, index) => {
      this.before.push(failover.lose(lost).stranded.length);
      if (this.before[index] > this.before[worst]) worst = index;
    });
    const count = this.combinations.length;
    this.initial = { hosts, method: 'exact', combinations: count, evaluated: count, before: this.before[worst] ?? 0, after: this.before[worst] ?? 0, lost: this.combinations[worst] ?? [] };
  }

  check(state: CloudState, work: Work): Result<KeptFailover, StayReason> {
    const failover = new Failover(state);
    if (this.combinations === null) {
      const up = upHosts(state);
      const worst = worstCountedLoss(failover, up, Math.min(this.k, up.length));
      work.losses += worst.search.evaluated;
      if (worst.stranded.length > this.initial.before) return failure({ kind: 'failover', lost: worst.lost, stranded: worst.stranded, before: this.initial.before });
      return success({ ...this.initial, ...worst.search, after: worst.stranded.length, lost: worst.lost });
    }
    const down = new Set(this.combinations.flat().filter((host) => state.nodeNamed(host).serviceDown));
    const strandedBy = new Map<string, StrandedInstance[]>();
    const lose = (lost: string[]) => {
      const stillUp = lost.filter((host) => !down.has(host));
      const key = stillUp.join('\n');
      let stranded = strandedBy.get(key);
      if (stranded === undefined) {
        stranded = stillUp.length === 0 ? [] : failover.lose(stillUp).stranded;
        strandedBy.set(key, stranded);
        work.losses += Math.min(1, stillUp.length);
      }
      return stranded;
    };
    const broken = this.combinations[this.lastBroken];
    if (broken !== undefined && lose(broken).length > this.before[this.lastBroken]) return failure(this.brokenBy(this.lastBroken, lose(broken)));
    let worst = 0;
    let worstCount = -1;
    for (let index = 0; index < this.combinations.length; index++) {
      const stranded = lose(this.combinations[index]);
      if (stranded.length > this.before[index]) {
        this.lastBroken = index;
        return failure(this.brokenBy(index, stranded));
      }
      if (stranded.length > worstCount) [worst, worstCount] = [index, stranded.length];
    }
    return success({ ...this.initial, evaluated: strandedBy.size, after: Math.max(0, worstCount), lost: this.combinations[worst] ?? [] });
  }

  private brokenBy(index: number, stranded: StrandedInstance[]): StayReason {
    return { kind: 'failover', lost: this.combinations![index], stranded, before: this.before[index] };
  }
}

function upHosts(state: CloudState): string[] {
  return state.hostNames().filter((host) => !state.nodeNamed(host).serviceDown);
}

/**
 * At most how many hosts can be emptied, by arithmetic alone: the hosts that would stay
 * must have room, in memory, disk and vCPUs each, for what every instance on a host up
 * takes at least (`leastTaken`). A host that stays has room for what it has free (none
 * when past its limit) plus the most its own instances take there (`mostTaken`). A host
 * down stays, and so does one that runs what no instance accounts for (`holds`); of the
 * others, the fewest that could hold it all are those with the most room.
 */
export function emptiableBound(replayed: CloudState): number {
  const flavors = new Map(replayed.cloud.flavors.map((flavor) => [flavor.name, flavor]));
  const up = upHosts(replayed);
  const usages = new Map(replayed.hostUsages().map((usage) => [usage.host, usage]));
  const hosted = new Map<string, HostedInstance[]>(up.map((host) => [host, []]));
  for (const instance of replayed.hostedInstances()) hosted.get(instance.host)?.push(instance);
  const demand: Amounts = { memory: 0, disk: 0, vcpu: 0 };
  const stays: Amounts = { memory: 0, disk: 0, vcpu: 0 };
  const rooms: Amounts[] = [];
  for (const host of up) {
    const usage = usages.get(host)!;
    const free = freeAmounts(usage);
    const room: Amounts = { memory: Math.max(0, free.memory), disk: Math.max(0, free.disk), vcpu: Math.max(0, free.vcpu) };
    for (const instance of hosted.get(host)!) {
      const flavor = flavors.get(instance.flavor)!;
      const least = leastTaken(flavor, instance.bootFromVolume);
      const most = mostTaken(flavor, replayed.nodeNamed(host).spec);
      for (const dimension of DIMENSIONS) {
        demand[dimension] += least[dimension];
        room[dimension] += most[dimension];
      }
    }
    if (usage.running_vms > hosted.get(host)!.length) for (const dimension of DIMENSIONS) stays[dimension] += room[dimension];
    else rooms.push(room);
  }
  let needed = 0;
  for (const dimension of DIMENSIONS) {
    const largest = rooms.map((room) => room[dimension]).sort((a, b) => b - a);
    let room = stays[dimension];
    let count = 0;
    while (room < demand[dimension] && count < largest.length) room += largest[count++];
    needed = Math.max(needed, count);
  }
  return rooms.length - needed;
}
