// DifferentHostFilter (nova/scheduler/filters/affinity_filter.py): with the `different_host`
// hint, a host holding any of the instances named is refused (docs/semantics.md, "Hints").
import type { HostFilter } from './host-filter.ts';

export const DIFFERENT_HOST_FILTER: HostFilter = {
  name: 'DifferentHostFilter',
  readsUsage: true,
  actsOn: ({ differentHost }) => differentHost !== null,
  refusal({ node }, { differentHost }) {
    if (differentHost === null || !differentHost.has(node)) return null;
    return 'the host holds a different_host instance (DifferentHostFilter)';
  },
};
