// IoOpsFilter and AggregateIoOpsFilter (nova/scheduler/filters/io_ops_filter.py): a host
// passes while its num_io_ops — the instances it is building, resizing, migrating or
// snapshotting — is below max_io_ops_per_host (the aggregate form: the least its aggregates'
// `max_io_ops_per_host` metadata gives). Every operation a replay shows has finished, so a
// host's num_io_ops is 0 and the filter refuses only a bound of 0 or less
// (docs/semantics.md, "Filters").
import { aggregateValuesFromKey, minimumOfValues } from '../host-aggregates.ts';
import type { FilterHost, HostFilter } from './host-filter.ts';
import type { CloudSettings } from '../../core/model.ts';

/** HostState.num_io_ops between requests of a replay. */
const NUM_IO_OPS = 0;

function ioOpsFilter(name: string, most: (host: FilterHost, settings: CloudSettings) => number): HostFilter {
  return {
    name,
    readsUsage: false,
    refusal(host, _request, settings) {
      const max = most(host, settings);
      if (NUM_IO_OPS < max) return null;
      return `the host has ${NUM_IO_OPS} I/O operations, max_io_ops_per_host is ${max} (${name})`;
    },
  };
}

export const IO_OPS_FILTER = ioOpsFilter('IoOpsFilter', (_host, settings) => settings.max_io_ops_per_host);

export const AGGREGATE_IO_OPS_FILTER = ioOpsFilter('AggregateIoOpsFilter', ({ aggregates }, settings) =>
  minimumOfValues(aggregateValuesFromKey(aggregates, 'max_io_ops_per_host'), settings.max_io_ops_per_host, 'int'),
);
