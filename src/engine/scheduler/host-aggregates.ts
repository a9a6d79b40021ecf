// What the scheduler reads of a host's aggregates (nova/scheduler/filters/utils.py): the
// metadata of every aggregate the host is in, with Nova's quirks kept (docs/semantics.md,
// "Aggregates"): values are split on commas and stripped; asked for one key, Nova returns
// every key of the aggregates that have it; several numbers give the minimum; a value int()
// or float() refuses leaves the configured default, as Nova logs a warning and does.
import type { AggregateSpec, CloudSettings, HostSpec } from '../core/model.ts';
import { pythonFloat } from './filters/extra-specs-ops.ts';

/** One aggregate as a host sees it: its name and its metadata, the zone among it. */
export interface HostAggregate {
  name: string;
  metadata: Readonly<Record<string, string>>;
}

/** The metadata key Nova keeps an aggregate's zone under. */
export const AVAILABILITY_ZONE_KEY = 'availability_zone';

/** Every aggregate of the plan by name, with the zone as metadata; labels no aggregate defines have none. */
export function aggregatesByName(aggregates: readonly AggregateSpec[] | undefined): Map<string, HostAggregate> {
  const byName = new Map<string, HostAggregate>();
  for (const aggregate of aggregates ?? []) {
    const metadata = aggregate.availability_zone === null ? aggregate.metadata : { ...aggregate.metadata, [AVAILABILITY_ZONE_KEY]: aggregate.availability_zone };
    byName.set(aggregate.name, { name: aggregate.name, metadata });
  }
  return byName;
}

/** The aggregates a host is in, in the order it lists them. */
export function hostAggregates(host: HostSpec, byName: ReadonlyMap<string, HostAggregate>): HostAggregate[] {
  return host.aggregates.map((name) => byName.get(name) ?? { name, metadata: {} });
}

/** `aggregate_metadata_get_by_host`: per key, the comma-split values of every aggregate (with `key`: of those having it). */
export function aggregateMetadataByHost(aggregates: readonly HostAggregate[], key: string | null = null): Map<string, Set<string>> {
  const metadata = new Map<string, Set<string>>();
  for (const { metadata: own } of aggregates) {
    if (key !== null && !(key in own)) continue;
    for (const [name, value] of Object.entries(own)) {
      const values = metadata.get(name) ?? new Set<string>();
      for (const part of value.split(',')) values.add(part.trim());
      metadata.set(name, values);
    }
  }
  return metadata;
}

/** `aggregate_values_from_key`: the distinct whole values the host's aggregates give `key`. */
export function aggregateValuesFromKey(aggregates: readonly HostAggregate[], key: string): Set<string> {
  const values = new Set<string>();
  for (const { metadata } of aggregates) if (key in metadata) values.add(metadata[key]);
  return values;
}

/** Python's int() of a string, or null where it raises ValueError. */
function pythonInt(text: string): number | null {
  const trimmed = text.trim().replace(/(?<=\d)_(?=\d)/g, '');
  return /^[+-]?\d+$/.test(trimmed) ? Number(trimmed) : null;
}

/**
 * `validate_num_values(vals, default, cast_to)` as its callers use it: the minimum of the
 * values, or `fallback` when there are none or one does not convert (Nova's ValueError).
 */
export function minimumOfValues(values: ReadonlySet<string>, fallback: number, cast: 'int' | 'float'): number {
  if (values.size === 0) return fallback;
  let least = Infinity;
  for (const value of values) {
    const converted = cast === 'int' ? pythonInt(value) : pythonFloat(value);
    if (converted === null) return fallback;
    // Python's min() keeps the first of incomparable NaNs; claimplan's plans give numbers.
    if (converted < least || Number.isNaN(converted)) least = converted;
  }
  return least;
}

/** The weigher multipliers Nova reads from aggregate metadata under the option's own name (nova/scheduler/utils.py `get_weight_multiplier`). */
const MULTIPLIER_KEYS = [
  'ram_weight_multiplier',
  'cpu_weight_multiplier',
  'disk_weight_multiplier',
  'io_ops_weight_multiplier',
  'pci_weight_multiplier',
  'metrics_weight_multiplier',
  'soft_affinity_weight_multiplier',
  'soft_anti_affinity_weight_multiplier',
  'build_failure_weight_multiplier',
  'cross_cell_move_weight_multiplier',
] as const;

/** The legacy Aggregate*Filter that reads each ratio from aggregate metadata (Pike's nova/scheduler/filters/*_filter.py). */
const RATIO_FILTERS = [
  ['cpu_allocation_ratio', 'AggregateCoreFilter'],
  ['ram_allocation_ratio', 'AggregateRamFilter'],
  ['disk_allocation_ratio', 'AggregateDiskFilter'],
] as const;

/**
 * A host's settings as its aggregates' metadata change them: each weigher multiplier set
 * there, and, where the Aggregate*Filter is enabled, each allocation ratio (the host's own
 * ratio is the fallback, as `validate_num_values(…, host_state.cpu_allocation_ratio)`).
 */
export function settingsFromAggregates(settings: CloudSettings, aggregates: readonly HostAggregate[]): CloudSettings {
  if (aggregates.every(({ metadata }) => Object.keys(metadata).length === 0)) return settings;
  const changed: CloudSettings = { ...settings };
  for (const key of MULTIPLIER_KEYS) changed[key] = minimumOfValues(aggregateValuesFromKey(aggregates, key), settings[key], 'float');
  for (const [key, filter] of RATIO_FILTERS) {
    const own = settings[key];
    if (!settings.enabled_filters.includes(filter) || own === null) continue;
    changed[key] = minimumOfValues(aggregateValuesFromKey(aggregates, key), own, 'float');
  }
  return changed;
}
