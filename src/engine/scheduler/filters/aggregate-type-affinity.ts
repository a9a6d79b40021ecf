// AggregateTypeAffinityFilter (nova/scheduler/filters/type_filter.py): a host whose
// aggregates set `instance_type` takes only the flavors listed there (comma-separated).
import { aggregateValuesFromKey } from '../host-aggregates.ts';
import type { HostFilter } from './host-filter.ts';

export const AGGREGATE_TYPE_AFFINITY_FILTER: HostFilter = {
  name: 'AggregateTypeAffinityFilter',
  readsUsage: false,
  refusal({ aggregates }, { flavor }) {
    const values = aggregateValuesFromKey(aggregates, 'instance_type');
    if (values.size === 0) return null;
    for (const value of values) if (value.split(',').some((name) => name.trim() === flavor.name)) return null;
    return `the host's aggregates take flavors ${[...values].join(', ')} only (AggregateTypeAffinityFilter)`;
  },
};
