// "How many hosts do we buy?" (docs/semantics.md, "Expand"): the plan replayed with
// added hosts copied from a SKU, at counts chosen by a search between a lower bound
// from capacity arithmetic and an upper bound past which, by the same arithmetic, no
// build an added host could take is ever refused. Pure: the command drives the search
// and runs the replays, on threads when it likes (src/cli/run/expand.ts).
import { CloudState } from './cloud-state.ts';
import { EXACT_COMBINATIONS_LIMIT, Failover, combinationCount, combinationsOf, type StrandedInstance } from './failover.ts';
import type { BuildRequest, Cloud, Decision, HostSpec, HostUsage, RejectionCause, Request, ServerGroup } from './model.ts';
import { replay } from './replay.ts';

/** A kind of host that can be bought: a host of the plan, a host group, or a `host_templates:` entry. */
export interface Sku {
  /** what `--add` called it */
  name: string;
  /** everything a new host of this kind has; its name, instances and usage are not used */
  prototype: HostSpec;
  /** what one host costs, when the template says; null when it does not */
  cost: number | null;
  /** the name of the n-th host added, counting from 1 */
  hostName(n: number): string;
}

/** Where added hosts go in the host list, which is the scheduler's tie-breaker (docs/semantics.md, "Expand"). */
export type Position = 'first' | 'last';

/** New, empty hardware: the SKU's figures and settings, no instances, no usage. */
export function addedHosts(sku: Sku, count: number): HostSpec[] {
  const hosts: HostSpec[] = [];
  for (let n = 1; n <= count; n++) {
    hosts.push({ ...structuredClone(sku.prototype), name: sku.hostName(n), instances: [], used: { memory_mb: 0, local_gb: 0, vcpus: 0, running_vms: 0 } });
  }
  return hosts;
}

/** The cloud with `counts[i]` hosts of `skus[i]` added, before or after the plan's own. */
export function cloudWithAdded(cloud: Cloud, skus: readonly Sku[], counts: readonly number[], position: Position): Cloud {
  const added = skus.flatMap((sku, index) => addedHosts(sku, counts[index] ?? 0));
  return { ...cloud, hosts: position === 'first' ? [...added, ...cloud.hosts] : [...cloud.hosts, ...added] };
}

/**
 * Why no added host can take a build, so that it does not count toward the target:
 * the build names a host; the API refuses it before any scheduling; no SKU carries the
 * aggregate it asks for; an empty host of each SKU refuses it (Nova's reasons from the
 * first SKU); or its affinity server group keeps it on its members' hosts.
 */
export type BeyondReason =
  | { kind: 'named host'; host: string }
  | { kind: 'refused by the API' }
  | { kind: 'aggregate'; aggregate: string }
  | { kind: 'fits no empty host'; sku: string; reasons: string[] }
  | { kind: 'affinity'; group: string };

/** What an empty host of one SKU says to one kind of build. */
interface ProbeFit {
  takes: boolean;
  /** why not, when it does not */
  beyond: BeyondReason | null;
  /**
   * An upper bound on the share of an empty host one instance takes: 1 / how many fit on
   * an empty host, or 1 for a NUMA or PCI flavor, whose claims do not simply add up.
   */
  weight: number;
}

/** Past this many instances of one flavor on an empty host the weight stays 1/PROBE_LIMIT, which only loosens the upper bound. */
const PROBE_LIMIT = 1000;
const QUIET = { audit: false, explain: false };

/** Asks an empty host of each SKU about each kind of build, once. */
export class SkuProbe {
  private readonly empty: CloudState[];
  private readonly answers = new Map<string, ProbeFit[]>();

  constructor(
    cloud: Cloud,
    readonly skus: readonly Sku[],
  ) {
    this.empty = skus.map((sku) => CloudState.start({ ...cloud, hosts: addedHosts(sku, 1), server_groups: [] }));
  }

  /** The empty host's usage: what one added host offers. */
  usage(index: number): HostUsage {
    return this.empty[index].hostUsages()[0];
  }

  fits(flavor: string, aggregate: string | null, bootFromVolume: boolean): ProbeFit[] {
    const key = `${flavor}\u0000${aggregate ?? ''}\u0000${bootFromVolume}`;
    let fits = this.answers.get(key);
    if (!fits) this.answers.set(key, (fits = this.skus.map((sku, index) => this.probe(index, sku, flavor, aggregate, bootFromVolume))));
    return fits;
  }

  private probe(index: number, sku: Sku, flavor: string, aggregate: string | null, bootFromVolume: boolean): ProbeFit {
    if (aggregate !== null && !sku.prototype.aggregates.includes(aggregate)) return { takes: false, beyond: { kind: 'aggregate', aggregate }, weight: 1 };
    const state = this.empty[index].clone();
    const build = (n: number, host: string | null): BuildRequest => ({ op: 'build', instance: `probe-${n}`, flavor, host, aggregate, expect: null, ...(bootFromVolume ? { boot_from_volume: true } : {}) });
    let count = 0;
    while (count < PROBE_LIMIT && state.decide(build(count + 1, null), count + 1, QUIET).result === 'claimed') count++;
    if (count === 0) {
      // The claim's own words, as a build sent to that host would get them.
      const named = this.empty[index].clone().decide(build(1, sku.hostName(1)), 1, QUIET);
      return { takes: false, beyond: { kind: 'fits no empty host', sku: sku.name, reasons: named.reasons }, weight: 1 };
    }
    const { topology } = state.requestSpec(flavor, bootFromVolume);
    return { takes: true, beyond: null, weight: topology.numa !== null || topology.pci.length > 0 ? 1 : 1 / count };
  }
}

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
}

/** How many rejected builds of each kind a replay keeps with their reasons; the counts are always whole. */
export const BUILDS_LISTED = 1000;

/** What a build asked for, kept while it lives, to say later whether an added host could take it back. */
interface Asked {
  aggregate: string | null;
  bootFromVolume: boolean;
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
  const outcome: CountReplay = {
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
  };
  const asked = failoverHosts === null ? null : new Map<string, Asked>();
  let current: Request | null = null;
  const tapped = function* (): Generator<Request> {
    for (const request of requests) yield (current = request);
  };
  for (const decision of replay(state, tapped(), QUIET)) {
    const request = current!;
    if (request.op === 'delete') asked?.delete(request.instance);
    if (request.op !== 'build') continue;
    outcome.builds++;
    if (decision.result === 'claimed') {
      outcome.claimed++;
      asked?.set(request.instance, { aggregate: request.aggregate, bootFromVolume: request.boot_from_volume ?? false });
      continue;
    }
    outcome.rejected++;
    const why = beyondReason(request, decision, probe);
    if (why === null) {
      outcome.short++;
      if (outcome.failed.length < BUILDS_LISTED) {
        const { seq, reasons } = decision;
        outcome.failed.push({ seq, instance: request.instance, flavor: request.flavor, aggregate: request.aggregate, reasons, causes: decision.causes ?? [] });
      }
      if (stopEarly) {
        outcome.complete = false;
        return outcome;
      }
    } else {
      outcome.beyond_count++;
      if (outcome.beyond.length < BUILDS_LISTED) {
        outcome.beyond.push({ seq: decision.seq, instance: request.instance, flavor: request.flavor, host: decision.host, reasons: decision.reasons, causes: decision.causes ?? [], why });
      }
    }
  }
  if (failoverHosts !== null) outcome.failover = checkFailover(state, probe, asked!, failoverHosts);
  outcome.meets = outcome.short === 0 && (outcome.failover === null || outcome.failover.worst.stranded.length === 0);
  return outcome;
}

/** Why no added host could take this refused build; null when one could. */
function beyondReason(request: BuildRequest, decision: Decision, probe: SkuProbe): BeyondReason | null {
  if (request.host !== null) return { kind: 'named host', host: request.host };
  // Only a build the API refuses comes back from the scheduler's path without causes.
  if (decision.causes === null) return { kind: 'refused by the API' };
  return beyondScheduling(request.flavor, request.aggregate, request.boot_from_volume ?? false, decision.causes, probe);
}

function beyondScheduling(flavor: string, aggregate: string | null, bootFromVolume: boolean, causes: readonly RejectionCause[], probe: SkuProbe): BeyondReason | null {
  const affinity = causes.find((cause) => cause.server_group?.policy === 'affinity');
  if (affinity) return { kind: 'affinity', group: affinity.server_group!.name };
  const fits = probe.fits(flavor, aggregate, bootFromVolume);
  if (fits.some((fit) => fit.takes)) return null;
  return fits.find((fit) => fit.beyond?.kind === 'fits no empty host')?.beyond ?? fits[0].beyond;
}

/**
 * Losses of `k` hosts, as `failover --k` runs them: every combination while there are at
 * most EXACT_COMBINATIONS_LIMIT, else its greedy search. The worst is the loss stranding
 * most instances an added host could take.
 */
function checkFailover(state: CloudState, probe: SkuProbe, asked: ReadonlyMap<string, Asked>, k: number): FailoverCheck {
  const failover = new Failover(state);
  const hosts = state.hostNames();
  const split = (stranded: readonly StrandedInstance[]) => {
    // An instance the plan's hosts started with asked for no aggregate and boots from an image.
    const helpable = stranded.filter((instance) => {
      const build = asked.get(instance.instance);
      return beyondScheduling(instance.flavor, build?.aggregate ?? null, build?.bootFromVolume ?? false, instance.causes, probe) === null;
    });
    return { stranded: helpable, beyond: stranded.length - helpable.length };
  };
  const combinations = combinationCount(hosts.length, k);
  if (k > hosts.length) return { hosts: k, method: 'exact', combinations: 0, evaluated: 0, worst: { lost: [], stranded: [], beyond: 0 } };
  if (combinations <= EXACT_COMBINATIONS_LIMIT) {
    let worst: FailoverCheck['worst'] | null = null;
    let evaluated = 0;
    for (const lost of combinationsOf(hosts, k)) {
      evaluated++;
      const scenario = failover.lose(lost);
      const found = { lost, ...split(scenario.stranded) };
      if (worst === null || found.stranded.length > worst.stranded.length) worst = found;
    }
    return { hosts: k, method: 'exact', combinations, evaluated, worst: worst! };
  }
  const { scenario, search } = failover.worstLoss(hosts, k);
  return { hosts: k, method: 'greedy', combinations, evaluated: search.evaluated, worst: { lost: scenario.lost, ...split(scenario.stranded) } };
}

/** The bounds the search runs between, for one SKU added alone. */
export interface CountBounds {
  /**
   * Fewer hosts cannot hold, on top of what the plan's hosts have free, the memory, disk
   * or vCPUs the builds an added host could take ask for at their peak, all claimed.
   */
  lower: number;
  /**
   * With this many hosts or more, every build an added host could take finds one with
   * room (and, with `failoverHosts`, so does every evacuation), by counting how full the
   * added hosts can be; see docs/semantics.md, "Expand".
   */
  upper: number;
  /** scheduled builds an empty host of the SKU can take */
  builds: number;
}

const DIMENSIONS = ['memory', 'disk', 'vcpu'] as const;
type Dimension = (typeof DIMENSIONS)[number];
type Amounts = Record<Dimension, number>;

/** Flavor extra specs that ask Placement for other amounts than the flavor's own (docs/plan-format.md). */
const RESOURCE_OVERRIDE = /^resources[^:]*:(MEMORY_MB|DISK_GB|VCPU|PCPU)$/;

/**
 * What a build surely takes of each resource on any host of either capacity model: a
 * resource whose amount an extra spec may change, or that a dedicated CPU policy moves to
 * PCPU, counts as 0, which can only lower the lower bound.
 */
function leastTaken(flavor: Cloud['flavors'][number], bootFromVolume: boolean): Amounts {
  const overridden = new Set(Object.keys(flavor.extra_specs).flatMap((key) => RESOURCE_OVERRIDE.exec(key)?.[1] ?? []));
  const policy = flavor.extra_specs['hw:cpu_policy'];
  const pinned = policy === 'dedicated' || policy === 'mixed' || overridden.has('PCPU');
  return {
    memory: overridden.has('MEMORY_MB') ? 0 : flavor.memory_mb,
    disk: overridden.has('DISK_GB') ? 0 : flavor.ephemeral_gb + (bootFromVolume ? 0 : flavor.root_gb),
    vcpu: overridden.has('VCPU') || pinned ? 0 : flavor.vcpus,
  };
}

/**
 * At most what a claim of the flavor on that host takes: its amounts and the host's
 * overhead; Infinity for a resource an extra spec may ask more of.
 */
function mostTaken(flavor: Cloud['flavors'][number], host: HostSpec): Amounts {
  const overridden = new Set(Object.keys(flavor.extra_specs).flatMap((key) => RESOURCE_OVERRIDE.exec(key)?.[1] ?? []));
  return {
    memory: overridden.has('MEMORY_MB') ? Infinity : flavor.memory_mb + host.overhead.memory_mb,
    disk: overridden.has('DISK_GB') ? Infinity : flavor.root_gb + flavor.ephemeral_gb + host.overhead.disk_gb,
    vcpu: overridden.has('VCPU') ? Infinity : flavor.vcpus,
  };
}

const PLACEMENT_CLASS: Record<Dimension, string> = { memory: 'MEMORY_MB', disk: 'DISK_GB', vcpu: 'VCPU' };

/** What a host has free of each resource, under its own capacity model; Infinity when nothing limits it. */
function freeAmounts(usage: HostUsage): Amounts {
  if (usage.inventories) {
    const inventories = usage.inventories;
    const free = (dimension: Dimension) => {
      const resourceClass = PLACEMENT_CLASS[dimension];
      const inventory = inventories[resourceClass];
      if (!inventory) return 0;
      return (inventory.total - inventory.reserved) * inventory.allocation_ratio - (usage.usages?.[resourceClass] ?? 0);
    };
    return { memory: free('memory'), disk: free('disk'), vcpu: free('vcpu') };
  }
  const { limits } = usage;
  return {
    memory: limits.memory_mb === null ? Infinity : limits.memory_mb - usage.memory_mb_used,
    disk: limits.disk_gb === null ? Infinity : limits.disk_gb - usage.local_gb_used,
    vcpu: limits.vcpu === null ? Infinity : limits.vcpu - usage.vcpus_used,
  };
}

/** Resources of some hosts: every host's (scope null), or an aggregate's. */
interface Scope {
  /** what the plan's hosts in scope have free */
  free: Amounts;
  /** per SKU: what the builds in scope an added host of it could take ask for, at least */
  demand: Amounts[];
}

/**
 * Fewer hosts than the lower bound cannot hold what the builds ask for: every build an
 * added host can take being claimed, the builds live at any moment take at least their
 * `leastTaken` amounts, from what the plan's hosts have free and what the added ones
 * offer, in all and in each aggregate. The plan's hosts count as free what the model
 * says at the start, plus the most an instance they started with gives back when deleted.
 */
class LowerBound {
  private readonly scopes = new Map<string | null, Scope>();
  private readonly offered: Amounts[];
  readonly bounds: number[];

  constructor(
    cloud: Cloud,
    private readonly probe: SkuProbe,
  ) {
    this.offered = probe.skus.map((_, index) => freeAmounts(probe.usage(index)));
    this.bounds = probe.skus.map(() => 0);
    const usages = CloudState.start(cloud).hostUsages();
    // A host already past its limit has no room, and owes none to the others.
    cloud.hosts.forEach((host, index) => {
      const free = freeAmounts(usages[index]);
      this.release(host, { memory: Math.max(0, free.memory), disk: Math.max(0, free.disk), vcpu: Math.max(0, free.vcpu) });
    });
  }

  private scope(aggregate: string | null): Scope {
    let scope = this.scopes.get(aggregate);
    if (!scope) {
      const none = (): Amounts => ({ memory: 0, disk: 0, vcpu: 0 });
      this.scopes.set(aggregate, (scope = { free: none(), demand: this.probe.skus.map(none) }));
    }
    return scope;
  }

  /** Room on a plan's host, free from the start or given back. */
  release(host: HostSpec, amounts: Amounts): void {
    for (const scope of [this.scope(null), ...host.aggregates.map((label) => this.scope(label))]) {
      for (const dimension of DIMENSIONS) scope.free[dimension] += amounts[dimension];
    }
  }

  /** A build an added host of SKU `index` could take, live (1) or gone (−1). */
  ask(index: number, aggregate: string | null, amounts: Amounts, sign: 1 | -1): void {
    for (const scope of aggregate === null ? [this.scope(null)] : [this.scope(null), this.scope(aggregate)]) {
      for (const dimension of DIMENSIONS) scope.demand[index][dimension] += sign * amounts[dimension];
    }
  }

  /** After a build: the hosts needed for what the builds now live ask for, in all and in its aggregate. */
  raise(aggregate: string | null): void {
    for (const label of aggregate === null ? [null] : [null, aggregate]) {
      const scope = this.scope(label);
      this.probe.skus.forEach((sku, index) => {
        if (label !== null && !sku.prototype.aggregates.includes(label)) return;
        for (const dimension of DIMENSIONS) {
          const offered = this.offered[index][dimension];
          const missing = scope.demand[index][dimension] - scope.free[dimension];
          if (missing > 0 && offered > 0 && Number.isFinite(offered) && Number.isFinite(scope.free[dimension])) {
            this.bounds[index] = Math.max(this.bounds[index], Math.ceil(missing / offered - 1e-9));
          }
        }
      });
    }
  }
}

/** One live instance, as the bounds count it. */
interface Counted {
  flavor: string;
  aggregate: string | null;
  bootFromVolume: boolean;
  group: string | null;
  /** placed by the scheduler during the replay (or moved), so possibly on an added host */
  scheduled: boolean;
  /** what it adds to the lower bound's demand; null when it adds nothing */
  demand: Amounts | null;
}

/** How full added hosts can be: instances, their weights, and each anti-affinity group's members. */
class Tally {
  count = 0;
  weight = 0;
  readonly members = new Map<string, number>();

  add(fit: ProbeFit, group: string | null, sign: 1 | -1): void {
    this.count += sign;
    this.weight += sign * fit.weight;
    if (group !== null) this.members.set(group, (this.members.get(group) ?? 0) + sign);
  }

  /**
   * Enough added hosts that one of them must take a build of this weight: were every
   * added host (there is one at least) to refuse it, each would hold an instance (so the
   * count bound), and each not refused by the anti-affinity group would be fuller than
   * 1 − weight (so the weight bound).
   */
  enough(fit: ProbeFit, group: ServerGroup | null): number {
    const byCount = this.count + 1;
    if (fit.weight >= 1) return byCount;
    const groupFull = group?.policy === 'anti-affinity' ? Math.floor((this.members.get(group.name) ?? 0) / group.max_server_per_host) : 0;
    // The weight bound sums over the added hosts, so it needs one at least.
    const byWeight = Math.max(1, Math.ceil(groupFull + this.weight / (1 - fit.weight) - 1e-9));
    return Math.min(byCount, byWeight);
  }
}

/**
 * The lower and upper bound for each SKU added alone, from one walk through the requests,
 * every build taken as claimed (the target asks for that of the builds an added host can
 * take). `failoverHosts`: the upper bound also covers evacuating after losing that many.
 */
export function countBounds(cloud: Cloud, requests: Iterable<Request>, probe: SkuProbe, failoverHosts: number | null): CountBounds[] {
  const skus = probe.skus;
  const flavors = new Map(cloud.flavors.map((flavor) => [flavor.name, flavor]));
  const groups = new Map((cloud.server_groups ?? []).map((group) => [group.name, group]));
  const hostOf = new Map(cloud.hosts.flatMap((host) => host.instances.map((instance) => [instance.name, host] as const)));
  const lower = new LowerBound(cloud, probe);
  const upper = skus.map(() => 0);
  const builds = skus.map(() => 0);
  const duringReplay = skus.map(() => new Tally());
  const live = new Map<string, Counted[]>();

  const fitsOf = (counted: Counted) => probe.fits(counted.flavor, counted.aggregate, counted.bootFromVolume);
  /** Adds (or takes away) what a live instance counts for, toward each SKU that could take it. */
  const count = (counted: Counted, sign: 1 | -1, demandOnly = false) => {
    const fits = fitsOf(counted);
    skus.forEach((_, index) => {
      if (!fits[index].takes) return;
      if (counted.scheduled && !demandOnly) duringReplay[index].add(fits[index], counted.group, sign);
      if (counted.demand) lower.ask(index, counted.aggregate, counted.demand, sign);
    });
  };

  for (const host of cloud.hosts) {
    for (const instance of host.instances) {
      live.set(instance.name, [{ flavor: instance.flavor, aggregate: null, bootFromVolume: false, group: null, scheduled: false, demand: null }]);
    }
  }
  for (const request of requests) {
    if (request.op === 'build') {
      const flavor = flavors.get(request.flavor)!;
      const bootFromVolume = request.boot_from_volume ?? false;
      const group = request.group === undefined ? null : groups.get(request.group) ?? null;
      const scheduled = request.host === null;
      const counted: Counted = { flavor: request.flavor, aggregate: request.aggregate, bootFromVolume, group: group?.name ?? null, scheduled, demand: scheduled ? leastTaken(flavor, bootFromVolume) : null };
      if (scheduled && group?.policy !== 'affinity') {
        const fits = fitsOf(counted);
        skus.forEach((_, index) => {
          if (!fits[index].takes) return;
          builds[index]++;
          upper[index] = Math.max(upper[index], duringReplay[index].enough(fits[index], group));
        });
      }
      count(counted, 1);
      live.set(request.instance, [...(live.get(request.instance) ?? []), counted]);
      lower.raise(counted.aggregate);
    } else if (request.op === 'delete') {
      const gone = live.get(request.instance) ?? [];
      live.delete(request.instance);
      for (const counted of gone) count(counted, -1);
      // An instance the plan's hosts started with gives back at most its flavor and that
      // host's overhead (once: a move gave it back already).
      const host = hostOf.get(request.instance);
      if (host && gone.length > 0) {
        hostOf.delete(request.instance);
        lower.release(host, mostTaken(flavors.get(gone[0].flavor)!, host));
      }
    } else if ('instance' in request) {
      // A move may put the instance on an added host, and until it is confirmed it holds
      // room on both: counted once more, as scheduled, until it is deleted. What it takes
      // no longer counts toward the lower bound, since a resize may take less; an
      // instance the plan's hosts started with counts as given back where it was, since
      // where it goes is not followed.
      const entries = live.get(request.instance);
      const host = hostOf.get(request.instance);
      if (host && entries && entries.length > 0) {
        hostOf.delete(request.instance);
        lower.release(host, mostTaken(flavors.get(entries[0].flavor)!, host));
      }
      if (entries && entries.length > 0) {
        for (const counted of entries) {
          count(counted, -1, true);
          counted.demand = null;
        }
        const last = entries[entries.length - 1];
        const flavor = 'flavor' in request && typeof request.flavor === 'string' ? request.flavor : last.flavor;
        const moved: Counted = { ...last, flavor, scheduled: true, demand: null };
        count(moved, 1);
        entries.push(moved);
      }
    }
  }
  if (failoverHosts !== null) {
    const afterReplay = skus.map(() => new Tally());
    const everyLive = [...live.values()].flat();
    for (const counted of everyLive) {
      const fits = fitsOf(counted);
      skus.forEach((_, index) => fits[index].takes && afterReplay[index].add(fits[index], counted.group, 1));
    }
    for (const counted of everyLive) {
      const group = counted.group === null ? null : groups.get(counted.group) ?? null;
      if (group?.policy === 'affinity') continue;
      const fits = fitsOf(counted);
      skus.forEach((_, index) => {
        if (fits[index].takes) upper[index] = Math.max(upper[index], failoverHosts + afterReplay[index].enough(fits[index], group));
      });
    }
  }
  return skus.map((_, index) => ({ lower: Math.min(lower.bounds[index], upper[index]), upper: upper[index], builds: builds[index] }));
}

/** How the search found its count. */
export interface SearchMethod {
  /**
   * exact: every smaller count is known to fall short, by arithmetic (below the lower
   * bound) or by a replay; bisection: the count meets the target and one fewer does not,
   * but some smaller counts were not replayed (docs/semantics.md, "Expand")
   */
  method: 'exact' | 'bisection';
  lower_bound: number;
  upper_bound: number;
  /** the counts replayed, ascending, and whether each met the target */
  replayed: { count: number; meets: boolean }[];
}

/** When no more than this many counts below the answer are unreplayed, they are replayed, to make it exact. */
export const EXACT_CHECK_LIMIT = 4;

/**
 * The search over counts of one SKU, as a state machine the command drives: it proposes
 * a count to replay whenever a thread is free, is told whether each met the target, and
 * ends with the smallest count it found that does, one fewer replayed too.
 *
 * From the lower bound (fewer cannot hold the peak demand) it doubles the count until one
 * meets the target, the upper bound (past which one surely does) at most, then bisects
 * between the last count that fell short and the first that met it, splitting the widest
 * gap left between the counts known or being replayed. Adding hosts is not monotone under Nova's weighers,
 * so bisection finds a count that meets the target with one fewer that does not, which
 * is the smallest only if no count below meets it. That is known when the count is the
 * lower bound, or when every count from the lower bound up was replayed; otherwise up to
 * EXACT_CHECK_LIMIT unreplayed counts below are replayed (all of them with `exhaustive`),
 * else the method says `bisection`.
 */
export class CountSearch {
  private readonly known = new Map<number, boolean>();

  constructor(
    readonly lower: number,
    readonly upper: number,
    private readonly exhaustive = false,
    /** a count likely to meet the target, replayed first (a mix's answer for one host fewer of another SKU) */
    private readonly likely: number | null = null,
  ) {}

  record(count: number, meets: boolean): void {
    this.known.set(count, meets);
  }

  /** The smallest count known to meet the target; the upper bound, unreplayed, when none is. */
  private get hi(): number {
    let best = Infinity;
    for (const [count, meets] of this.known) if (meets && count < best) best = count;
    return Number.isFinite(best) ? best : this.upper;
  }

  /** The largest count below `hi` known to fall short: by a replay, or below the lower bound. */
  private loBelow(hi: number): number {
    let lo = this.lower - 1;
    for (const [count, meets] of this.known) if (!meets && count < hi && count > lo) lo = count;
    return lo;
  }

  /**
   * The count to replay next, with `pending` those being replayed and `threads` how many
   * may run at once; null when none is worth replaying until they end (or, with none
   * pending, when the search is over).
   */
  next(pending: ReadonlySet<number> = new Set(), threads = 1): number | null {
    const hi = this.hi;
    if (this.known.get(hi) === false) return null;
    const lo = this.loBelow(hi);
    const wanted = (count: number) => !this.known.has(count) && !pending.has(count);
    if (this.likely !== null && this.likely > lo && this.likely < hi && wanted(this.likely)) return this.likely;
    if (!this.known.has(hi) && hi - lo > 1) {
      // Nothing met the target yet: from the lower bound, doubling, up to the upper bound.
      if (wanted(this.lower)) return this.lower;
      const reached = Math.max(lo, this.lower, ...[...pending]);
      const count = Math.min(hi, Math.max(2 * reached, reached + 1));
      return wanted(count) ? count : null;
    }
    if (hi - lo > 1) {
      if (this.lower > lo && this.lower < hi && !pending.has(this.lower)) return this.lower;
      // With `threads` replays at once, the gap is best cut in threads + 1 even parts: the
      // first such point no replay running is near, else the middle of the widest gap left.
      const inside = [...pending].filter((count) => count > lo && count < hi).sort((a, b) => a - b);
      const part = (hi - lo) / (threads + 1);
      for (let k = 1; k <= threads; k++) {
        const point = lo + Math.round(k * part);
        if (point > lo && point < hi && inside.every((count) => Math.abs(count - point) > part / 2)) return point;
      }
      const marks = [lo, ...inside, hi];
      let widest = 0;
      for (let i = 1; i < marks.length; i++) if (marks[i] - marks[i - 1] > marks[widest + 1] - marks[widest]) widest = i - 1;
      const gap = marks[widest + 1] - marks[widest];
      return gap > 1 ? marks[widest] + Math.floor(gap / 2) : null;
    }
    // The upper bound itself is replayed only when nothing below it met the target.
    if (!this.known.has(hi)) return wanted(hi) ? hi : null;
    // The count found; one fewer is replayed for the report, below the lower bound too.
    if (hi > 0 && !this.known.has(hi - 1)) return wanted(hi - 1) ? hi - 1 : null;
    const unknown = this.unreplayedBelow(hi);
    if (this.exhaustive || unknown.length <= EXACT_CHECK_LIMIT) return unknown.find(wanted) ?? null;
    return null;
  }

  private unreplayedBelow(count: number): number[] {
    const unknown: number[] = [];
    for (let below = Math.max(this.lower, 0); below < count; below++) if (!this.known.has(below)) unknown.push(below);
    return unknown;
  }

  /** The count found (null when even the upper bound fell short) and how. */
  result(): { count: number | null; method: SearchMethod } {
    const hi = this.hi;
    const found = this.known.get(hi) === true ? hi : null;
    const replayed = [...this.known].map(([count, meets]) => ({ count, meets })).sort((a, b) => a.count - b.count);
    const exact = found !== null && this.unreplayedBelow(found).length === 0;
    return { count: found, method: { method: exact ? 'exact' : 'bisection', lower_bound: this.lower, upper_bound: this.upper, replayed } };
  }
}
