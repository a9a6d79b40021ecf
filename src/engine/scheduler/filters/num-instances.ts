// NumInstancesFilter and AggregateNumInstancesFilter (nova/scheduler/filters/
// num_instances_filter.py): a host passes while it runs fewer instances than
// max_instances_per_host — for the aggregate form, the least its aggregates give
// (`max_instances_per_host` metadata), the setting when none or one is not an integer.
import { aggregateValuesFromKey, minimumOfValues } from '../host-aggregates.ts';
import type { FilterHost, HostFilter } from './host-filter.ts';
import type { CloudSettings } from '../../core/model.ts';

/** A filter of this file, with the bound it sets a host: how many more builds `fit` may count there. */
export interface NumInstancesFilter extends HostFilter {
  most(host: FilterHost, settings: CloudSettings): number;
}

function numInstancesFilter(name: string, most: (host: FilterHost, settings: CloudSettings) => number): NumInstancesFilter {
  return {
    name,
    most,
    readsUsage: true,
    refusal(host, _request, settings) {
      const max = most(host, settings);
      if (host.node.running_vms < max) return null;
      return `the host runs ${host.node.running_vms} instances, max_instances_per_host is ${max} (${name})`;
    },
  };
}

export const NUM_INSTANCES_FILTER = numInstancesFilter('NumInstancesFilter', (_host, settings) => settings.max_instances_per_host);

export const AGGREGATE_NUM_INSTANCES_FILTER = numInstancesFilter('AggregateNumInstancesFilter', ({ aggregates }, settings) =>
  minimumOfValues(aggregateValuesFromKey(aggregates, 'max_instances_per_host'), settings.max_instances_per_host, 'int'),
);
