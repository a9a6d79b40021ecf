// What a host has room for and what an instance takes there, by capacity arithmetic alone,
// under either capacity model: the bounds of expand's search (docs/semantics.md, "Expand")
// and consolidate's upper bound (docs/semantics.md, "Consolidate") count with these.
import type { Cloud, HostSpec, HostUsage } from '../core/model.ts';
import { capacityOf } from './placement/inventory.ts';

export const DIMENSIONS = ['memory', 'disk', 'vcpu'] as const;
export type Dimension = (typeof DIMENSIONS)[number];
export type Amounts = Record<Dimension, number>;

/** Flavor extra specs that ask Placement for other amounts than the flavor's own (docs/plan-format.md). */
const RESOURCE_OVERRIDE = /^resources[^:]*:(MEMORY_MB|DISK_GB|VCPU|PCPU)$/;

/** The resource classes whose amounts the flavor's extra specs set themselves. */
function overriddenClasses(flavor: Cloud['flavors'][number]): Set<string> {
  return new Set(Object.keys(flavor.extra_specs).flatMap((key) => RESOURCE_OVERRIDE.exec(key)?.[1] ?? []));
}

/**
 * What a build surely takes of each resource on any host of either capacity model: a
 * resource whose amount an extra spec may change, or that a dedicated CPU policy moves to
 * PCPU, counts as 0, which can only lower the lower bound.
 */
export function leastTaken(flavor: Cloud['flavors'][number], bootFromVolume: boolean): Amounts {
  const overridden = overriddenClasses(flavor);
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
export function mostTaken(flavor: Cloud['flavors'][number], host: HostSpec): Amounts {
  const overridden = overriddenClasses(flavor);
  return {
    memory: overridden.has('MEMORY_MB') ? Infinity : flavor.memory_mb + host.overhead.memory_mb,
    disk: overridden.has('DISK_GB') ? Infinity : flavor.root_gb + flavor.ephemeral_gb + host.overhead.disk_gb,
    vcpu: overridden.has('VCPU') ? Infinity : flavor.vcpus,
  };
}

const PLACEMENT_CLASS: Record<Dimension, string> = { memory: 'MEMORY_MB', disk: 'DISK_GB', vcpu: 'VCPU' };

/** What a host has free of each resource, under its own capacity model; Infinity when nothing limits it. */
export function freeAmounts(usage: HostUsage): Amounts {
  if (usage.inventories) {
    const inventories = usage.inventories;
    const free = (dimension: Dimension) => {
      const resourceClass = PLACEMENT_CLASS[dimension];
      const inventory = inventories[resourceClass];
      if (!inventory) return 0;
      return capacityOf(inventory) - (usage.usages?.[resourceClass] ?? 0);
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

/**
 * What is left of each resource as a report states it: the same arithmetic as freeAmounts,
 * null where nothing limits the resource (legacy) or the host's provider reports no such
 * class (Placement), since then there is no figure to state.
 */
export function statedRoom(usage: HostUsage): Record<Dimension, number | null> {
  const free = freeAmounts(usage);
  const stated = (dimension: Dimension) => (free[dimension] === Infinity || (usage.inventories && !usage.inventories[PLACEMENT_CLASS[dimension]]) ? null : free[dimension]);
  return { memory: stated('memory'), disk: stated('disk'), vcpu: stated('vcpu') };
}
