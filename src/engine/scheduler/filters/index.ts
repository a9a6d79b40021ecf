// Nova's filters by class name (docs/semantics.md, "Which filters and weighers claimplan
// follows"): the ones with a rule of their own here, the ones whose rule lives elsewhere in
// claimplan, the ones that pass every host a plan can describe, and the ones claimplan
// cannot model, which a plan may name and which then do nothing (a located warning).
import { AGGREGATE_IMAGE_PROPERTIES_ISOLATION } from './aggregate-image-properties-isolation.ts';
import { AGGREGATE_INSTANCE_EXTRA_SPECS_FILTER } from './aggregate-instance-extra-specs.ts';
import { AGGREGATE_MULTITENANCY_ISOLATION } from './aggregate-multitenancy-isolation.ts';
import { AGGREGATE_TYPE_AFFINITY_FILTER } from './aggregate-type-affinity.ts';
import { AVAILABILITY_ZONE_FILTER } from './availability-zone.ts';
import { COMPUTE_CAPABILITIES_FILTER } from './compute-capabilities.ts';
import { DIFFERENT_HOST_FILTER } from './different-host.ts';
import type { HostFilter } from './host-filter.ts';
import { IMAGE_PROPERTIES_FILTER } from './image-properties.ts';
import { AGGREGATE_IO_OPS_FILTER, IO_OPS_FILTER } from './io-ops.ts';
import { ISOLATED_HOSTS_FILTER } from './isolated-hosts.ts';
import { AGGREGATE_NUM_INSTANCES_FILTER, NUM_INSTANCES_FILTER } from './num-instances.ts';
import { SAME_HOST_FILTER } from './same-host.ts';

const HOST_FILTERS: readonly HostFilter[] = [
  AVAILABILITY_ZONE_FILTER,
  COMPUTE_CAPABILITIES_FILTER,
  IMAGE_PROPERTIES_FILTER,
  AGGREGATE_INSTANCE_EXTRA_SPECS_FILTER,
  AGGREGATE_MULTITENANCY_ISOLATION,
  NUM_INSTANCES_FILTER,
  AGGREGATE_NUM_INSTANCES_FILTER,
  IO_OPS_FILTER,
  AGGREGATE_IO_OPS_FILTER,
  ISOLATED_HOSTS_FILTER,
  SAME_HOST_FILTER,
  DIFFERENT_HOST_FILTER,
  AGGREGATE_IMAGE_PROPERTIES_ISOLATION,
  AGGREGATE_TYPE_AFFINITY_FILTER,
];

const BY_NAME = new Map(HOST_FILTERS.map((filter) => [filter.name, filter]));

/**
 * Filters whose rule claimplan applies elsewhere: ComputeFilter (compute.ts), the server
 * group filters (server-group-*.ts), the resource, NUMA and PCI filters (the capacity
 * models' claim tests and legacy/limits.ts); and those that pass every host a plan can
 * describe: RetryFilter (a replay never retries), AllHostsFilter, SimpleCIDRAffinityFilter
 * (a plan has no `build_near_host_ip` hint).
 */
const APPLIED_ELSEWHERE = [
  'ComputeFilter',
  'ServerGroupAffinityFilter',
  'ServerGroupAntiAffinityFilter',
  'RamFilter',
  'DiskFilter',
  'CoreFilter',
  'AggregateRamFilter',
  'AggregateDiskFilter',
  'AggregateCoreFilter',
  'NUMATopologyFilter',
  'PciPassthroughFilter',
  'RetryFilter',
  'AllHostsFilter',
  'SimpleCIDRAffinityFilter',
];

/**
 * Filters of Pike to Zed that read what a plan cannot hold: JSON queries, metrics, trusted
 * computing attestation, Ironic's exact-match resource filters.
 */
export const UNMODELLED_FILTERS: readonly string[] = ['JsonFilter', 'MetricsFilter', 'TrustedFilter', 'ExactRamFilter', 'ExactDiskFilter', 'ExactCoreFilter'];

/** Every filter class name a Nova release from Pike to Zed has in tree. */
export const KNOWN_FILTERS: readonly string[] = [...HOST_FILTERS.map((filter) => filter.name), ...APPLIED_ELSEWHERE, ...UNMODELLED_FILTERS].sort();

/** The filters with a rule in this folder that enabled_filters names, in its order. */
export function hostFiltersEnabled(enabledFilters: readonly string[]): HostFilter[] {
  return enabledFilters.flatMap((name) => BY_NAME.get(name) ?? []);
}

export type { FilterHost, FilterRequest, HostFilter } from './host-filter.ts';
