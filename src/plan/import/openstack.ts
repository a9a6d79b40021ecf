// A plan from exports operators already have: the OpenStack CLI's JSON for hypervisors,
// flavors and (optionally) Placement. Every missing or unknown column is a located error.
import { sortPlanErrors, type PlanError } from '../errors.ts';
import { didYouMean } from '../did-you-mean.ts';
import { isFields, type Fields } from '../fields.ts';
import type { PathSegment } from '../path.ts';
import { errorAt, readPlanDocument, type Source } from '../source.ts';

export interface ImportFiles {
  hypervisors: string;
  flavors: string;
  placement?: string;
}

export type ImportResult = { ok: true; plan: Record<string, unknown> } | { ok: false; errors: PlanError[] };

/**
 * `openstack hypervisor show -f json` (one object, or a list of them). The client splits
 * the uptime text into host_time, uptime, users and load_average when it can parse it.
 */
const SHOW_COLUMNS = [
  'aggregates', 'cpu_info', 'current_workload', 'disk_available_least', 'free_disk_gb', 'free_ram_mb', 'host_ip', 'host_time',
  'hypervisor_hostname', 'hypervisor_type', 'hypervisor_version', 'id', 'load_average', 'local_gb', 'local_gb_used', 'memory_mb',
  'memory_mb_used', 'running_vms', 'servers', 'service_host', 'service_id', 'state', 'status', 'uptime', 'users', 'vcpus', 'vcpus_used',
];
const SHOW_REQUIRED = ['hypervisor_hostname', 'vcpus', 'vcpus_used', 'memory_mb', 'memory_mb_used', 'local_gb', 'local_gb_used', 'running_vms'];
/** From compute API 2.88 on, `hypervisor show` has no figures left; Placement has them. */
const SHOW_REQUIRED_WITH_PLACEMENT = ['hypervisor_hostname'];

/** `openstack hypervisor list --long -f json`: no disk and no instance count. */
const LIST_COLUMNS = ['ID', 'Hypervisor Hostname', 'Hypervisor Type', 'Host IP', 'State', 'vCPUs Used', 'vCPUs', 'Memory MB Used', 'Memory MB'];
const LIST_REQUIRED = ['Hypervisor Hostname', 'vCPUs Used', 'vCPUs', 'Memory MB Used', 'Memory MB'];
const LIST_REQUIRED_WITH_PLACEMENT = ['Hypervisor Hostname'];

/** `openstack flavor list --long -f json` */
const FLAVOR_COLUMNS = ['ID', 'Name', 'RAM', 'Disk', 'Ephemeral', 'VCPUs', 'Is Public', 'Swap', 'RXTX Factor', 'Properties', 'Description'];
const FLAVOR_REQUIRED = ['Name', 'RAM', 'Disk', 'Ephemeral', 'VCPUs'];

/**
 * `openstack resource provider inventory list UUID -f json` rows (osc-placement adds a
 * `used` column since it learned to show usage there), and `usage show` rows.
 */
const INVENTORY_COLUMNS = ['resource_class', 'allocation_ratio', 'max_unit', 'reserved', 'step_size', 'min_unit', 'total', 'used'];
const USAGE_COLUMNS = ['resource_class', 'usage'];
const PROVIDER_COLUMNS = ['uuid', 'name', 'generation', 'root_provider_uuid', 'parent_provider_uuid'];

class Reader {
  readonly errors: PlanError[] = [];
  constructor(readonly source: Source) {}

  fail(path: PathSegment[], message: string, part: 'key' | 'value' = 'value'): void {
    this.errors.push(errorAt(this.source, path, message, part));
  }

  /** The row's fields, after reporting unknown and missing columns. */
  columns(row: unknown, path: PathSegment[], known: string[], required: string[], what: string): Fields | null {
    if (!isFields(row)) {
      this.fail(path, `must be an object, as \`${what}\` prints each row`);
      return null;
    }
    for (const key of Object.keys(row)) {
      if (!known.includes(key)) this.fail([...path, key], `unknown column \`${key}\` for \`${what}\`${didYouMean(key, known)}`, 'key');
    }
    for (const key of required) if (!(key in row)) this.fail(path, `missing column \`${key}\` (from \`${what}\`)`);
    return row;
  }

  /** A column's whole number; a missing column was reported by `columns` already. */
  integer(row: Fields, key: string, path: PathSegment[]): number {
    if (!(key in row)) return 0;
    const value = row[key];
    const number = typeof value === 'string' && /^\d+$/.test(value.trim()) ? Number(value) : value;
    if (typeof number === 'number' && Number.isInteger(number) && number >= 0) return number;
    if (value === '' || value === null) return 0;
    this.fail([...path, key], 'must be a non-negative integer');
    return 0;
  }

  list(value: unknown, what: string): unknown[] {
    if (Array.isArray(value)) return value;
    if (isFields(value)) return [value];
    this.fail([], `must be the JSON list \`${what}\` prints`);
    return [];
  }
}

/** Properties as the CLI prints them: a JSON object, or older clients' `k='v', k2='v2'` text. */
function extraSpecs(reader: Reader, value: unknown, path: PathSegment[]): Record<string, string> {
  if (value === undefined || value === null || value === '') return {};
  if (isFields(value)) return Object.fromEntries(Object.entries(value).map(([key, spec]) => [key, String(spec)]));
  if (typeof value === 'string') {
    const specs: Record<string, string> = {};
    for (const match of value.matchAll(/([^=,\s]+)='((?:[^'\\]|\\.)*)'/g)) specs[match[1]] = match[2];
    return specs;
  }
  reader.fail(path, 'must be an object or `key=\'value\', …` text');
  return {};
}

interface PlacementHost {
  /** where the provider's UUID is, for errors about the provider as a whole */
  path: PathSegment[];
  uuid: string;
  totals: Record<string, number>;
  reserved: Record<string, number>;
  ratios: Record<string, number>;
  usage: Record<string, number>;
}

/**
 * Placement exports are one file: `{providers, inventories: {UUID: rows}, usages: {UUID: rows}}`,
 * assembled from `resource provider list`, `inventory list` and `usage show` (README).
 * `usages` may be left out when the inventory rows carry `used`.
 */
function readPlacement(reader: Reader, value: unknown): Map<string, PlacementHost> {
  const byName = new Map<string, PlacementHost>();
  const top = reader.columns(value, [], ['providers', 'inventories', 'usages'], ['providers', 'inventories'], 'claimplan placement export');
  if (!top) return byName;
  const inventories = isFields(top.inventories) ? top.inventories : {};
  const usages = isFields(top.usages) ? top.usages : {};
  (Array.isArray(top.providers) ? top.providers : []).forEach((raw, index) => {
    const provider = reader.columns(raw, ['providers', index], PROVIDER_COLUMNS, ['uuid', 'name'], 'openstack resource provider list -f json');
    if (!provider) return;
    const uuid = String(provider.uuid);
    const host: PlacementHost = { path: ['providers', index, 'uuid'], uuid, totals: {}, reserved: {}, ratios: {}, usage: {} };
    const rows = Array.isArray(inventories[uuid]) ? (inventories[uuid] as unknown[]) : [];
    rows.forEach((rawRow, rowIndex) => {
      const path = ['inventories', uuid, rowIndex];
      const row = reader.columns(rawRow, path, INVENTORY_COLUMNS, ['resource_class', 'total', 'reserved', 'allocation_ratio'], 'openstack resource provider inventory list -f json');
      if (!row) return;
      const resourceClass = String(row.resource_class);
      host.totals[resourceClass] = reader.integer(row, 'total', path);
      host.reserved[resourceClass] = reader.integer(row, 'reserved', path);
      host.ratios[resourceClass] = Number(row.allocation_ratio);
      if ('used' in row) host.usage[resourceClass] = reader.integer(row, 'used', path);
    });
    // `usage show` rows, when given, are the usage (they agree with `used` in one export).
    (Array.isArray(usages[uuid]) ? (usages[uuid] as unknown[]) : []).forEach((rawRow, rowIndex) => {
      const path = ['usages', uuid, rowIndex];
      const row = reader.columns(rawRow, path, USAGE_COLUMNS, USAGE_COLUMNS, 'openstack resource provider usage show -f json');
      if (row) host.usage[String(row.resource_class)] = reader.integer(row, 'usage', path);
    });
    byName.set(String(provider.name), host);
  });
  return byName;
}

function mostCommon(values: number[]): number | undefined {
  const counts = new Map<number, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0]?.[0];
}

const RATIO_SETTINGS: Record<string, string> = { VCPU: 'cpu_allocation_ratio', MEMORY_MB: 'ram_allocation_ratio', DISK_GB: 'disk_allocation_ratio' };

export function importOpenStack(files: ImportFiles, readStdin: () => string): ImportResult {
  const errors: PlanError[] = [];
  const read = (path: string) => {
    const result = readPlanDocument(path, readStdin);
    if (!result.ok) errors.push(...result.errors);
    return result.ok ? result.document : null;
  };
  const hypervisorDoc = read(files.hypervisors);
  const flavorDoc = read(files.flavors);
  const placementDoc = files.placement ? read(files.placement) : null;
  if (!hypervisorDoc || !flavorDoc || (files.placement && !placementDoc)) return { ok: false, errors };

  const placementReader = placementDoc ? new Reader(placementDoc.source) : null;
  const placement = placementReader ? readPlacement(placementReader, placementDoc!.value) : null;

  const hypervisors = new Reader(hypervisorDoc.source);
  const rows = hypervisors.list(hypervisorDoc.value, 'openstack hypervisor show -f json');
  const listFormat = rows.some((row) => isFields(row) && 'Hypervisor Hostname' in row);
  const hosts: Record<string, unknown>[] = [];
  rows.forEach((raw, index) => {
    const path = rows === hypervisorDoc.value ? [index] : [];
    // Compute API 2.88 took the figures out of the hypervisor APIs: say so once, not per column.
    const noFigures = !placement && isFields(raw) && !['vcpus', 'memory_mb', 'vCPUs', 'Memory MB'].some((key) => key in raw);
    const row = listFormat
      ? hypervisors.columns(raw, path, LIST_COLUMNS, placement || noFigures ? LIST_REQUIRED_WITH_PLACEMENT : LIST_REQUIRED, 'openstack hypervisor list --long -f json')
      : hypervisors.columns(raw, path, SHOW_COLUMNS, placement || noFigures ? SHOW_REQUIRED_WITH_PLACEMENT : SHOW_REQUIRED, 'openstack hypervisor show -f json');
    if (!row) return;
    if (noFigures) {
      hypervisors.fail(path, 'has no vcpus, memory or disk figures (compute API 2.88 and later leave them out): give --placement exports, or export with --os-compute-api-version 2.87');
      return;
    }
    const name = String(listFormat ? row['Hypervisor Hostname'] : row.hypervisor_hostname);
    const number = (show: string, list: string) => hypervisors.integer(row, listFormat ? list : show, path);
    const fromPlacement = placement?.get(name);
    if (placement && !fromPlacement) hypervisors.fail(path, `no resource provider named \`${name}\` in ${files.placement}`);
    if (fromPlacement && Object.keys(fromPlacement.totals).length === 0) {
      placementReader!.fail(fromPlacement.path, `no inventory rows under inventories.${fromPlacement.uuid} for hypervisor \`${name}\``);
    }
    if (listFormat && !fromPlacement) {
      hypervisors.fail(path, '`hypervisor list --long` has no disk figures: give `hypervisor show` exports or --placement');
      return;
    }
    const host: Record<string, unknown> = { name };
    if (fromPlacement) {
      // Placement's totals, reservations and ratios are what the scheduler enforces today.
      host.vcpus = fromPlacement.totals.VCPU ?? 0;
      host.memory_mb = fromPlacement.totals.MEMORY_MB ?? 0;
      host.local_gb = fromPlacement.totals.DISK_GB ?? 0;
      host.reserved_host_memory_mb = fromPlacement.reserved.MEMORY_MB ?? 0;
      host.reserved_host_disk_mb = (fromPlacement.reserved.DISK_GB ?? 0) * 1024;
      for (const [resourceClass, setting] of Object.entries(RATIO_SETTINGS)) {
        if (fromPlacement.ratios[resourceClass] !== undefined) host[setting] = fromPlacement.ratios[resourceClass];
      }
      host.used = {
        memory_mb: fromPlacement.usage.MEMORY_MB ?? 0,
        local_gb: fromPlacement.usage.DISK_GB ?? 0,
        vcpus: fromPlacement.usage.VCPU ?? 0,
        running_vms: listFormat ? 0 : number('running_vms', ''),
      };
    } else {
      host.vcpus = number('vcpus', 'vCPUs');
      host.memory_mb = number('memory_mb', 'Memory MB');
      host.local_gb = number('local_gb', '');
      // The hypervisor's *_used figures already include what the host reserves, so the
      // plan counts them as usage and reserves nothing on top.
      host.reserved_host_memory_mb = 0;
      host.reserved_host_disk_mb = 0;
      host.used = {
        memory_mb: number('memory_mb_used', 'Memory MB Used'),
        local_gb: number('local_gb_used', ''),
        vcpus: number('vcpus_used', 'vCPUs Used'),
        running_vms: number('running_vms', ''),
      };
    }
    if (!listFormat && Array.isArray(row.aggregates)) host.aggregates = row.aggregates.map(String);
    hosts.push(host);
  });

  const flavorReader = new Reader(flavorDoc.source);
  const flavors = flavorReader.list(flavorDoc.value, 'openstack flavor list --long -f json').flatMap((raw, index) => {
    const row = flavorReader.columns(raw, [index], FLAVOR_COLUMNS, FLAVOR_REQUIRED, 'openstack flavor list --long -f json');
    if (!row) return [];
    const extra_specs = extraSpecs(flavorReader, row.Properties, [index, 'Properties']);
    return [{
      name: String(row.Name),
      vcpus: flavorReader.integer(row, 'VCPUs', [index]),
      memory_mb: flavorReader.integer(row, 'RAM', [index]),
      root_gb: flavorReader.integer(row, 'Disk', [index]),
      ephemeral_gb: flavorReader.integer(row, 'Ephemeral', [index]),
      swap: row.Swap === undefined ? 0 : flavorReader.integer(row, 'Swap', [index]),
      ...(Object.keys(extra_specs).length > 0 ? { extra_specs } : {}),
    }];
  });

  errors.push(...hypervisors.errors, ...flavorReader.errors, ...(placementReader?.errors ?? []));
  const fileOrder = [files.hypervisors, files.flavors, ...(files.placement ? [files.placement] : [])];
  if (errors.length > 0) return { ok: false, errors: sortPlanErrors(errors, fileOrder) };

  // Settings shared by most hosts become the cloud's; a host that differs keeps its own.
  const cloud: Record<string, unknown> = {};
  for (const setting of ['reserved_host_memory_mb', 'reserved_host_disk_mb', ...Object.values(RATIO_SETTINGS)]) {
    const values = hosts.flatMap((host) => (typeof host[setting] === 'number' ? [host[setting] as number] : []));
    const common = mostCommon(values);
    if (common === undefined) continue;
    cloud[setting] = common;
    for (const host of hosts) if (host[setting] === common) delete host[setting];
  }
  // Placement enforces vcpus as well as memory and disk, which the legacy filters only do with CoreFilter.
  if (placement) cloud.enabled_filters = ['RamFilter', 'DiskFilter', 'CoreFilter'];
  return { ok: true, plan: { version: 1, cloud, hosts, flavors, requests: [] } };
}
