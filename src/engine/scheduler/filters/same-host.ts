// SameHostFilter (nova/scheduler/filters/affinity_filter.py): with the `same_host` hint, a
// host passes when it holds any one of the instances named; a name no live instance has
// matches no host (docs/semantics.md, "Hints").
import type { HostFilter } from './host-filter.ts';

export const SAME_HOST_FILTER: HostFilter = {
  name: 'SameHostFilter',
  readsUsage: true,
  actsOn: ({ sameHost }) => sameHost !== null,
  refusal({ node }, { sameHost }) {
    if (sameHost === null || sameHost.has(node)) return null;
    return 'the host holds none of the same_host instances (SameHostFilter)';
  },
};
