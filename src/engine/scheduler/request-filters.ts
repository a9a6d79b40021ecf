// Zed's request filters (nova/scheduler/request_filter.py), which run before Placement is
// asked for candidates and narrow the hosts through Placement aggregates (docs/semantics.md,
// "Request filters"). claimplan applies them under the Placement model, Zed's; Pike's
// scheduler, the legacy model's, had none. compute_status_filter — disabled hosts never
// offered — is ComputeFilter's rule here (filters/compute.ts), applied under both models.
import type { CloudSettings, Flavor, ImageSpec } from '../core/model.ts';
import { AVAILABILITY_ZONE_KEY, type HostAggregate } from './host-aggregates.ts';
import { TENANT_KEY } from './filters/aggregate-multitenancy-isolation.ts';

/** NoValidHost's text when require_tenant_aggregate finds no aggregate for the project and one is required. */
const NO_HOSTS_FOR_TENANT = 'No valid host was found. Scheduling failed: No hosts available for tenant';

/** What one request filter keeps: the hosts in any of `required`, none in `forbidden`. */
export interface AggregateRestriction {
  /** the request filter's function name, as causes name it */
  name: 'map_az_to_placement_aggregate' | 'require_tenant_aggregate' | 'isolate_aggregates';
  required: ReadonlySet<string> | null;
  forbidden: ReadonlySet<string> | null;
}

export interface RequestFilterOutcome {
  restrictions: AggregateRestriction[];
  /** RequestFilterFailed's NoValidHost text, when the request fails before Placement */
  failure: string | null;
}

/** The traits `trait:NAME=required` asks for in the flavor's extra specs and the image's properties. */
function requiredTraits(flavor: Flavor, image: ImageSpec | null): Set<string> {
  const traits = new Set<string>();
  for (const specs of [flavor.extra_specs, image?.properties ?? {}]) {
    for (const [key, value] of Object.entries(specs)) if (key.startsWith('trait:') && value === 'required') traits.add(key.slice('trait:'.length));
  }
  return traits;
}

/**
 * The aggregate restrictions Zed's request filters add for a request: its zone's
 * aggregates (an exact value, as AggregateList.get_by_metadata matches it; a zone no
 * aggregate names restricts nothing), its project's aggregates, and the aggregates
 * requiring a trait the request does not.
 */
export function requestFilters(
  aggregates: readonly HostAggregate[],
  settings: CloudSettings,
  request: { flavor: Flavor; image: ImageSpec | null; availability_zone: string | null; project: string | null },
): RequestFilterOutcome {
  const restrictions: AggregateRestriction[] = [];
  if (settings.limit_tenants_to_placement_aggregate) {
    const forTenant = aggregates.filter(({ metadata }) => Object.entries(metadata).some(([key, value]) => key.startsWith(TENANT_KEY) && value === request.project));
    if (forTenant.length > 0) restrictions.push({ name: 'require_tenant_aggregate', required: new Set(forTenant.map(({ name }) => name)), forbidden: null });
    else if (settings.placement_aggregate_required_for_tenants) return { restrictions, failure: NO_HOSTS_FOR_TENANT };
  }
  if (settings.query_placement_for_availability_zone && request.availability_zone) {
    const inZone = aggregates.filter(({ metadata }) => metadata[AVAILABILITY_ZONE_KEY] === request.availability_zone);
    if (inZone.length > 0) restrictions.push({ name: 'map_az_to_placement_aggregate', required: new Set(inZone.map(({ name }) => name)), forbidden: null });
  }
  if (settings.enable_isolated_aggregate_filtering) {
    const traits = requiredTraits(request.flavor, request.image);
    const isolated = aggregates.filter(({ metadata }) =>
      Object.entries(metadata).some(([key, value]) => key.startsWith('trait:') && value === 'required' && !traits.has(key.slice('trait:'.length))),
    );
    if (isolated.length > 0) restrictions.push({ name: 'isolate_aggregates', required: null, forbidden: new Set(isolated.map(({ name }) => name)) });
  }
  return { restrictions, failure: null };
}

/** The first restriction that keeps a host out, given the names of its aggregates; null when none does. */
export function restrictionRefusing(restrictions: readonly AggregateRestriction[], hostAggregates: readonly string[]): AggregateRestriction | null {
  for (const restriction of restrictions) {
    if (restriction.required !== null && !hostAggregates.some((name) => restriction.required!.has(name))) return restriction;
    if (restriction.forbidden !== null && hostAggregates.some((name) => restriction.forbidden!.has(name))) return restriction;
  }
  return null;
}
