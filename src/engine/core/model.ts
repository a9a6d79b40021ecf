// The engine's model: what a cloud, its hosts, flavors and requests are, and what a
// replay decides. plan/ builds these from files; report/ renders what the engine returns.

/** nova.conf-wide settings (docs/plan-format.md, "Cloud settings"); a host may override any of them. */
export interface CloudSettings {
  /** null leaves memory unlimited, as a filter that sets no limit does. */
  ram_allocation_ratio: number | null;
  cpu_allocation_ratio: number | null;
  disk_allocation_ratio: number | null;
  reserved_host_memory_mb: number;
  reserved_host_disk_mb: number;
  enabled_filters: string[];
  /**
   * nova.conf [filter_scheduler] weight_classes, as Nova's class names in the order Nova
   * runs them (docs/semantics.md, "The scheduler"); the multipliers below are the options
   * of the same names ([metrics] weight_multiplier for the MetricsWeigher).
   */
  weight_classes: WeigherName[];
  ram_weight_multiplier: number;
  cpu_weight_multiplier: number;
  disk_weight_multiplier: number;
  io_ops_weight_multiplier: number;
  pci_weight_multiplier: number;
  metrics_weight_multiplier: number;
  soft_affinity_weight_multiplier: number;
  soft_anti_affinity_weight_multiplier: number;
  build_failure_weight_multiplier: number;
  cross_cell_move_weight_multiplier: number;
  /** the scheduler picks at random among this many of the best-weighed hosts */
  host_subset_size: number;
  shuffle_best_same_weighed_hosts: boolean;
  /** [scheduler] max_placement_results: how many allocation candidates the scheduler asks Placement for */
  max_placement_results: number;
  packing_host_numa_cells_allocation_strategy: boolean;
  /** how a host's capacity is claimed: the seed's ComputeNode limits, or Placement's inventories */
  capacity_model: CapacityModelName;
  /** nova.conf allow_resize_to_same_host: a resize may land on the host the instance is on */
  allow_resize_to_same_host: boolean;
  /**
   * Whether a resize or cold migration is confirmed as soon as it lands, as a positive
   * nova.conf resize_confirm_window does; false holds both hosts until `confirm:` or
   * `revert:`, as Nova's default (0, never) does (docs/semantics.md, "Moves").
   */
  auto_confirm_moves: boolean;
  /** [filter_scheduler] max_instances_per_host: NumInstancesFilter's bound, and AggregateNumInstancesFilter's default */
  max_instances_per_host: number;
  /** [filter_scheduler] max_io_ops_per_host: IoOpsFilter's bound, and AggregateIoOpsFilter's default */
  max_io_ops_per_host: number;
  /** [filter_scheduler] isolated_images: the images (by name) IsolatedHostsFilter keeps to isolated_hosts */
  isolated_images: string[];
  /** [filter_scheduler] isolated_hosts */
  isolated_hosts: string[];
  /** [filter_scheduler] restrict_isolated_hosts_to_isolated_images */
  restrict_isolated_hosts_to_isolated_images: boolean;
  /** [filter_scheduler] aggregate_image_properties_isolation_namespace: null reads every metadata key */
  aggregate_image_properties_isolation_namespace: string | null;
  /** [filter_scheduler] aggregate_image_properties_isolation_separator */
  aggregate_image_properties_isolation_separator: string;
  /** [DEFAULT] default_availability_zone: the zone of a host no aggregate puts in one */
  default_availability_zone: string;
  /** [DEFAULT] default_schedule_zone: the zone a build that names none is given; null: anywhere */
  default_schedule_zone: string | null;
  /** [scheduler] query_placement_for_availability_zone: Zed's request filter keeps a zone through Placement aggregates */
  query_placement_for_availability_zone: boolean;
  /** [scheduler] limit_tenants_to_placement_aggregate */
  limit_tenants_to_placement_aggregate: boolean;
  /** [scheduler] placement_aggregate_required_for_tenants */
  placement_aggregate_required_for_tenants: boolean;
  /** [scheduler] enable_isolated_aggregate_filtering */
  enable_isolated_aggregate_filtering: boolean;
}

/** `weigher:`, the plan's shorthand for ram_weight_multiplier +1.0 (spread) or −1.0 (pack) */
export type Weigher = 'spread' | 'pack';
export type CapacityModelName = 'legacy' | 'placement';
/** What a plan's `cloud:` or `--set` may name: every setting, and the `weigher` shorthand. */
export type SettingName = keyof CloudSettings | 'weigher';
export type SettingValues = CloudSettings & { weigher: Weigher };

/** Zed's nova.scheduler.weights.all_weighers, in the order Nova loads and runs them. */
export const WEIGHER_NAMES = [
  'RAMWeigher',
  'CPUWeigher',
  'DiskWeigher',
  'MetricsWeigher',
  'IoOpsWeigher',
  'PCIWeigher',
  'ServerGroupSoftAffinityWeigher',
  'ServerGroupSoftAntiAffinityWeigher',
  'BuildFailureWeigher',
  'CrossCellWeigher',
] as const;
export type WeigherName = (typeof WEIGHER_NAMES)[number];

/** Nova's legacy defaults (docs/plan-format.md, "Cloud settings"). */
export const DEFAULT_CLOUD_SETTINGS: Readonly<CloudSettings> = Object.freeze({
  ram_allocation_ratio: 1.5,
  cpu_allocation_ratio: 16.0,
  disk_allocation_ratio: 1.0,
  reserved_host_memory_mb: 512,
  reserved_host_disk_mb: 0,
  enabled_filters: [
    'RetryFilter',
    'AvailabilityZoneFilter',
    'RamFilter',
    'DiskFilter',
    'ComputeFilter',
    'ComputeCapabilitiesFilter',
    'ImagePropertiesFilter',
    'ServerGroupAntiAffinityFilter',
    'ServerGroupAffinityFilter',
  ],
  weight_classes: [...WEIGHER_NAMES],
  ram_weight_multiplier: 1.0,
  cpu_weight_multiplier: 1.0,
  disk_weight_multiplier: 1.0,
  io_ops_weight_multiplier: -1.0,
  pci_weight_multiplier: 1.0,
  metrics_weight_multiplier: 1.0,
  soft_affinity_weight_multiplier: 1.0,
  soft_anti_affinity_weight_multiplier: 1.0,
  build_failure_weight_multiplier: 1000000.0,
  cross_cell_move_weight_multiplier: 1000000.0,
  host_subset_size: 1,
  shuffle_best_same_weighed_hosts: false,
  max_placement_results: 1000,
  packing_host_numa_cells_allocation_strategy: false,
  capacity_model: 'legacy',
  allow_resize_to_same_host: false,
  auto_confirm_moves: false,
  max_instances_per_host: 50,
  max_io_ops_per_host: 8,
  isolated_images: [],
  isolated_hosts: [],
  restrict_isolated_hosts_to_isolated_images: true,
  aggregate_image_properties_isolation_namespace: null,
  aggregate_image_properties_isolation_separator: '.',
  default_availability_zone: 'nova',
  default_schedule_zone: null,
  query_placement_for_availability_zone: true,
  limit_tenants_to_placement_aggregate: false,
  placement_aggregate_required_for_tenants: false,
  enable_isolated_aggregate_filtering: false,
});

/**
 * Zed's [filter_scheduler] enabled_filters default, which the Placement model uses when the
 * plan names no list (docs/semantics.md, "Filters").
 */
export const ZED_DEFAULT_FILTERS: readonly string[] = Object.freeze([
  'ComputeFilter',
  'ComputeCapabilitiesFilter',
  'ImagePropertiesFilter',
  'ServerGroupAntiAffinityFilter',
  'ServerGroupAffinityFilter',
]);

/** A host aggregate (docs/plan-format.md, "Aggregates"): its zone, members and metadata, all strings as Nova keeps them. */
export interface AggregateSpec {
  name: string;
  availability_zone: string | null;
  /** members named by the aggregate, besides the hosts listing its name in `aggregates:` */
  hosts: string[];
  metadata: Record<string, string>;
}

/** A Glance image a build boots from, with the properties the filters read (docs/plan-format.md, "Images"). */
export interface ImageSpec {
  name: string;
  properties: Record<string, string>;
}

/** `openstack server create --hint`: the instances (by name) a build must be with, or away from. */
export interface SchedulerHints {
  same_host?: string[];
  different_host?: string[];
}

/** The resources the legacy claim tests, with the amounts a flavor asks for. */
export interface Resources {
  memory_mb: number;
  disk_gb: number;
  vcpus: number;
}

/** Scheduler limits as Nova passes them to the claim; null means unlimited. */
export interface Limits {
  memory_mb: number | null;
  disk_gb: number | null;
  vcpu: number | null;
  /** NUMATopologyLimits, set only by NUMATopologyFilter (or explicit limits). */
  numa_topology: NumaTopologyLimits | null;
}

export interface NumaTopologyLimits {
  cpu_allocation_ratio: number;
  ram_allocation_ratio: number;
}

/** Explicit per-host limits from the plan: each key absent or null is unlimited. */
export interface ExplicitLimits {
  memory_mb?: number | null;
  disk_gb?: number | null;
  vcpu?: number | null;
  numa_topology?: NumaTopologyLimits | null;
}

/**
 * A resource provider's inventory of one resource class, in Placement's own fields
 * (docs/plan-format.md, "The Placement model").
 */
export interface Inventory {
  total: number;
  reserved: number;
  min_unit: number;
  max_unit: number;
  step_size: number;
  allocation_ratio: number;
}

/** Amounts per resource class, in the order they were asked for. */
export type ResourceAmounts = Record<string, number>;

export interface Flavor {
  name: string;
  vcpus: number;
  memory_mb: number;
  root_gb: number;
  ephemeral_gb: number;
  /** MB; not part of the legacy claim (docs/semantics.md, "Requested amounts"). */
  swap: number;
  extra_specs: Record<string, string>;
}

/** A host NUMA cell as the plan describes it (docs/plan-format.md, "NUMA cells"). */
export interface HostNumaCellSpec {
  id: number;
  /** shared CPUs (cpu_shared_set) */
  cpus: number[];
  /** dedicated CPUs (cpu_dedicated_set) */
  pcpus: number[];
  memory_mb: number;
  /** thread sibling sets; empty means each CPU is its own core */
  siblings: number[][];
  mempages: { size_kb: number; total: number; reserved?: number }[];
  /** the socket the cell sits on (NUMACell.socket), for the PCI `socket` affinity policy */
  socket?: number | null;
}

export interface PciPoolSpec {
  vendor_id: string;
  product_id: string;
  numa_node: number | null;
  count: number;
  dev_type: string;
  physical_network: string | null;
}

/** nova.conf [pci] alias */
export interface PciAlias {
  name: string;
  vendor_id: string;
  product_id: string;
  /** '' when the alias names none: then it matches every device type, as in Nova */
  device_type: string;
  numa_policy: string;
}

export interface HostSpec {
  name: string;
  /** the name template of the group this host was expanded from (`cmp-{n:03}`), if any */
  group?: string;
  vcpus: number;
  memory_mb: number;
  local_gb: number;
  aggregates: string[];
  /** cloud settings this host overrides, as aggregate metadata does */
  settings: Partial<CloudSettings>;
  /** the virt driver's per-instance overhead */
  overhead: { memory_mb: number; disk_gb: number };
  /** when present, replaces the limits the filters would set */
  limits: ExplicitLimits | null;
  numa: HostNumaCellSpec[] | null;
  pci: PciPoolSpec[];
  /** instances already on the host, counted without a claim test */
  instances: { name: string; flavor: string }[];
  /** usage totals already on the host, on top of reserved amounts */
  used: { memory_mb: number; local_gb: number; vcpus: number; running_vms: number };
  /** the compute service is down at the start, as after a `down:` request */
  down?: boolean;
  /**
   * the compute service is disabled (`openstack compute service set --disable`) for the
   * whole replay: the scheduler passes over the host, which is otherwise up
   */
  disabled?: boolean;
  /** the resource provider's traits as the plan lists them (Placement model) */
  traits?: string[];
  /** inventories the plan gives, each replacing the one derived from the host's figures (Placement model) */
  inventories?: Record<string, Inventory>;
  /** the hypervisor's type as the compute node reports it; QEMU when absent */
  hypervisor_type?: string;
  /** the hypervisor's version as an integer (7002000 is 7.2.0); 7002000 when absent */
  hypervisor_version?: number;
  /** [architecture, hypervisor type, vm mode] triples; [[x86_64, kvm, hvm]] when absent */
  supported_instances?: string[][];
  /**
   * child resource providers under the compute node's provider, to any depth, as the plan
   * gives them or as Zed's libvirt driver reports a host's pGPUs (Placement model;
   * docs/plan-format.md, "Nested resource providers")
   */
  providers?: ChildProviderSpec[];
}

/** A resource provider below a compute node's: a pGPU's, a NIC's, a NUMA node's. */
export interface ChildProviderSpec {
  /** unique cloud-wide, as Placement names providers */
  name: string;
  /** its own classes, never its root's */
  inventories: Record<string, Inventory>;
  traits: string[];
  providers: ChildProviderSpec[];
}

/** What one provider of a host's tree gives to one allocation. */
export interface ProviderAllocation {
  provider: string;
  resources: ResourceAmounts;
}

export type Expectation = 'claimed' | 'rejected';

export type Request = BuildRequest | DeleteRequest | HostStateRequest | MoveRequest | MoveEndRequest;

export interface BuildRequest {
  op: 'build';
  instance: string;
  flavor: string;
  /** claim on this node, as the compute manager does; otherwise the scheduler picks */
  host: string | null;
  /** only hosts carrying this label */
  aggregate: string | null;
  expect: Expectation | null;
  /** the root disk is a volume, so the Placement model does not ask DISK_GB for it */
  boot_from_volume?: boolean;
  /** the server group the instance joins (`openstack server create --hint group=…`) */
  group?: string;
  /** `server create --availability-zone` */
  availability_zone?: string;
  /** the project the server is built for */
  project?: string;
  /** the image (by name, from the plan's `images:`) the server boots from */
  image?: string;
  hints?: SchedulerHints;
}

/** Nova's server group policies (nova/objects/instance_group.py). */
export type ServerGroupPolicy = 'affinity' | 'anti-affinity' | 'soft-affinity' | 'soft-anti-affinity';

/** A server group (docs/plan-format.md, "Server groups"). */
export interface ServerGroup {
  name: string;
  policy: ServerGroupPolicy;
  /** anti-affinity's `rules: {max_server_per_host: N}`; Nova's default is 1 */
  max_server_per_host: number;
}

export interface DeleteRequest {
  op: 'delete';
  instance: string;
}

/** How an instance moves (docs/semantics.md, "Moves"). */
export type MoveOperation = 'resize' | 'migrate' | 'live_migrate' | 'evacuate';

/**
 * A move: a resize to another flavor, a cold or live migration, or an evacuation off a
 * host that is down; the scheduler picks the destination, only among `host` when given.
 */
export interface MoveRequest {
  op: MoveOperation;
  instance: string;
  /** the new flavor: resize only */
  flavor: string | null;
  host: string | null;
  expect: Expectation | null;
}

/** The end of an unconfirmed resize or cold migration: keep the destination or go back. */
export interface MoveEndRequest {
  op: 'confirm' | 'revert';
  instance: string;
  expect: Expectation | null;
}

/**
 * A host's compute service going down (the scheduler's ComputeFilter then passes over it
 * and nothing claims on it; its instances stay counted) or coming back up
 * (docs/semantics.md, "Hosts down and up").
 */
export interface HostStateRequest {
  op: 'down' | 'up';
  host: string;
}

/** A whole cloud, ready to replay. Requests may be a stream (docs/plan-format.md, "Request traces"). */
export interface Cloud {
  settings: CloudSettings;
  hosts: HostSpec[];
  flavors: Flavor[];
  pci_aliases: PciAlias[];
  /** none when the plan defines no server groups */
  server_groups?: ServerGroup[];
  /** none when the plan defines no aggregates with a zone or metadata */
  aggregates?: AggregateSpec[];
  /** none when the plan defines no images */
  images?: ImageSpec[];
  /** seeds the scheduler's random draws (host_subset_size, shuffle_best_same_weighed_hosts); 0 when absent */
  seed?: number;
}

export interface Attempt {
  host: string;
  reasons: string[];
}

/** A build is claimed or rejected, a delete released; a host state request leaves the host `down` or `up`. */
export type DecisionResult = 'claimed' | 'rejected' | 'released' | 'down' | 'up';

export interface Decision {
  seq: number;
  op: Request['op'];
  /** null for a host state request, which concerns no instance */
  instance: string | null;
  /**
   * Moves, confirm and revert only: the host the instance leaves (for confirm and revert,
   * the host whose hold they give back); null when it has none
   */
  from?: string | null;
  flavor: string | null;
  host: string | null;
  result: DecisionResult;
  reasons: string[];
  /** the full exception text; rejections only */
  message: string | null;
  requested: Resources | null;
  /** Placement model: the resource classes asked for (given back, for a delete), in Nova's order */
  resources?: ResourceAmounts | null;
  /** Placement model, a host with child providers: the providers allocated from (given back, for a delete), in tree order */
  providers?: ProviderAllocation[];
  expect: Expectation | null;
  /** null when the request set no expectation */
  expectation_met: boolean | null;
  /**
   * Why the scheduler found no host, summarised by cause (docs/output.md, "causes");
   * null unless a scheduled build found no host.
   */
  causes: RejectionCause[] | null;
  /** every host the scheduler tried, with its reasons; only when asked for (`--explain`) */
  attempts: Attempt[] | null;
  /**
   * The best-weighed hosts, highest first, with each weigher's share: why the scheduler
   * chose its host (`--explain`, scheduled builds and moves that found one); absent otherwise
   */
  weighed?: WeighedHost[];
  /** NUMA cells chosen and CPUs pinned, for NUMA-fitted instances */
  numa: InstanceNumaPlacement | null;
  /** PCI devices taken, per pool */
  pci: PciDevicesTaken[] | null;
  /** Nova's audit lines for each claim tried (docs/output.md, "--verbose"), only when asked for */
  audit: ClaimAudit[] | null;
}

/**
 * What a host can be ruled out by: under the legacy model the claim's tests, in the order
 * Nova runs them; under the Placement model a resource class (`VCPU`, `CUSTOM_GPU`) or a
 * trait (`trait:CUSTOM_GOLD`), then NUMA and PCI; under both, the build's server group
 * (ServerGroupAffinityFilter, ServerGroupAntiAffinityFilter), a compute service that is
 * down (ComputeFilter) and the aggregate asked for; under a move, the host the instance
 * is on (the request's ignore_hosts).
 */
export type CauseName = 'memory' | 'disk' | 'vcpu' | 'numa' | 'pci' | 'group' | 'down' | 'aggregate' | 'source' | ResourceClassName | `trait:${string}`;

/** A Placement resource class: a standard one (`VCPU`, `MEMORY_MB`) or `CUSTOM_…`. */
export type ResourceClassName = string;

/**
 * How many hosts one cause ruled out (a host failing on memory and disk counts under
 * both), and the host that came closest, as kube-scheduler summarises "0/3 nodes are
 * available". `aggregate` counts the hosts outside the aggregate the build asked for.
 */
export interface RejectionCause {
  cause: CauseName;
  hosts: number;
  /** resources only (memory, disk, vcpu; resource classes): the host short by the least, first listed on a tie */
  closest: ClosestMiss | null;
  /** the `group` cause only: the server group whose policy ruled the hosts out */
  server_group?: { name: string; policy: ServerGroupPolicy };
}

export interface ClosestMiss {
  host: string;
  /** requested − free, in the resource's unit */
  short: number;
  /** MB, GB or VCPU; under the Placement model a resource class's unit (MB, GB) or its name */
  unit: string;
}

export interface WeighedHost {
  host: string;
  /** the total Nova sorts by */
  weight: number;
  /** per weigher in weight_classes, its multiplier × normalised weight; empty when Nova weighed nothing (a single host passed) */
  weights: Partial<Record<WeigherName, number>>;
}

export interface ClaimAudit {
  host: string;
  lines: string[];
}

export interface InstanceNumaCellPlacement {
  /** instance cell id */
  id: number;
  /** host cell it landed on */
  host_cell: number;
  memory_mb: number;
  cpus: number[];
  /** instance vCPU -> host pCPU, dedicated instances only */
  pinning: Record<string, number> | null;
  pagesize_kb: number | null;
}

export interface InstanceNumaPlacement {
  cells: InstanceNumaCellPlacement[];
  /** host CPUs reserved for emulator threads (hw:emulator_threads_policy=isolate) */
  emulator_threads: number[];
}

export interface PciDevicesTaken {
  vendor_id: string;
  product_id: string;
  numa_node: number | null;
  dev_type: string;
  physical_network: string | null;
  count: number;
}

/** A node's figures as Nova's ComputeNode keeps them (the *_used fields are integers). */
export interface HostUsage {
  host: string;
  memory_mb: number;
  memory_mb_used: number;
  free_ram_mb: number;
  local_gb: number;
  local_gb_used: number;
  free_disk_gb: number;
  vcpus: number;
  vcpus_used: number;
  running_vms: number;
  limits: Limits;
  numa_cells: NumaCellUsage[] | null;
  pci_pools: PciPoolUsage[] | null;
  /** Placement model: the provider's inventories, as `openstack resource provider inventory list` */
  inventories?: Record<string, Inventory>;
  /** Placement model: what the allocations use of each class, as `openstack resource provider usage show` */
  usages?: ResourceAmounts;
  /** Placement model: the provider's traits, sorted */
  traits?: string[];
  /** Placement model: the child providers under the host's, each with its inventories, usages and traits, depth-first */
  providers?: ProviderUsage[];
}

/** A child provider's figures in a host's usage. */
export interface ProviderUsage {
  provider: string;
  inventories: Record<string, Inventory>;
  usages: ResourceAmounts;
  traits: string[];
  providers: ProviderUsage[];
}

export interface NumaCellUsage {
  id: number;
  cpus: number[];
  pcpus: number[];
  cpu_usage: number;
  pinned_cpus: number[];
  memory_mb: number;
  memory_usage: number;
  mempages: { size_kb: number; total: number; used: number; reserved: number }[];
}

export interface PciPoolUsage {
  vendor_id: string;
  product_id: string;
  numa_node: number | null;
  dev_type: string;
  physical_network: string | null;
  total: number;
  free: number;
}

export interface ReplaySummary {
  requests: number;
  builds: number;
  deletes: number;
  claimed: number;
  rejected: number;
  released: number;
  /** resizes, migrations, evacuations, confirms and reverts */
  moves: number;
  expectations: number;
  expectations_failed: number;
  /** the seed of the scheduler's random draws, when its settings make it draw (docs/semantics.md, "Weighing") */
  seed?: number;
}

/** What a replay reports beyond its decisions. */
export interface ReplayOptions {
  /** collect Nova's audit lines for every claim (docs/output.md, "--verbose") */
  audit: boolean;
  /** list every host tried, with its reasons, on scheduled builds (`--explain`) */
  explain: boolean;
}
