// AggregateInstanceExtraSpecsFilter (nova/scheduler/filters/aggregate_instance_extra_specs.py):
// each flavor extra spec scoped `aggregate_instance_extra_specs:` — or not scoped at all,
// Nova's quirk — must match one of the values the host's aggregates give its key (split on
// commas) through Nova's operators; a key no aggregate of the host has refuses the host.
import { aggregateMetadataByHost } from '../host-aggregates.ts';
import { extraSpecMatches } from './extra-specs-ops.ts';
import type { HostFilter } from './host-filter.ts';

const SCOPE = 'aggregate_instance_extra_specs';

/** The aggregate key an extra spec asks about, or null when its scope is another's. */
export function aggregateExtraSpecKey(key: string): string | null {
  const colon = key.indexOf(':');
  if (colon < 0) return key;
  return key.slice(0, colon) === SCOPE ? key.slice(colon + 1) : null;
}

export const AGGREGATE_INSTANCE_EXTRA_SPECS_FILTER: HostFilter = {
  name: 'AggregateInstanceExtraSpecsFilter',
  readsUsage: false,
  refusal({ aggregates }, { flavor }) {
    const specs = Object.entries(flavor.extra_specs);
    if (specs.length === 0) return null;
    const metadata = aggregateMetadataByHost(aggregates);
    for (const [key, requirement] of specs) {
      const asked = aggregateExtraSpecKey(key);
      if (asked === null) continue;
      const values = metadata.get(asked);
      if (values === undefined || values.size === 0) return `extra spec ${asked} is not in the host's aggregates (AggregateInstanceExtraSpecsFilter)`;
      if (![...values].some((value) => extraSpecMatches(value, requirement))) {
        return `aggregate values ${[...values].join(', ')} do not match '${requirement}' for ${asked} (AggregateInstanceExtraSpecsFilter)`;
      }
    }
    return null;
  },
};
