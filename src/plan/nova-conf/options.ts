// The nova.conf options claimplan reads, declared as Nova 26 (Zed) declares them in
// nova/conf/*.py: group, name, oslo.config type and bounds, deprecated names, and the
// cloud setting each becomes (docs/semantics.md#nova-conf). Every other option is
// ignored, as Nova's own services ignore the options of services they are not.

/** oslo_config.types, as far as the modelled options use them. */
export type OptionType =
  | { kind: 'float'; min: number | null }
  | { kind: 'integer'; min: number | null }
  | { kind: 'boolean' }
  | { kind: 'string' }
  | { kind: 'list' }
  /** MultiStrOpt: every occurrence kept, in file order */
  | { kind: 'multi-string' };

export interface NovaConfOption {
  /** `DEFAULT` or the lower-case group name */
  group: string;
  name: string;
  type: OptionType;
  /** `deprecated_name`/`deprecated_group`/`deprecated_opts`, in the order Nova lists them */
  deprecated: { group: string; name: string }[];
  /** Nova's default, as oslo.config returns it when no file sets the option */
  default: OptionValue;
  /**
   * The cloud setting it becomes (docs/plan-format.md, "Cloud settings"); null for the
   * options that become something else (the ratios' fallbacks, the window, the aliases).
   */
  cloudKey: string | null;
}

export type OptionValue = number | boolean | string | string[] | null;

const float = (min: number | null = null): OptionType => ({ kind: 'float', min });
const integer = (min: number | null = null): OptionType => ({ kind: 'integer', min });
const boolean: OptionType = { kind: 'boolean' };
const string: OptionType = { kind: 'string' };
const list: OptionType = { kind: 'list' };

function option(group: string, name: string, type: OptionType, defaultValue: OptionValue, cloudKey: string | null = name, deprecated: NovaConfOption['deprecated'] = []): NovaConfOption {
  return { group, name, type, deprecated, default: defaultValue, cloudKey };
}

/** nova/conf/compute.py (the `[DEFAULT]` part), scheduler.py, pci.py, metrics.py, availability_zone.py. */
export const NOVA_CONF_OPTIONS: readonly NovaConfOption[] = [
  // The ratios' None means "unset": the resource tracker then takes initial_*_allocation_ratio
  // (nova/objects/compute_node.py _from_db_object), so the cloud key is set from both.
  option('DEFAULT', 'cpu_allocation_ratio', float(0), null, null),
  option('DEFAULT', 'ram_allocation_ratio', float(0), null, null),
  option('DEFAULT', 'disk_allocation_ratio', float(0), null, null),
  option('DEFAULT', 'initial_cpu_allocation_ratio', float(0), 16.0, null),
  option('DEFAULT', 'initial_ram_allocation_ratio', float(0), 1.5, null),
  option('DEFAULT', 'initial_disk_allocation_ratio', float(0), 1.0, null),
  option('DEFAULT', 'reserved_host_memory_mb', integer(0), 512),
  option('DEFAULT', 'reserved_host_disk_mb', integer(0), 0),
  option('DEFAULT', 'allow_resize_to_same_host', boolean, false),
  // A positive window confirms every resize on its own (docs/semantics.md, "Moves").
  option('DEFAULT', 'resize_confirm_window', integer(0), 0, null),
  option('DEFAULT', 'default_availability_zone', string, 'nova'),
  option('DEFAULT', 'default_schedule_zone', string, null),
  option('compute', 'packing_host_numa_cells_allocation_strategy', boolean, false),
  option('filter_scheduler', 'host_subset_size', integer(1), 1),
  option('filter_scheduler', 'max_io_ops_per_host', integer(0), 8),
  option('filter_scheduler', 'max_instances_per_host', integer(1), 50),
  option('filter_scheduler', 'enabled_filters', list, ['ComputeFilter', 'ComputeCapabilitiesFilter', 'ImagePropertiesFilter', 'ServerGroupAntiAffinityFilter', 'ServerGroupAffinityFilter']),
  option('filter_scheduler', 'weight_classes', list, ['nova.scheduler.weights.all_weighers']),
  option('filter_scheduler', 'ram_weight_multiplier', float(), 1.0),
  option('filter_scheduler', 'cpu_weight_multiplier', float(), 1.0),
  option('filter_scheduler', 'disk_weight_multiplier', float(), 1.0),
  option('filter_scheduler', 'io_ops_weight_multiplier', float(), -1.0),
  option('filter_scheduler', 'pci_weight_multiplier', float(0), 1.0),
  option('filter_scheduler', 'soft_affinity_weight_multiplier', float(0), 1.0),
  option('filter_scheduler', 'soft_anti_affinity_weight_multiplier', float(0), 1.0),
  option('filter_scheduler', 'build_failure_weight_multiplier', float(), 1000000.0),
  option('filter_scheduler', 'cross_cell_move_weight_multiplier', float(), 1000000.0),
  option('filter_scheduler', 'shuffle_best_same_weighed_hosts', boolean, false),
  option('filter_scheduler', 'isolated_images', list, []),
  option('filter_scheduler', 'isolated_hosts', list, []),
  option('filter_scheduler', 'restrict_isolated_hosts_to_isolated_images', boolean, true),
  option('filter_scheduler', 'aggregate_image_properties_isolation_namespace', string, null),
  option('filter_scheduler', 'aggregate_image_properties_isolation_separator', string, '.'),
  option('metrics', 'weight_multiplier', float(), 1.0, 'metrics_weight_multiplier'),
  option('scheduler', 'max_placement_results', integer(1), 1000),
  option('scheduler', 'query_placement_for_availability_zone', boolean, true),
  option('scheduler', 'limit_tenants_to_placement_aggregate', boolean, false),
  option('scheduler', 'placement_aggregate_required_for_tenants', boolean, false),
  option('scheduler', 'enable_isolated_aggregate_filtering', boolean, false),
  option('pci', 'alias', { kind: 'multi-string' }, [], null, [{ group: 'DEFAULT', name: 'pci_alias' }]),
];

/** `[filter_scheduler] host_subset_size`: how an option is named in messages. */
export function optionLabel(option: { group: string; name: string }): string {
  return `[${option.group}] ${option.name}`;
}

/** An option by group and name, for `$group.name` and `$name` references. */
export function findOption(group: string, name: string): NovaConfOption | undefined {
  return NOVA_CONF_OPTIONS.find((option) => option.group === group && option.name === name);
}

/**
 * Names an operator may still have in a nova.conf that Nova 26 does not read, with the
 * option it reads instead: older releases' names, which Zed no longer declares.
 */
export const NAMES_ZED_DOES_NOT_READ: Readonly<Record<string, { group: string; name: string }>> = {
  scheduler_default_filters: { group: 'filter_scheduler', name: 'enabled_filters' },
  default_filters: { group: 'filter_scheduler', name: 'enabled_filters' },
  scheduler_weight_classes: { group: 'filter_scheduler', name: 'weight_classes' },
  scheduler_host_subset_size: { group: 'filter_scheduler', name: 'host_subset_size' },
};

/** The groups of Nova's own where a modelled option's name, written in the wrong one, is surely that option misplaced. */
export const SCHEDULING_GROUPS: readonly string[] = ['DEFAULT', 'filter_scheduler', 'scheduler', 'compute'];
