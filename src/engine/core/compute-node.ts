// One compute node's figures as Nova's ResourceTracker keeps them in ComputeNode, its NUMA
// cells and PCI pools, and under the Placement model the resource provider Placement keeps
// for it.
import type { ChangeJournal } from './change-journal.ts';
import type { Held } from './host-test.ts';
import type { CloudSettings, Flavor, HostSpec, HostUsage, Limits, Resources } from './model.ts';
import type { ResourceProvider } from '../models/placement/provider.ts';
import { HostTopology } from '../topology/host-topology.ts';

/** Cloud settings as one host sees them: the host's own values win, as aggregate metadata does. */
export function resolveSettings(cloud: CloudSettings, host: HostSpec): CloudSettings {
  return { ...cloud, ...host.settings };
}

/**
 * What a claim adds to the node's figures (the Claim's properties): memory and disk include
 * the driver overhead; swap is not claimed.
 */
export function requestedResources(flavor: Flavor, node: ComputeNode): Resources {
  const { overhead } = node.spec;
  if (overhead.memory_mb === 0 && overhead.disk_gb === 0) return nominalResources({ flavor });
  return {
    memory_mb: flavor.memory_mb + overhead.memory_mb,
    disk_gb: flavor.root_gb + flavor.ephemeral_gb + overhead.disk_gb,
    vcpus: flavor.vcpus,
  };
}

/** Never changed: every live instance on a host without overhead keeps its flavor's (docs/contributing.md, "Scale"). */
const FLAVOR_RESOURCES = new WeakMap<Flavor, Resources>();

/**
 * What the flavor asks for before any host's overhead: what the legacy index compares with
 * headroom, what a build no host took shows, and what a claim holds on a host without
 * overhead. One object per flavor.
 */
export function nominalResources({ flavor }: { flavor: Flavor }): Resources {
  let resources = FLAVOR_RESOURCES.get(flavor);
  if (resources === undefined) FLAVOR_RESOURCES.set(flavor, (resources = { memory_mb: flavor.memory_mb, disk_gb: flavor.root_gb + flavor.ephemeral_gb, vcpus: flavor.vcpus }));
  return resources;
}

export class ComputeNode {
  memory_mb_used = 0;
  local_gb_used = 0;
  vcpus_used = 0;
  running_vms = 0;
  /** bumped on every change of usage or service state, so explanations computed earlier can be reused */
  version = 0;
  /** the compute service is down (not heard from): ComputeFilter passes over the host and nothing claims on it */
  private down = false;
  /** where each version bump is recorded; null for a copy no scheduler follows (fit's) */
  private journal: ChangeJournal | null = null;
  /** the state's trial, which keeps the node as it was before its first change in one (cloud-state.ts `trial`) */
  private trial: NodeTrial | null = null;

  private constructor(
    /** position in the inventory: the scheduler's tie-breaker */
    readonly index: number,
    readonly spec: HostSpec,
    readonly settings: CloudSettings,
    readonly limits: Limits,
    readonly topology: HostTopology,
    /** null under the legacy model */
    readonly provider: ResourceProvider | null,
  ) {}

  /**
   * The periodic audit's starting point: reserved memory and disk count as used, then
   * the plan's usage totals (which, under the Placement model, the provider's allocations
   * hold too). ComputeNode's *_used fields are integers, so Nova truncates
   * reserved_host_disk_mb / 1024 when it stores it.
   */
  static start(index: number, spec: HostSpec, settings: CloudSettings, limits: Limits, provider: ResourceProvider | null): ComputeNode {
    const node = new ComputeNode(index, spec, settings, limits, HostTopology.fromSpec(spec), provider);
    node.memory_mb_used = Math.trunc(settings.reserved_host_memory_mb + spec.used.memory_mb);
    node.local_gb_used = Math.trunc(settings.reserved_host_disk_mb / 1024) + Math.trunc(spec.used.local_gb);
    node.vcpus_used = Math.trunc(spec.used.vcpus);
    node.running_vms = Math.trunc(spec.used.running_vms);
    node.down = spec.down === true;
    provider?.allocate({ MEMORY_MB: spec.used.memory_mb, DISK_GB: spec.used.local_gb, VCPU: spec.used.vcpus }, 1);
    return node;
  }

  /**
   * From now on every change of the node is recorded in `journal`, the cloud's, which its
   * scheduler reads; and, while `trial` runs, the node as it was before is kept there.
   */
  recordChangesIn(journal: ChangeJournal, trial: NodeTrial): void {
    this.journal = journal;
    this.trial = trial;
  }

  get name(): string {
    return this.spec.name;
  }

  /**
   * ComputeFilter passes over the host (nova/scheduler/filters/compute_filter.py): its
   * compute service is disabled, or down. What the scheduler reads.
   */
  get serviceDown(): boolean {
    return this.down || this.spec.disabled === true;
  }

  /**
   * The compute service is heard from (the servicegroup API's `service_is_up`), disabled or
   * not: what the compute API asks before evacuating off the host or moving from it, and
   * the compute manager before building on it.
   */
  get serviceUp(): boolean {
    return !this.down;
  }

  setServiceDown(down: boolean): void {
    this.trial?.keep(this);
    this.down = down;
    this.changed();
  }

  get free_ram_mb(): number {
    return this.spec.memory_mb - this.memory_mb_used;
  }

  get free_disk_gb(): number {
    return this.spec.local_gb - this.local_gb_used;
  }

  /** ResourceTracker._update_usage: sign +1 for a claim, -1 for a delete. */
  updateUsage(resources: Resources, sign: 1 | -1): void {
    this.trial?.keep(this);
    this.memory_mb_used = Math.trunc(this.memory_mb_used + sign * resources.memory_mb);
    this.local_gb_used = Math.trunc(this.local_gb_used + sign * resources.disk_gb);
    this.vcpus_used = Math.trunc(this.vcpus_used + sign * resources.vcpus);
    this.running_vms += sign;
    this.changed();
  }

  private changed(): void {
    this.version++;
    this.journal?.record(this.index);
  }

  /** What a build holds, added (sign 1) or given back (−1): the node's figures, its cells and pools, its allocation. */
  hold(held: Held, sign: 1 | -1): void {
    // updateUsage comes first, so a trial keeps the node before its cells and pools change.
    this.updateUsage(held.requested, sign);
    if (held.topologyClaim) {
      if (sign === 1) this.topology.apply(held.topologyClaim);
      else this.topology.release(held.topologyClaim);
    }
    if (held.providers) {
      for (const { provider, resources } of held.providers) this.provider!.inTree(provider)!.allocate(resources, sign);
    } else if (held.allocation) {
      this.provider?.allocate(held.allocation, sign);
    }
  }

  clone(): ComputeNode {
    const copy = new ComputeNode(this.index, this.spec, this.settings, this.limits, this.topology.clone(), this.provider?.clone() ?? null);
    copy.memory_mb_used = this.memory_mb_used;
    copy.local_gb_used = this.local_gb_used;
    copy.vcpus_used = this.vcpus_used;
    copy.running_vms = this.running_vms;
    copy.down = this.down;
    return copy;
  }

  /** Back to `kept`, a clone of this node taken before a trial changed it: a change like any other, which the journal records. */
  putBack(kept: ComputeNode): void {
    this.memory_mb_used = kept.memory_mb_used;
    this.local_gb_used = kept.local_gb_used;
    this.vcpus_used = kept.vcpus_used;
    this.running_vms = kept.running_vms;
    this.down = kept.down;
    this.topology.putBack(kept.topology);
    if (kept.provider !== null) this.provider!.putBack(kept.provider);
    this.changed();
  }

  usage(): HostUsage {
    const usage: HostUsage = {
      host: this.name,
      memory_mb: this.spec.memory_mb,
      memory_mb_used: this.memory_mb_used,
      free_ram_mb: this.free_ram_mb,
      local_gb: this.spec.local_gb,
      local_gb_used: this.local_gb_used,
      free_disk_gb: this.free_disk_gb,
      vcpus: this.spec.vcpus,
      vcpus_used: this.vcpus_used,
      running_vms: this.running_vms,
      limits: this.limits,
      ...this.topology.usage(),
    };
    if (this.provider) {
      usage.inventories = Object.fromEntries(this.provider.inventories);
      usage.usages = this.provider.usages();
      usage.traits = [...this.provider.traits].sort();
      if (this.provider.nested) usage.providers = this.provider.childUsages();
    }
    return usage;
  }
}

/**
 * The nodes a trial changed, each with a clone taken before its first change, so that the
 * state can put them back when the trial ends; outside a trial it keeps nothing.
 */
export class NodeTrial {
  private running = false;
  private readonly kept = new Map<ComputeNode, ComputeNode>();

  begin(): void {
    // A trial within a trial would put back the inner one's nodes only; nothing asks for it.
    if (this.running) throw new Error('a trial is already running on this state');
    this.running = true;
  }

  keep(node: ComputeNode): void {
    if (this.running && !this.kept.has(node)) this.kept.set(node, node.clone());
  }

  /** Ends the trial: each changed node back as it was, handed to `putBack` after. */
  end(putBack: (node: ComputeNode) => void): void {
    this.running = false;
    for (const [node, kept] of this.kept) {
      node.putBack(kept);
      putBack(node);
    }
    this.kept.clear();
  }
}
