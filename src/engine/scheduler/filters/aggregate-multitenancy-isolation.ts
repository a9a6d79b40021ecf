// AggregateMultiTenancyIsolation (nova/scheduler/filters/aggregate_multitenancy_isolation.py):
// a host in an aggregate with `filter_tenant_id` takes only the projects listed there; a
// build naming no project is refused too (docs/semantics.md, "Projects").
import { aggregateMetadataByHost } from '../host-aggregates.ts';
import type { HostFilter } from './host-filter.ts';

export const TENANT_KEY = 'filter_tenant_id';

export const AGGREGATE_MULTITENANCY_ISOLATION: HostFilter = {
  name: 'AggregateMultiTenancyIsolation',
  readsUsage: false,
  refusal({ aggregates }, { project }) {
    const tenants = aggregateMetadataByHost(aggregates, TENANT_KEY).get(TENANT_KEY);
    if (tenants === undefined || tenants.size === 0) return null;
    if (project !== null && tenants.has(project)) return null;
    return `the host's aggregates take projects ${[...tenants].join(', ')} only (AggregateMultiTenancyIsolation)`;
  },
};
