// The bounds `expand`'s search runs between, by capacity arithmetic alone (docs/semantics.md,
// "Expand"): a lower bound from what the builds ask for at their peak against what the
// plan's hosts have free and an added host offers, and an upper bound past which, by
// counting how full added hosts can be, no build an added host could take is refused.
import { CloudState } from '../../core/cloud-state.ts';
import { DIMENSIONS, freeAmounts, leastTaken, mostTaken, type Amounts } from '../../models/host-room.ts';
import type { Cloud, Flavor, HostSpec, Request, ServerGroup } from '../../core/model.ts';
import type { Asked, ProbeFit, Sku, SkuProbe } from './sku.ts';

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
interface Counted extends Asked {
  flavor: string;
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
  const walk = new BoundsWalk(cloud, probe);
  for (const request of requests) walk.take(request);
  if (failoverHosts !== null) walk.surviveLosing(failoverHosts);
  return walk.bounds();
}

/** countBounds' one walk through the requests: what is live, and the bounds so far. */
class BoundsWalk {
  private readonly skus: readonly Sku[];
  private readonly flavors: Map<string, Flavor>;
  private readonly groups: Map<string, ServerGroup>;
  /** the plan's hosts' own instances not yet deleted or moved, and the host each is on */
  private readonly hostOf: Map<string, HostSpec>;
  private readonly lower: LowerBound;
  private readonly upper: number[];
  private readonly builds: number[];
  private readonly duringReplay: Tally[];
  private readonly live = new Map<string, Counted[]>();

  constructor(
    cloud: Cloud,
    private readonly probe: SkuProbe,
  ) {
    this.skus = probe.skus;
    this.flavors = new Map(cloud.flavors.map((flavor) => [flavor.name, flavor]));
    this.groups = new Map((cloud.server_groups ?? []).map((group) => [group.name, group]));
    this.hostOf = new Map(cloud.hosts.flatMap((host) => host.instances.map((instance) => [instance.name, host] as const)));
    this.lower = new LowerBound(cloud, probe);
    this.upper = this.skus.map(() => 0);
    this.builds = this.skus.map(() => 0);
    this.duringReplay = this.skus.map(() => new Tally());
    for (const host of cloud.hosts) {
      for (const instance of host.instances) {
        this.live.set(instance.name, [{ flavor: instance.flavor, aggregate: null, bootFromVolume: false, availability_zone: null, project: null, image: null, group: null, scheduled: false, demand: null }]);
      }
    }
  }

  take(request: Request): void {
    if (request.op === 'build') this.build(request);
    else if (request.op === 'delete') this.delete(request.instance);
    else if ('instance' in request) this.move(request.instance, 'flavor' in request && typeof request.flavor === 'string' ? request.flavor : null);
  }

  bounds(): CountBounds[] {
    return this.skus.map((_, index) => ({ lower: Math.min(this.lower.bounds[index], this.upper[index]), upper: this.upper[index], builds: this.builds[index] }));
  }

  /** The upper bound also covers evacuating every live instance an added host could take after losing `hosts` hosts. */
  surviveLosing(hosts: number): void {
    const afterReplay = this.skus.map(() => new Tally());
    const everyLive = [...this.live.values()].flat();
    for (const counted of everyLive) {
      const fits = this.fitsOf(counted);
      this.skus.forEach((_, index) => fits[index].takes && afterReplay[index].add(fits[index], counted.group, 1));
    }
    for (const counted of everyLive) {
      const group = counted.group === null ? null : this.groups.get(counted.group) ?? null;
      if (group?.policy === 'affinity') continue;
      const fits = this.fitsOf(counted);
      this.skus.forEach((_, index) => {
        if (fits[index].takes) this.upper[index] = Math.max(this.upper[index], hosts + afterReplay[index].enough(fits[index], group));
      });
    }
  }

  private fitsOf(counted: Counted) {
    return this.probe.fits(counted.flavor, counted);
  }

  /** Adds (or takes away) what a live instance counts for, toward each SKU that could take it. */
  private count(counted: Counted, sign: 1 | -1, demandOnly = false): void {
    const fits = this.fitsOf(counted);
    this.skus.forEach((_, index) => {
      if (!fits[index].takes) return;
      if (counted.scheduled && !demandOnly) this.duringReplay[index].add(fits[index], counted.group, sign);
      if (counted.demand) this.lower.ask(index, counted.aggregate, counted.demand, sign);
    });
  }

  /**
   * An instance the plan's hosts started with, deleted or moved, gives back at most its
   * flavor and that host's overhead (once: a move gave it back already).
   */
  private giveBack(instance: string, entries: readonly Counted[]): void {
    const host = this.hostOf.get(instance);
    if (!host || entries.length === 0) return;
    this.hostOf.delete(instance);
    this.lower.release(host, mostTaken(this.flavors.get(entries[0].flavor)!, host));
  }

  private build(request: Request & { op: 'build' }): void {
    const flavor = this.flavors.get(request.flavor)!;
    const bootFromVolume = request.boot_from_volume ?? false;
    const group = request.group === undefined ? null : this.groups.get(request.group) ?? null;
    const scheduled = request.host === null;
    const asked = { availability_zone: request.availability_zone ?? null, project: request.project ?? null, image: request.image ?? null };
    const counted: Counted = { flavor: request.flavor, aggregate: request.aggregate, bootFromVolume, ...asked, group: group?.name ?? null, scheduled, demand: scheduled ? leastTaken(flavor, bootFromVolume) : null };
    if (scheduled && group?.policy !== 'affinity') {
      const fits = this.fitsOf(counted);
      this.skus.forEach((_, index) => {
        if (!fits[index].takes) return;
        this.builds[index]++;
        this.upper[index] = Math.max(this.upper[index], this.duringReplay[index].enough(fits[index], group));
      });
    }
    this.count(counted, 1);
    this.live.set(request.instance, [...(this.live.get(request.instance) ?? []), counted]);
    this.lower.raise(counted.aggregate);
  }

  private delete(instance: string): void {
    const gone = this.live.get(instance) ?? [];
    this.live.delete(instance);
    for (const counted of gone) this.count(counted, -1);
    this.giveBack(instance, gone);
  }

  /**
   * A move may put the instance on an added host, and until it is confirmed it holds room
   * on both: counted once more, as scheduled, until it is deleted. What it takes no longer
   * counts toward the lower bound, since a resize may take less; an instance the plan's
   * hosts started with counts as given back where it was, since where it goes is not followed.
   */
  private move(instance: string, newFlavor: string | null): void {
    const entries = this.live.get(instance);
    if (!entries || entries.length === 0) return;
    this.giveBack(instance, entries);
    for (const counted of entries) {
      this.count(counted, -1, true);
      counted.demand = null;
    }
    const last = entries[entries.length - 1];
    const moved: Counted = { ...last, flavor: newFlavor ?? last.flavor, scheduled: true, demand: null };
    this.count(moved, 1);
    entries.push(moved);
  }
}
