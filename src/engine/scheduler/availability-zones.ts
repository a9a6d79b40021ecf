// The zones Nova's API accepts a build into (nova/compute/api.py `_provision_instances`,
// nova/availability_zones.py `get_availability_zones`): the zones of the enabled compute
// services, and `internal`, the zone of Nova's own services, which then finds no compute
// host (docs/semantics.md, "Zones").
import type { ComputeNode } from '../core/compute-node.ts';
import type { CloudSettings } from '../core/model.ts';
import { AVAILABILITY_ZONE_KEY, type HostAggregate } from './host-aggregates.ts';

/** The zone Nova's own services (scheduler, conductor) are in: [DEFAULT] internal_service_availability_zone. */
const INTERNAL_ZONE = 'internal';
/** nova/compute/api.py's words when the zone is not one an enabled service is in. */
const ZONE_NOT_AVAILABLE = 'The requested availability zone is not available';

/** A host's zone: its aggregates' `availability_zone`, else default_availability_zone. */
export function hostZone(aggregates: readonly HostAggregate[], settings: CloudSettings): string {
  for (const { metadata } of aggregates) if (AVAILABILITY_ZONE_KEY in metadata) return metadata[AVAILABILITY_ZONE_KEY];
  return settings.default_availability_zone;
}

/** Nova's words when the API refuses the zone, or null when it accepts it (or none is asked for). */
export function availabilityZoneRefusal(zone: string | null, nodes: readonly ComputeNode[], zoneOf: (node: ComputeNode) => string): string | null {
  if (!zone || zone === INTERNAL_ZONE) return null;
  return nodes.some((node) => node.spec.disabled !== true && zoneOf(node) === zone) ? null : ZONE_NOT_AVAILABLE;
}
