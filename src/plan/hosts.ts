// A plan's hosts (and host groups) as the engine's HostSpecs, with the checks that need
// a whole host in view: NUMA cells whose CPUs overlap, siblings outside their cell, PCI
// pools on cells that do not exist.
import type { HostNumaCellSpec, HostSpec, PciPoolSpec } from '../engine/core/model.ts';
import { LARGEST_CPU_ID, parseCpuSpec } from '../engine/topology/cpu-spec.ts';
import type { PlanError } from './errors.ts';
import { fieldsOf, integerOf, isFields, listOf, nameOf, numberOrNullOf, stringOf, type Fields } from './fields.ts';
import type { PathSegment } from './path.ts';
import { LIMITS } from './limits.ts';
import { readPlacementKeys } from './placement-keys.ts';
import { vgpuProviders } from '../engine/models/placement/vgpu.ts';
import { settingsIn } from './settings.ts';
import { errorIn, type Origin } from './source.ts';
import { expandName, parseNameTemplate, templateForCopies } from './name-templates.ts';

/** Where a plan item sits, for locating what is wrong with it. */
/** A host item from the plan, expanded to one spec per host of its group. */
export interface HostItem {
  origin: Origin;
  specs: HostSpec[];
  /** where each of a spec's `instances` is written (the same for every host of a group) */
  instanceOrigins: Origin[];
}

/** "0-3,7": a sorted CPU list written the way Nova's cpu_*_set options take it. */
function formatCpuSet(cpus: number[]): string {
  const ranges: string[] = [];
  for (let start = 0; start < cpus.length; ) {
    let end = start;
    while (end + 1 < cpus.length && cpus[end + 1] === cpus[end] + 1) end++;
    ranges.push(end === start ? `${cpus[start]}` : `${cpus[start]}-${cpus[end]}`);
    start = end + 1;
  }
  return ranges.join(',');
}

function cpuSetOf(value: unknown, origin: Origin, key: PathSegment[], errors: PlanError[]): number[] {
  if (Number.isInteger(value)) {
    const cpu = value as number;
    if (cpu >= 0 && cpu <= LARGEST_CPU_ID) return [cpu];
    if (cpu > LARGEST_CPU_ID) errors.push(errorIn(origin, key, `CPU ${cpu} is beyond the largest CPU id accepted (${LARGEST_CPU_ID})`));
    return [];
  }
  if (typeof value !== 'string') return [];
  for (const match of value.matchAll(/\d+(?:_\d+)*/g)) {
    const cpu = Number(match[0].replace(/_/g, ''));
    if (cpu > LARGEST_CPU_ID) {
      errors.push(errorIn(origin, key, `CPU ${cpu} is beyond the largest CPU id accepted (${LARGEST_CPU_ID})`));
      return [];
    }
  }
  const parsed = parseCpuSpec(value);
  if (!parsed.ok) {
    errors.push(errorIn(origin, key, parsed.error));
    return [];
  }
  return parsed.value;
}

function readNumaCells(value: unknown, origin: Origin, errors: PlanError[]): HostNumaCellSpec[] | null {
  if (!Array.isArray(value)) return null;
  const cells: HostNumaCellSpec[] = [];
  const cellWithId = new Map<number, number>();
  const placeOfCpu = new Map<number, string>();
  value.forEach((rawCell, index) => {
    const cell = fieldsOf(rawCell);
    const here = (...subpath: PathSegment[]) => ['numa', index, ...subpath];
    const id = integerOf(cell.id, index);
    if (Number.isInteger(cell.id) && cellWithId.has(id)) {
      errors.push(errorIn(origin, here('id'), `cell id ${id} is already used by numa[${cellWithId.get(id)}]`));
    }
    if (!cellWithId.has(id)) cellWithId.set(id, index);
    const sets = { cpus: [] as number[], pcpus: [] as number[] };
    const errorsBefore = errors.length;
    for (const key of ['cpus', 'pcpus'] as const) {
      const cpus = cpuSetOf(cell[key], origin, here(key), errors);
      const taken = cpus.filter((cpu) => placeOfCpu.has(cpu));
      if (taken.length > 0) {
        const first = placeOfCpu.get(taken[0]);
        const what = taken.length === 1 ? `CPU ${taken[0]} is` : `CPUs ${formatCpuSet(taken)} are`;
        errors.push(errorIn(origin, here(key), `${what} already in ${first}`));
      }
      // Taken CPUs are reported and left out, so that a host holds no more CPUs than the
      // largest id allows, however many cells repeat a range (docs/limits.md).
      sets[key] = taken.length === 0 ? cpus : cpus.filter((cpu) => !placeOfCpu.has(cpu));
      for (const cpu of sets[key]) placeOfCpu.set(cpu, `numa[${index}].${key}`);
    }
    const inCell = new Set([...sets.cpus, ...sets.pcpus]);
    const siblings = listOf(cell.siblings).map((rawGroup, groupIndex) => {
      const group = listOf(rawGroup).filter((cpu): cpu is number => Number.isInteger(cpu) && (cpu as number) >= 0);
      const outside = group.filter((cpu) => !inCell.has(cpu));
      // When the cell's own CPU sets were wrong, which siblings fall outside it says nothing new.
      if (outside.length > 0 && errors.length === errorsBefore) {
        const what = outside.length === 1 ? `CPU ${outside[0]}, which is` : `CPUs ${formatCpuSet(outside)}, which are`;
        errors.push(errorIn(origin, here('siblings', groupIndex), `lists ${what} not in this cell`));
      }
      return group;
    });
    const mempages = listOf(cell.mempages)
      .filter(isFields)
      .map((page) => ({
        size_kb: integerOf(page.size_kb, 4, 1),
        total: integerOf(page.total, 0),
        ...(Number.isInteger(page.reserved) ? { reserved: integerOf(page.reserved, 0) } : {}),
      }));
    const socket = Number.isInteger(cell.socket) ? (cell.socket as number) : null;
    cells.push({ id, cpus: sets.cpus, pcpus: sets.pcpus, memory_mb: integerOf(cell.memory_mb, 0), siblings, mempages, socket });
  });
  return cells;
}

/** PCI ids are hexadecimal: lower case, as sysfs reports them, so `10DE` and `10de` match. */
export function pciId(value: unknown): string {
  return typeof value === 'string' ? value.toLowerCase() : '';
}

function readPciPools(value: unknown, origin: Origin, cells: HostNumaCellSpec[] | null, errors: PlanError[]): PciPoolSpec[] {
  const cellIds = new Set(cells?.map((cell) => cell.id));
  return listOf(value)
    .filter(isFields)
    .map((pool, index) => {
      const numaNode = Number.isInteger(pool.numa_node) ? (pool.numa_node as number) : null;
      if (numaNode !== null && cells !== null && !cellIds.has(numaNode)) {
        errors.push(errorIn(origin, ['pci', index, 'numa_node'], `names NUMA cell ${numaNode}, which this host does not have`));
      }
      return {
        vendor_id: pciId(pool.vendor_id),
        product_id: pciId(pool.product_id),
        numa_node: numaNode,
        count: integerOf(pool.count, 0),
        dev_type: stringOf(pool.dev_type) ?? 'type-PCI',
        physical_network: stringOf(pool.physical_network),
      };
    });
}

function readLimits(value: unknown): HostSpec['limits'] {
  if (!isFields(value)) return null;
  const limits: NonNullable<HostSpec['limits']> = {};
  for (const key of ['memory_mb', 'disk_gb', 'vcpu'] as const) {
    const limit = numberOrNullOf(value[key]);
    if (limit !== undefined) limits[key] = limit;
  }
  const numa = value.numa_topology;
  if (numa === null) limits.numa_topology = null;
  else if (isFields(numa)) {
    limits.numa_topology = {
      cpu_allocation_ratio: numberOrNullOf(numa.cpu_allocation_ratio) ?? 0,
      ram_allocation_ratio: numberOrNullOf(numa.ram_allocation_ratio) ?? 0,
    };
  }
  return limits;
}

/** What one load has expanded so far, against the totals docs/limits.md sets. */
interface Expanded {
  hosts: number;
  instances: number;
  details: number;
}

// cloud.ts hands every host item of one load the same error list: it keys the load's totals.
const expandedByLoad = new WeakMap<PlanError[], Expanded>();

/** A group's count as the schema allows it; one the schema refused reads as absent. */
function groupCountOf(value: unknown): number {
  const count = integerOf(value, 1, 1);
  return count <= LIMITS.hostsPerGroup ? count : 1;
}

/**
 * What each host of the item copies from it, in the units docs/limits.md counts as host
 * details: known before any host is made, so a group too large for the plan makes none.
 */
function detailsPerHost(
  aggregates: readonly string[],
  numa: readonly HostNumaCellSpec[] | null,
  pci: readonly PciPoolSpec[],
  instances: number,
  enabledFilters: readonly string[] | undefined,
): number {
  let details = 1 + aggregates.length + pci.length + instances + (enabledFilters?.length ?? 0);
  for (const cell of numa ?? []) {
    details += 1 + cell.cpus.length + cell.pcpus.length + cell.mempages.length;
    for (const group of cell.siblings) details += group.length;
  }
  return details;
}

/**
 * Adds a group to the load's totals, or says which total it would break; a refused group
 * adds nothing, so the groups after it are judged on what was really made.
 */
function admit(errors: PlanError[], count: number, instances: number, details: number): { key: 'count' | 'instances' | null; message: string } | null {
  let expanded = expandedByLoad.get(errors);
  if (expanded === undefined) expandedByLoad.set(errors, (expanded = { hosts: 0, instances: 0, details: 0 }));
  const hosts = expanded.hosts + count;
  if (hosts > LIMITS.hostsPerPlan) {
    return { key: 'count', message: `makes ${hosts} hosts in all, more than the ${LIMITS.hostsPerPlan} a plan may have` };
  }
  const allInstances = expanded.instances + count * instances;
  if (allInstances > LIMITS.instancesOnHosts) {
    const message = `puts ${count * instances} instances on hosts, ${allInstances} in all, more than the ${LIMITS.instancesOnHosts} a plan may have`;
    return { key: 'instances', message };
  }
  const allDetails = expanded.details + count * details;
  if (allDetails > LIMITS.hostDetails) {
    const message =
      `describes ${count * details} host details (CPUs, siblings, cells, pools, labels, filters, instances), ` +
      `${allDetails} in all, more than the ${LIMITS.hostDetails} a plan may have`;
    return { key: null, message };
  }
  Object.assign(expanded, { hosts, instances: allInstances, details: allDetails });
  return null;
}

/**
 * One host item, or a group (`name: cmp-{n:03}`, `count: 40`), as host specs.
 *
 * Instances on a group's hosts must not share names across the group: an instance named
 * with `{n}` takes its host's number (`db-{n:02}` is db-07 on cmp-007), one named without
 * it is prefixed with its host (`cache` is `cmp-007/cache`), so a later `delete:` can say
 * which host's copy goes. On a single host `{n}` has no number to take and is an error.
 */
export function readHostItem(value: unknown, origin: Origin, errors: PlanError[]): HostItem {
  const host = fieldsOf(value);
  const item: HostItem = { origin, specs: [], instanceOrigins: [] };
  const nameText = nameOf(host.name);
  if (nameText === null) return item;
  const count = groupCountOf(host.count);
  const named = templateForCopies(nameText, count);
  if (!named.ok) {
    errors.push(errorIn(origin, ['name'], named.error));
    return item;
  }
  const template = named.value;
  const numa = readNumaCells(host.numa, origin, errors);
  const pci = readPciPools(host.pci, origin, numa, errors);
  const instances = readInstanceTemplates(host.instances, origin, template.numbered, errors);
  const aggregates = listOf(host.aggregates).filter((label): label is string => nameOf(label) !== null);
  // A host's `weigher:` is accepted and ignored, as plans before the weigher settings wrote
  // it: multipliers are the scheduler's (docs/plan-format.md, "Cloud settings").
  const { ram_weight_multiplier: _ignoredWeigher, ...settings } = settingsIn(host);
  const { mdev, ...placement } = readPlacementKeys(host, origin, errors);
  const refused = admit(errors, count, instances.length, detailsPerHost(aggregates, numa, pci, instances.length, settings.enabled_filters));
  if (refused !== null) {
    errors.push(errorIn(origin, refused.key !== null && refused.key in host ? [refused.key] : [], refused.message));
    return item;
  }
  item.instanceOrigins = instances.map(({ index }) => ({ source: origin.source, path: [...origin.path, 'instances', index] }));
  const overhead = fieldsOf(host.overhead);
  const used = fieldsOf(host.used);
  for (let n = 1; n <= count; n++) {
    const name = expandName(template, n);
    item.specs.push({
      name,
      ...(template.numbered ? { group: nameText } : {}),
      vcpus: integerOf(host.vcpus, 0),
      memory_mb: integerOf(host.memory_mb, 0),
      local_gb: integerOf(host.local_gb, 0),
      aggregates: [...aggregates],
      settings: structuredClone(settings),
      overhead: { memory_mb: integerOf(overhead.memory_mb, 0), disk_gb: integerOf(overhead.disk_gb, 0) },
      limits: readLimits(host.limits),
      numa: numa && numa.map((cell) => structuredClone(cell)),
      pci: pci.map((pool) => ({ ...pool })),
      instances: instances.map((instance) => ({
        name: instance.name(name, n),
        flavor: instance.flavor,
      })),
      used: {
        memory_mb: integerOf(used.memory_mb, 0),
        local_gb: integerOf(used.local_gb, 0),
        vcpus: integerOf(used.vcpus, 0),
        running_vms: integerOf(used.running_vms, 0),
      },
      ...(host.down === true ? { down: true } : {}),
      ...(host.disabled === true ? { disabled: true } : {}),
      ...hypervisorOf(host),
      ...structuredClone(placement),
      // Zed's libvirt driver names each pGPU's provider after the node: one set per copy.
      ...(mdev ? { providers: [...structuredClone(placement.providers ?? []), ...vgpuProviders(name, mdev)] } : {}),
    });
  }
  return item;
}

/** What the compute node reports of its hypervisor (the filters' `hypervisor_*` and supported instances), where the plan gives it. */
export function hypervisorOf(host: Fields): Pick<HostSpec, 'hypervisor_type' | 'hypervisor_version' | 'supported_instances'> {
  const triples = listOf(host.supported_instances).filter(
    (triple): triple is string[] => Array.isArray(triple) && triple.length === 3 && triple.every((part) => typeof part === 'string'),
  );
  return {
    ...(typeof host.hypervisor_type === 'string' ? { hypervisor_type: host.hypervisor_type } : {}),
    ...(Number.isInteger(host.hypervisor_version) ? { hypervisor_version: host.hypervisor_version as number } : {}),
    ...(Array.isArray(host.supported_instances) ? { supported_instances: triples.map((triple) => [...triple]) } : {}),
  };
}

interface InstanceTemplate {
  index: number;
  flavor: string;
  name: (host: string, n: number) => string;
}

function readInstanceTemplates(value: unknown, origin: Origin, inGroup: boolean, errors: PlanError[]): InstanceTemplate[] {
  const templates: InstanceTemplate[] = [];
  listOf(value).forEach((raw, index) => {
    const instance: Fields = fieldsOf(raw);
    const nameText = nameOf(instance.name);
    const flavor = nameOf(instance.flavor);
    if (nameText === null || flavor === null) return;
    const parsed = parseNameTemplate(nameText);
    const at: PathSegment[] = ['instances', index, 'name'];
    if (!parsed.ok) return void errors.push(errorIn(origin, at, parsed.error));
    const template = parsed.value;
    if (template.numbered && !inGroup) {
      return void errors.push(errorIn(origin, at, 'uses `{n}`, which only a host group (a name with `{n}`) can number'));
    }
    const name = !inGroup
      ? () => nameText
      : template.numbered
        ? (_host: string, n: number) => expandName(template, n)
        : (host: string) => `${host}/${nameText}`;
    templates.push({ index, flavor, name });
  });
  return templates;
}
