// AvailabilityZoneFilter (nova/scheduler/filters/availability_zone_filter.py): a build asking
// for a zone passes the hosts whose aggregates name it, or, in no zone aggregate, the hosts
// of default_availability_zone (docs/semantics.md, "Zones").
import { aggregateMetadataByHost, AVAILABILITY_ZONE_KEY } from '../host-aggregates.ts';
import type { HostFilter } from './host-filter.ts';

export const AVAILABILITY_ZONE_FILTER: HostFilter = {
  name: 'AvailabilityZoneFilter',
  readsUsage: false,
  refusal({ aggregates }, { availability_zone: wanted }, settings) {
    if (!wanted) return null;
    const zones = aggregateMetadataByHost(aggregates, AVAILABILITY_ZONE_KEY).get(AVAILABILITY_ZONE_KEY);
    const hostZones = zones === undefined ? [settings.default_availability_zone] : [...zones];
    if (hostZones.includes(wanted)) return null;
    return `availability zone ${wanted} requested, the host is in ${hostZones.join(', ')} (AvailabilityZoneFilter)`;
  },
};
