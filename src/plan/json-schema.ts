// The one JSON Schema for a plan document (docs/plan-format.md), as plain data: the build
// compiles it ahead of time into validators (bin/build.mjs), so no run pays for ajv's
// compiler. Each node carries a `description` that completes "must be …": a failing type,
// range, pattern or enum reports `must be <description>`, so the wording lives beside the
// rule it explains.

import { LIMITS } from './limits.ts';

/**
 * A bound in a subschema of its own, so that breaking it reports `must be at most …`
 * rather than repeating what the value is.
 */
function bounded<T extends object>(schema: T, bound: object, description: string): T & { allOf: object[] } {
  return { ...schema, allOf: [{ ...bound, description }] };
}

const atMostInteger = [{ maximum: LIMITS.integer }, `at most ${LIMITS.integer}`] as const;
const atMostNameLength = [{ maxLength: LIMITS.nameLength }, `at most ${LIMITS.nameLength} characters long`] as const;

const nonNegativeInteger = bounded({ type: 'integer', minimum: 0, description: 'a non-negative integer' }, ...atMostInteger);
const positiveInteger = bounded({ type: 'integer', minimum: 1, description: 'a positive integer' }, ...atMostInteger);

function positiveIntegerUpTo(maximum: number): object {
  return { type: 'integer', minimum: 1, maximum, description: `a positive integer, at most ${maximum}` };
}
// Huge pages of a many-terabyte host outnumber Nova's 32-bit integers; a plan's number still holds them exactly.
const pageCount = bounded(
  { type: 'integer', minimum: 0, description: 'a non-negative integer' },
  { maximum: Number.MAX_SAFE_INTEGER },
  `at most ${Number.MAX_SAFE_INTEGER}`,
);
const nonNegativeNumber = { type: 'number', minimum: 0, description: 'a non-negative number' };
const nonNegativeNumberOrNull = {
  type: ['number', 'null'],
  minimum: 0,
  description: 'a non-negative number, or null for unlimited',
};
const nonEmptyString = { type: 'string', minLength: 1, description: 'a non-empty string' };
/** Host, instance, flavor and aggregate names: Nova keeps each in a 255-character column. */
const name = bounded({ ...nonEmptyString, description: 'a non-empty name' }, ...atMostNameLength);
const nameTemplate = bounded(
  { type: 'string', minLength: 1, description: 'a non-empty name; `{n}` or `{n:03}` numbers the copies' },
  ...atMostNameLength,
);
const pciId = {
  type: 'string',
  pattern: '^[0-9a-fA-F]{4}$',
  description: 'four hexadecimal digits in quotes, e.g. "10de"',
};
// Nova's PciDeviceType values (nova/objects/fields.py).
const pciDeviceType = {
  enum: ['type-PCI', 'type-PF', 'type-VF', 'vdpa'],
  description: 'one of `type-PCI`, `type-PF`, `type-VF`, `vdpa`',
};
/** placement/schemas/resource_provider.py: a provider's name, here without the unicode Placement also takes. */
const providerName = { type: 'string', minLength: 1, pattern: '^[A-Za-z0-9_:. -]+$' };
/** nova/pci/utils.py PCI_ADDRESS_REGEX's shape: domain:bus:slot.function. */
const PCI_ADDRESS = '^[0-9a-fA-F]{4}:[0-9a-fA-F]{2}:[0-9a-fA-F]{2}\\.[0-7]$';
const cpuSet = {
  type: ['string', 'integer'],
  minimum: 0,
  description: 'a CPU set in quotes, such as "0-7,^3"',
};

function mapping(properties: Record<string, object>, description: string, required: string[] = []): object {
  return { type: 'object', properties, required, additionalProperties: false, description };
}

function list(items: object, description: string, extra: object = {}): object {
  return { type: 'array', items, description, ...extra };
}

const multiplier = { type: 'number', description: 'a number' };

/** The scheduler's nova.conf options (docs/plan-format.md, "Cloud settings"): cloud-wide only. */
const SCHEDULER_SETTING_SCHEMAS = {
  weight_classes: list({ ...name, description: 'a weigher class name' }, 'a list of weigher class names', { uniqueItems: true }),
  ram_weight_multiplier: multiplier,
  cpu_weight_multiplier: multiplier,
  disk_weight_multiplier: multiplier,
  io_ops_weight_multiplier: multiplier,
  // nova.conf refuses these below 0 (FloatOpt min=0.0).
  pci_weight_multiplier: nonNegativeNumber,
  metrics_weight_multiplier: multiplier,
  soft_affinity_weight_multiplier: nonNegativeNumber,
  soft_anti_affinity_weight_multiplier: nonNegativeNumber,
  build_failure_weight_multiplier: multiplier,
  cross_cell_move_weight_multiplier: multiplier,
  host_subset_size: positiveInteger,
  shuffle_best_same_weighed_hosts: { type: 'boolean', description: 'true or false' },
  max_placement_results: positiveInteger,
  max_instances_per_host: nonNegativeInteger,
  max_io_ops_per_host: nonNegativeInteger,
  isolated_images: list({ ...name, description: 'an image name' }, 'a list of image names'),
  isolated_hosts: list({ ...name, description: 'a host name' }, 'a list of host names'),
  restrict_isolated_hosts_to_isolated_images: { type: 'boolean', description: 'true or false' },
  aggregate_image_properties_isolation_namespace: { type: ['string', 'null'], description: 'a string, or null' },
  aggregate_image_properties_isolation_separator: { type: 'string', description: 'a string' },
  default_availability_zone: { ...name, description: 'a zone name' },
  default_schedule_zone: { ...name, type: ['string', 'null'], description: 'a zone name, or null' },
  query_placement_for_availability_zone: { type: 'boolean', description: 'true or false' },
  limit_tenants_to_placement_aggregate: { type: 'boolean', description: 'true or false' },
  placement_aggregate_required_for_tenants: { type: 'boolean', description: 'true or false' },
  enable_isolated_aggregate_filtering: { type: 'boolean', description: 'true or false' },
} as const;

/** Every nova.conf setting a plan's `cloud:` (or a host, or `--set`) may give. */
export const SETTING_SCHEMAS = {
  ram_allocation_ratio: nonNegativeNumberOrNull,
  cpu_allocation_ratio: nonNegativeNumberOrNull,
  disk_allocation_ratio: nonNegativeNumberOrNull,
  reserved_host_memory_mb: nonNegativeInteger,
  reserved_host_disk_mb: nonNegativeInteger,
  enabled_filters: list({ ...name, description: 'a filter class name' }, 'a list of filter class names', {
    uniqueItems: true,
  }),
  weigher: { enum: ['spread', 'pack'], description: '`spread` or `pack`' },
  packing_host_numa_cells_allocation_strategy: { type: 'boolean', description: 'true or false' },
  capacity_model: { enum: ['legacy', 'placement'], description: '`legacy` or `placement`' },
  allow_resize_to_same_host: { type: 'boolean', description: 'true or false' },
  auto_confirm_moves: { type: 'boolean', description: 'true or false' },
  ...SCHEDULER_SETTING_SCHEMAS,
} as const;

/**
 * The settings a host may override: all but those the API, the conductor and the scheduler
 * read, which no host holds (a host's weigher multipliers come from aggregate metadata).
 */
const {
  allow_resize_to_same_host: _resizeSetting,
  auto_confirm_moves: _confirmSetting,
  ...HOST_SETTING_SCHEMAS_WITH_SCHEDULER
} = SETTING_SCHEMAS;
const HOST_SETTING_SCHEMAS = Object.fromEntries(
  Object.entries(HOST_SETTING_SCHEMAS_WITH_SCHEDULER).filter(([key]) => !(key in SCHEDULER_SETTING_SCHEMAS)),
) as Omit<typeof HOST_SETTING_SCHEMAS_WITH_SCHEDULER, keyof typeof SCHEDULER_SETTING_SCHEMAS>;

/**
 * A resource provider's inventory of one class, in Placement's own fields and bounds
 * (placement/schemas/inventory.py); hosts.ts fills what it omits with Placement's defaults
 * and checks the class name and the reserve.
 */
const inventory = mapping(
  {
    total: positiveInteger,
    reserved: nonNegativeInteger,
    min_unit: positiveInteger,
    max_unit: positiveInteger,
    step_size: positiveInteger,
    // db_const.SQL_SP_FLOAT_MAX: the column is a single-precision float.
    allocation_ratio: bounded({ type: 'number', description: 'a number' }, { maximum: 3.40282e38 }, 'at most 3.40282e+38'),
  },
  'a mapping with total, and optionally reserved, min_unit, max_unit, step_size and allocation_ratio',
  ['total'],
);

const numaCell = mapping(
  {
    id: nonNegativeInteger,
    cpus: cpuSet,
    pcpus: cpuSet,
    memory_mb: nonNegativeInteger,
    socket: { type: ['integer', 'null'], minimum: 0, description: 'a socket number, or null' },
    siblings: list(list(nonNegativeInteger, 'a list of CPU ids'), 'a list of thread sibling lists, e.g. [[0, 32]]'),
    mempages: list(
      mapping(
        { size_kb: positiveInteger, total: pageCount, reserved: pageCount },
        'a mapping with size_kb and total',
        ['size_kb', 'total'],
      ),
      'a list of page pools',
    ),
  },
  'a mapping describing one NUMA cell',
  ['id', 'memory_mb'],
);

const pciPool = mapping(
  {
    vendor_id: pciId,
    product_id: pciId,
    numa_node: { type: ['integer', 'null'], minimum: 0, description: 'a non-negative integer or null' },
    count: nonNegativeInteger,
    dev_type: pciDeviceType,
    physical_network: { type: ['string', 'null'], description: 'a string or null' },
  },
  'a mapping describing one PCI device pool',
  ['vendor_id', 'product_id', 'count'],
);

/** The heavy parts of a host, which a host template has too. */
const HOST_PART_DEFS = {
  hostLimits: {
    ...mapping(
      {
        memory_mb: nonNegativeNumberOrNull,
        disk_gb: nonNegativeNumberOrNull,
        vcpu: nonNegativeNumberOrNull,
        numa_topology: {
          ...mapping(
            { cpu_allocation_ratio: nonNegativeNumber, ram_allocation_ratio: nonNegativeNumber },
            'a mapping with cpu_allocation_ratio and ram_allocation_ratio, or null',
            ['cpu_allocation_ratio', 'ram_allocation_ratio'],
          ),
          type: ['object', 'null'],
        },
      },
      'a mapping of memory_mb, disk_gb, vcpu and numa_topology limits, or null',
    ),
    type: ['object', 'null'],
  },
  numaCells: { ...list(numaCell, 'a list of NUMA cells, or null'), type: ['array', 'null'] },
  pciPools: list(pciPool, 'a list of PCI device pools'),
  inventories: {
    type: 'object',
    additionalProperties: inventory,
    description: 'a mapping of resource class names to inventories, e.g. {CUSTOM_GPU: {total: 4}}',
  },
  // A child provider holds providers of the same shape, to any depth (docs/plan-format.md, "Nested resource providers").
  childProviders: list(
    mapping(
      {
        name: bounded({ ...providerName, description: 'a provider name of letters, digits, `_`, `:`, `.`, `-` and spaces' }, ...atMostNameLength),
        inventories: { $ref: '#/$defs/inventories' },
        traits: list({ ...name, description: 'a trait name' }, 'a list of trait names', { uniqueItems: true }),
        providers: { $ref: '#/$defs/childProviders' },
      },
      'a mapping describing a child resource provider: name, and optionally inventories, traits and providers',
      ['name'],
    ),
    'a list of child resource providers',
  ),
  mdev: mapping(
    {
      enabled_types: list({ ...name, description: 'an mdev type name, e.g. nvidia-558' }, 'a list of mdev type names ([devices] enabled_mdev_types)'),
      pgpus: list(
        mapping(
          {
            address: { type: 'string', pattern: PCI_ADDRESS, description: 'a PCI address in quotes, e.g. "0000:81:00.0"' },
            type: { ...name, description: 'the mdev type the pGPU offers' },
            available_instances: nonNegativeInteger,
            traits: list({ ...name, description: 'a trait name' }, 'a list of trait names', { uniqueItems: true }),
          },
          'a mapping with address, type and available_instances',
          ['address', 'type', 'available_instances'],
        ),
        'a list of physical GPUs',
      ),
      mdev_classes: {
        type: 'object',
        additionalProperties: { ...name, description: 'a resource class name' },
        description: 'a mapping of mdev type names to resource classes ([mdev_<type>] mdev_class)',
      },
    },
    'a mapping with enabled_types and pgpus, and optionally mdev_classes',
    ['enabled_types', 'pgpus'],
  ),
};

const host = mapping(
  {
    name: { ...nameTemplate, description: 'a non-empty host name, or a group template such as `cmp-{n:03}`' },
    count: positiveIntegerUpTo(LIMITS.hostsPerGroup),
    vcpus: nonNegativeInteger,
    memory_mb: nonNegativeInteger,
    local_gb: nonNegativeInteger,
    aggregates: list({ ...name, description: 'an aggregate label' }, 'a list of aggregate labels', { uniqueItems: true }),
    overhead: mapping({ memory_mb: nonNegativeInteger, disk_gb: nonNegativeInteger }, 'a mapping with memory_mb and disk_gb'),
    // Shared with host templates by reference, so the compiled validator holds them once.
    limits: { $ref: '#/$defs/hostLimits' },
    numa: { $ref: '#/$defs/numaCells' },
    pci: { $ref: '#/$defs/pciPools' },
    traits: list({ ...name, description: 'a trait name' }, 'a list of trait names', { uniqueItems: true }),
    inventories: { $ref: '#/$defs/inventories' },
    providers: { $ref: '#/$defs/childProviders' },
    mdev: { $ref: '#/$defs/mdev' },
    instances: list(
      mapping({ name: nameTemplate, flavor: { ...name, description: 'a flavor name' } }, 'a mapping with name and flavor', ['name', 'flavor']),
      'a list of instances already on the host',
    ),
    used: mapping(
      { memory_mb: nonNegativeInteger, local_gb: nonNegativeInteger, vcpus: nonNegativeInteger, running_vms: nonNegativeInteger },
      'a mapping of memory_mb, local_gb, vcpus and running_vms',
    ),
    down: { type: 'boolean', description: 'true or false' },
    disabled: { type: 'boolean', description: 'true or false' },
    hypervisor_type: { ...name, description: 'a hypervisor type, e.g. QEMU' },
    hypervisor_version: nonNegativeInteger,
    supported_instances: list(
      { type: 'array', items: { type: 'string' }, minItems: 3, maxItems: 3, description: 'an [architecture, hypervisor type, vm mode] triple' },
      'a list of [architecture, hypervisor type, vm mode] triples, e.g. [[x86_64, kvm, hvm]]',
    ),
    ...HOST_SETTING_SCHEMAS,
  },
  'a mapping describing a host or a group of hosts',
  ['name', 'vcpus', 'memory_mb', 'local_gb'],
);

/**
 * A kind of host `claimplan expand --add` may buy (docs/plan-format.md, "Host templates"):
 * everything a host can have but what new hardware has none of (instances, usage, a
 * stopped or disabled service) and a count, plus what one costs.
 */
const { count: _count, instances: _instances, used: _used, down: _down, disabled: _disabled, ...hostTemplateKeys } = (host as { properties: Record<string, object> }).properties;
const hostTemplate = mapping(
  {
    ...hostTemplateKeys,
    name: { ...name, description: 'a non-empty template name, such as `r640`' },
    cost: { type: 'number', minimum: 0, description: 'a non-negative number, the cost of one host' },
  },
  'a mapping describing a kind of host to add',
  ['name', 'vcpus', 'memory_mb', 'local_gb'],
);

const flavor = mapping(
  {
    name,
    vcpus: positiveInteger,
    memory_mb: positiveInteger,
    root_gb: nonNegativeInteger,
    ephemeral_gb: nonNegativeInteger,
    // The OpenStack CLI prints a flavor without swap as `swap: ""`.
    swap: bounded(
      {
        type: ['integer', 'string'],
        minimum: 0,
        maxLength: 0,
        description: 'a non-negative integer (MB), or "" for none',
      },
      ...atMostInteger,
    ),
    extra_specs: {
      type: 'object',
      additionalProperties: { type: ['string', 'number', 'boolean'], description: 'a string, number or boolean' },
      description: 'a mapping of Nova extra spec keys to values',
    },
  },
  'a mapping describing a flavor',
  ['name', 'vcpus', 'memory_mb', 'root_gb'],
);

// nova.conf [pci] alias; numa_policy values from Nova 26's fields.PCINUMAAffinityPolicy.
const pciAlias = mapping(
  {
    name,
    vendor_id: pciId,
    product_id: pciId,
    device_type: pciDeviceType,
    numa_policy: {
      enum: ['legacy', 'preferred', 'required', 'socket'],
      description: 'one of `legacy`, `preferred`, `required`, `socket`',
    },
  },
  'a mapping describing a PCI alias',
  ['name', 'vendor_id', 'product_id'],
);

/** A server group, as `openstack server group create --policy P [--rule max_server_per_host=N]` makes it. */
const serverGroup = mapping(
  {
    name,
    policy: {
      enum: ['affinity', 'anti-affinity', 'soft-affinity', 'soft-anti-affinity'],
      description: 'one of `affinity`, `anti-affinity`, `soft-affinity`, `soft-anti-affinity`',
    },
    rules: mapping({ max_server_per_host: positiveInteger }, 'a mapping with max_server_per_host'),
  },
  'a mapping with name and policy, and optionally rules',
  ['name', 'policy'],
);

/** Metadata and image properties: strings, as Nova keeps them; YAML's numbers and booleans are what the CLI would send as text. */
const stringValues = (description: string) => ({
  type: 'object',
  additionalProperties: { type: ['string', 'number', 'boolean'], description: 'a string, number or boolean' },
  description,
});

/** A host aggregate, as `openstack aggregate create --zone Z` and `aggregate set --property` make it. */
const aggregate = mapping(
  {
    name,
    availability_zone: { ...name, description: 'a zone name' },
    hosts: list({ ...name, description: 'a host name' }, 'a list of host names', { uniqueItems: true }),
    metadata: stringValues('a mapping of metadata keys to values'),
  },
  'a mapping with name, and optionally availability_zone, hosts and metadata',
  ['name'],
);

/** A Glance image, with the properties the scheduler's filters read. */
const image = mapping(
  { name, properties: stringValues('a mapping of image properties to values') },
  'a mapping with name and properties',
  ['name'],
);

const instanceNames = list({ ...name, description: 'an instance name' }, 'a list of instance names');

/** The keys each kind of request may carry besides the one naming its operation. */
export const OPERATION_KEYS = {
  build: ['count', 'name', 'host', 'aggregate', 'expect', 'boot_from_volume', 'group', 'availability_zone', 'project', 'image', 'hints'],
  delete: ['count'],
  resize: ['flavor', 'count', 'host', 'expect'],
  migrate: ['count', 'host', 'expect'],
  live_migrate: ['count', 'host', 'expect'],
  evacuate: ['count', 'host', 'expect'],
  confirm: ['count', 'expect'],
  revert: ['count', 'expect'],
  down: [],
  up: [],
} as const;
type Operation = keyof typeof OPERATION_KEYS;
export const OPERATIONS = Object.keys(OPERATION_KEYS) as Operation[];
const OPERATION_KEY_NAMES = new Set<string>(OPERATIONS.flatMap((operation) => OPERATION_KEYS[operation]));
const OPERATION_FORMS = OPERATIONS.map((operation) => `\`${operation}: ${operation === 'build' ? 'FLAVOR' : operation === 'down' || operation === 'up' ? 'HOST' : 'NAME'}\``).join(', ');

const request = mapping(
    {
      build: { ...name, description: 'a flavor name' },
      delete: { ...nameTemplate, description: 'an instance name' },
      resize: { ...nameTemplate, description: 'an instance name' },
      migrate: { ...nameTemplate, description: 'an instance name' },
      live_migrate: { ...nameTemplate, description: 'an instance name' },
      evacuate: { ...nameTemplate, description: 'an instance name' },
      confirm: { ...nameTemplate, description: 'an instance name' },
      revert: { ...nameTemplate, description: 'an instance name' },
      down: { ...name, description: 'a host name' },
      up: { ...name, description: 'a host name' },
      flavor: { ...name, description: 'a flavor name' },
      count: positiveIntegerUpTo(LIMITS.buildsPerRequest),
      name: nameTemplate,
      host: { ...name, description: 'a host name' },
      aggregate: { ...name, description: 'an aggregate label' },
      expect: { enum: ['claimed', 'rejected'], description: '`claimed` or `rejected`' },
      boot_from_volume: { type: 'boolean', description: 'true or false' },
      group: { ...name, description: 'a server group name' },
      availability_zone: { ...name, description: 'a zone name' },
      project: { ...name, description: 'a project id' },
      image: { ...name, description: 'an image name' },
      hints: mapping({ same_host: instanceNames, different_host: instanceNames }, 'a mapping with same_host and different_host lists'),
    },
  'a mapping such as {build: FLAVOR} or {delete: NAME}',
);

export const PLAN_SCHEMA = {
  $id: 'plan',
  ...mapping(
    {
      version: { const: 1, description: '1, the only plan format so far' },
      cloud: { $ref: '#/$defs/cloud' },
      hosts: list({ $ref: '#/$defs/host' }, 'a list of hosts'),
      flavors: list(flavor, 'a list of flavors'),
      pci_aliases: list(pciAlias, 'a list of PCI aliases'),
      server_groups: list(serverGroup, 'a list of server groups'),
      aggregates: list(aggregate, 'a list of aggregates'),
      images: list(image, 'a list of images'),
      host_templates: list(hostTemplate, 'a list of host templates'),
      nova_conf: list({ ...nonEmptyString, description: 'a file name' }, 'a list of nova.conf file names, relative to the plan'),
      // A list of requests inline, or a mapping naming an NDJSON trace.
      requests: {
        type: ['array', 'object'],
        items: { $ref: '#/$defs/request' },
        properties: { file: { ...nonEmptyString, description: 'a file name' } },
        required: ['file'],
        additionalProperties: false,
        description: 'a list of requests, or {file: TRACE.ndjson}',
      },
    },
    'a mapping (a plan document)',
    ['version'],
  ),
  $defs: {
    cloud: mapping(SETTING_SCHEMAS, 'a mapping of cloud-wide settings'),
    host,
    request,
    ...HOST_PART_DEFS,
  },
};

export interface OperationProblem {
  key: string | null;
  message: string;
}

/** What one request's keys say it is, and what does not belong to that kind of request. */
export function operationProblems(request: Record<string, unknown>): OperationProblem[] {
  const named = OPERATIONS.filter((operation) => operation in request);
  if (named.length === 0) {
    return [{ key: null, message: `needs one of ${OPERATION_FORMS}` }];
  }
  const [operation, ...others] = named;
  const problems: OperationProblem[] = others.map((other) => ({
    key: other,
    message: `cannot be combined with \`${operation}\` in one request`,
  }));
  if (operation === 'resize' && !('flavor' in request)) problems.push({ key: null, message: 'a resize needs `flavor: FLAVOR`, the flavor to resize to' });
  const allowed: readonly string[] = OPERATION_KEYS[operation];
  for (const key in request) {
    if (OPERATION_KEY_NAMES.has(key) && !allowed.includes(key)) {
      problems.push({ key, message: `does not apply to a \`${operation}\` request` });
    }
  }
  return problems;
}
