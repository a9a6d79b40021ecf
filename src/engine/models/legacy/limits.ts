// The limits the legacy filter scheduler hands to the claim (docs/semantics.md, "Limits").
import type { CloudSettings, HostSpec, Limits, NumaTopologyLimits } from '../../core/model.ts';

// The Aggregate* variants set the same limit from per-aggregate ratios, which claimplan
// models as per-host settings.
const RAM_FILTERS = ['RamFilter', 'AggregateRamFilter'];
const DISK_FILTERS = ['DiskFilter', 'AggregateDiskFilter'];
const CORE_FILTERS = ['CoreFilter', 'AggregateCoreFilter'];

function scaled(total: number, ratio: number | null, enabled: boolean): number | null {
  return enabled && ratio !== null ? total * ratio : null;
}

/**
 * Each filter sets only its own limit, so a resource whose filter is not enabled is
 * unlimited in the claim, as in Nova. Explicit plan limits replace all of them.
 */
export function limitsFor(host: HostSpec, settings: CloudSettings): Limits {
  if (host.limits) {
    return {
      memory_mb: host.limits.memory_mb ?? null,
      disk_gb: host.limits.disk_gb ?? null,
      vcpu: host.limits.vcpu ?? null,
      numa_topology: host.limits.numa_topology ?? null,
    };
  }
  const enabled = new Set(settings.enabled_filters);
  const any = (names: string[]) => names.some((name) => enabled.has(name));
  return {
    memory_mb: scaled(host.memory_mb, settings.ram_allocation_ratio, any(RAM_FILTERS)),
    disk_gb: scaled(host.local_gb, settings.disk_allocation_ratio, any(DISK_FILTERS)),
    vcpu: coreLimit(host.vcpus, settings.cpu_allocation_ratio, any(CORE_FILTERS)),
    numa_topology: enabled.has('NUMATopologyFilter') ? numaLimits(settings) : null,
  };
}

// CoreFilter (nova/scheduler/filters/core_filter.py, Pike) sets the vcpu limit only
// when total × ratio is above 0: a host reporting no vCPUs (or a ratio of 0) is taken
// as a driver that does not count them, and its vCPUs stay unlimited.
function coreLimit(vcpus: number, ratio: number | null, enabled: boolean): number | null {
  const limit = scaled(vcpus, ratio, enabled);
  return limit !== null && limit > 0 ? limit : null;
}

// NUMATopologyLimits carries both ratios; with either set to null there is no ratio to
// carry, so the cells are left unlimited like the other resources.
function numaLimits(settings: CloudSettings): NumaTopologyLimits | null {
  const { cpu_allocation_ratio, ram_allocation_ratio } = settings;
  if (cpu_allocation_ratio === null || ram_allocation_ratio === null) return null;
  return { cpu_allocation_ratio, ram_allocation_ratio };
}
