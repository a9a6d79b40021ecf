// One replay of the plan with hosts added at given counts (docs/semantics.md, "Expand"):
// whether every build an added host could take is claimed, which refused builds no added
// host could take and why, and, with a failover target, whether losing hosts strands an
// instance an added host could take. The command runs these at the counts the search
// (search.ts) proposes, on threads when it likes.
import { CloudState } from '../../core/cloud-state.ts';
import { Failover, type StrandedInstance } from '../failover.ts';
import type { BuildRequest, Cloud, Decision, RejectionCause, Request } from '../../core/model.ts';
import { replay } from '../../core/replay.ts';
import { worstCountedLoss } from '../worst-loss.ts';
import { cloudWithAdded, type Asked, type BeyondReason, type Position, type SkuProbe } from './sku.ts';

const QUIET = { audit: false, explain: false };

/** A build an added host could have taken, refused at this count. */
export interface RejectedBuild {
  seq: number;
  instance: string;
  flavor: string;
  aggregate: string | null;
  reasons: string[];
  causes: RejectionCause[];
}

/** A build refused at this count that no added host could take, and why. */
export interface BeyondBuild {
  seq: number;
  instance: string;
  flavor: string;
  /** the host the build named, or that refused it */
  host: string | null;
  reasons: string[];
  /** why the scheduler found no host, when it looked */
  causes: RejectionCause[];
  why: BeyondReason;
}

/** Whether losing `hosts` hosts strands an instance an added host could take, after the replay. */
export interface FailoverCheck {
  hosts: number;
  /** exact: every combination of that many hosts lost; greedy: failover's `--k` search (docs/semantics.md, "Failover") */
  method: 'exact' | 'greedy';
  combinations: number;
  evaluated: number;
  /** the loss stranding most such instances (the first one tried when none does) */
  worst: { lost: string[]; stranded: StrandedInstance[]; beyond: number };
}

/** One replay of the plan with hosts added. */
export interface CountReplay {
  /** hosts added of each SKU, in the order given */
  counts: number[];
  hosts: number;
  builds: number;
  claimed: number;
  rejected: number;
  /** rejected builds an added host could take: the target is none */
  short: number;
  /** the first of them, with Nova's reasons */
  failed: RejectedBuild[];
  /** rejected builds no added host can take, which the target does not count */
  beyond: BeyondBuild[];
  beyond_count: number;
  failover: FailoverCheck | null;
  /** no build short of hosts, and no loss of `failover.hosts` hosts strands an instance an added host could take */
  meets: boolean;
  /** false when the replay stopped at the first build short of hosts (`stopEarly`): the counts are then partial */
  complete: boolean;
  /**
   * How many added hosts' worth of instances found no host at the worst moment: the most,
   * over the replay, that the builds short of hosts and not yet deleted take of an empty
   * added host (ProbeFit.weight), counted with what the worst loss strands. The search
   * estimates the next count from it (search.ts).
   */
  shortfall: number;
}

/** How many rejected builds of each kind a replay keeps with their reasons; the counts are always whole. */
const BUILDS_LISTED = 1000;

/** An instance the plan's hosts started with asked for no aggregate, zone, project or image, and boots from an image. */
const ASKED_NOTHING: Asked = { aggregate: null, bootFromVolume: false, availability_zone: null, project: null, image: null };

function askedBy(request: BuildRequest): Asked {
  return {
    aggregate: request.aggregate,
    bootFromVolume: request.boot_from_volume ?? false,
    availability_zone: request.availability_zone ?? null,
    project: request.project ?? null,
    image: request.image ?? null,
  };
}

/**
 * Replays the plan with `counts` hosts of `probe.skus` added and says whether the target
 * holds: every build an added host of these SKUs could take is claimed, and, when
 * `failoverHosts` is given, no loss of that many hosts (added ones included) strands an
 * instance an added host could take.
 */
export function replayWithAdded(
  cloud: Cloud,
  requests: Iterable<Request>,
  probe: SkuProbe,
  counts: readonly number[],
  position: Position,
  failoverHosts: number | null,
  /** stop at the first build short of hosts: enough to know the count falls short */
  stopEarly = false,
): CountReplay {
  const state = CloudState.start(cloudWithAdded(cloud, probe.skus, counts, position));
  const outcome = emptyOutcome(counts);
  const asked = failoverHosts === null ? null : new Map<string, Asked>();
  const unplaced = new Unplaced();
  let current: Request | null = null;
  const tapped = function* (): Generator<Request> {
    for (const request of requests) yield (current = request);
  };
  for (const decision of replay(state, tapped(), QUIET)) {
    const request = current!;
    if (request.op === 'delete') asked?.delete(request.instance);
    // A name deleted, or built again, no longer stands for a build that found no host.
    if (request.op === 'delete' || request.op === 'build') unplaced.leave(request.instance);
    if (request.op !== 'build') continue;
    if (decision.result === 'claimed') asked?.set(request.instance, askedBy(request));
    const shortOfHosts = tallyBuild(outcome, request, decision, probe);
    if (!shortOfHosts) continue;
    if (stopEarly) {
      outcome.complete = false;
      return outcome;
    }
    unplaced.add(request.instance, hostShare(probe, request.flavor, askedBy(request)));
  }
  let stranded = 0;
  if (failoverHosts !== null) {
    outcome.failover = checkFailover(state, probe, asked!, failoverHosts);
    for (const instance of outcome.failover.worst.stranded) stranded += hostShare(probe, instance.flavor, asked!.get(instance.instance) ?? ASKED_NOTHING);
  }
  outcome.shortfall = Math.max(unplaced.peak, unplaced.now + stranded);
  outcome.meets = outcome.short === 0 && (outcome.failover === null || outcome.failover.worst.stranded.length === 0);
  return outcome;
}

/** The builds short of hosts that are not deleted yet, by the share of an added host each takes. */
class Unplaced {
  private readonly shares = new Map<string, number>();
  now = 0;
  peak = 0;

  add(instance: string, share: number): void {
    this.shares.set(instance, share);
    this.now += share;
    this.peak = Math.max(this.peak, this.now);
  }

  leave(instance: string): void {
    const share = this.shares.get(instance);
    if (share === undefined) return;
    this.shares.delete(instance);
    this.now -= share;
  }
}

/** The least share of an empty added host an instance of the flavor takes, among the SKUs whose host could take it. */
function hostShare(probe: SkuProbe, flavor: string, asked: Asked): number {
  let share = 1;
  for (const fit of probe.fits(flavor, asked)) if (fit.takes) share = Math.min(share, fit.weight);
  return share;
}

function emptyOutcome(counts: readonly number[]): CountReplay {
  return {
    counts: [...counts],
    hosts: counts.reduce((sum, count) => sum + count, 0),
    builds: 0,
    claimed: 0,
    rejected: 0,
    short: 0,
    failed: [],
    beyond: [],
    beyond_count: 0,
    failover: null,
    meets: false,
    complete: true,
    shortfall: 0,
  };
}

/** Counts one build's decision; whether it was rejected for want of hosts an added one could be. */
function tallyBuild(outcome: CountReplay, request: BuildRequest, decision: Decision, probe: SkuProbe): boolean {
  outcome.builds++;
  if (decision.result === 'claimed') {
    outcome.claimed++;
    return false;
  }
  outcome.rejected++;
  const why = beyondReason(request, decision, probe);
  if (why !== null) {
    outcome.beyond_count++;
    if (outcome.beyond.length < BUILDS_LISTED) {
      outcome.beyond.push({ seq: decision.seq, instance: request.instance, flavor: request.flavor, host: decision.host, reasons: decision.reasons, causes: decision.causes ?? [], why });
    }
    return false;
  }
  outcome.short++;
  if (outcome.failed.length < BUILDS_LISTED) {
    const { seq, reasons } = decision;
    outcome.failed.push({ seq, instance: request.instance, flavor: request.flavor, aggregate: request.aggregate, reasons, causes: decision.causes ?? [] });
  }
  return true;
}

/** Why no added host could take this refused build; null when one could. */
function beyondReason(request: BuildRequest, decision: Decision, probe: SkuProbe): BeyondReason | null {
  if (request.host !== null) return { kind: 'named host', host: request.host };
  // Only a build the API refuses comes back from the scheduler's path without causes.
  if (decision.causes === null) return { kind: 'refused by the API' };
  return beyondScheduling(request.flavor, askedBy(request), decision.causes, probe);
}

function beyondScheduling(flavor: string, asked: Asked, causes: readonly RejectionCause[], probe: SkuProbe): BeyondReason | null {
  const affinity = causes.find((cause) => cause.server_group?.policy === 'affinity');
  if (affinity) return { kind: 'affinity', group: affinity.server_group!.name };
  const fits = probe.fits(flavor, asked);
  if (fits.some((fit) => fit.takes)) return null;
  return fits.find((fit) => fit.beyond?.kind === 'fits no empty host')?.beyond ?? fits[0].beyond;
}

/**
 * Losses of `k` hosts, as `failover --k` runs them (worst-loss.ts): the worst is the loss
 * stranding most instances an added host could take.
 */
function checkFailover(state: CloudState, probe: SkuProbe, asked: ReadonlyMap<string, Asked>, k: number): FailoverCheck {
  const hosts = state.hostNames();
  if (k > hosts.length) return { hosts: k, method: 'exact', combinations: 0, evaluated: 0, worst: { lost: [], stranded: [], beyond: 0 } };
  const helpable = (stranded: StrandedInstance[]) =>
    stranded.filter((instance) => beyondScheduling(instance.flavor, asked.get(instance.instance) ?? ASKED_NOTHING, instance.causes, probe) === null);
  const { lost, stranded, counted, search } = worstCountedLoss(new Failover(state), hosts, k, helpable);
  return { hosts: k, ...search, worst: { lost, stranded: counted, beyond: stranded.length - counted.length } };
}
