// A deterministic generator of Placement-model conformance cases: a few hosts (figures,
// settings, NUMA cells and PCI pools, traits, inventories the plan gives, aggregates),
// a few flavors, and a sequence of scheduled builds, builds on a named host and
// deletes, each family of cases aimed at one part of Placement's rules or Nova's
// ResourceRequest.
import type { Flavor, HostNumaCellSpec, PciPoolSpec, Weigher } from '../../src/engine/core/model.ts';
import { topologyRequestFor } from '../../src/engine/topology/host-topology.ts';
import { ALIASES, flavorFor, hostFor, random, type Category as NovaCategory, type Random } from './cases.ts';

export const PLACEMENT_CATEGORIES = [
  'derived',
  'reserved-refused',
  'units',
  'custom-classes',
  'traits',
  'aggregates',
  'pcpu',
  'mixed',
  'boot-from-volume',
  'named-host',
  'granular',
  'numa-pci',
  'churn',
] as const;
export type PlacementCategory = (typeof PLACEMENT_CATEGORIES)[number];

/** The settings nova.conf gives one host, as the harness sets them before its driver reports. */
export interface CaseSettings {
  cpu_allocation_ratio: number | null;
  ram_allocation_ratio: number | null;
  disk_allocation_ratio: number | null;
  reserved_host_memory_mb: number;
  reserved_host_disk_mb: number;
  enabled_filters: string[];
}

/** An inventory as the plan writes it: the fields it omits are Placement's defaults. */
export type PlanInventory = { total: number } & Partial<Record<'reserved' | 'min_unit' | 'max_unit' | 'step_size' | 'allocation_ratio', number>>;

export interface CaseHost {
  name: string;
  vcpus: number;
  memory_mb: number;
  local_gb: number;
  cells: HostNumaCellSpec[] | null;
  pci: PciPoolSpec[];
  traits: string[];
  inventories: Record<string, PlanInventory>;
  aggregates: string[];
  settings: CaseSettings;
}

export type CaseStep =
  | { op: 'build'; flavor: number; instance: string; host: string | null; aggregate: string | null; bfv: boolean }
  | { op: 'delete'; build: number };

export interface PlacementCase {
  id: number;
  category: PlacementCategory;
  weigher: Weigher;
  packing: boolean;
  hosts: CaseHost[];
  flavors: Flavor[];
  aliases: typeof ALIASES;
  steps: CaseStep[];
}

const CUSTOM_CLASSES = ['CUSTOM_GPU', 'CUSTOM_FPGA', 'CUSTOM_NIC_VF', 'CUSTOM_LICENSE'];
const CUSTOM_TRAITS = ['CUSTOM_GOLD', 'CUSTOM_SSD', 'CUSTOM_RACK_A'];
const STANDARD_TRAITS = ['HW_CPU_X86_AVX2', 'HW_CPU_X86_AVX512F', 'COMPUTE_NODE', 'HW_CPU_HYPERTHREADING', 'COMPUTE_SAME_HOST_COLD_MIGRATE', 'STORAGE_DISK_SSD'];
const LABELS = ['az1', 'az2', 'gpu'];
const RATIOS = [null, null, 1.0, 1.5, 2.0, 4.0, 16.0, 0.5, 1.25, 0.0, 3.3];

function settingsFor(rng: Random, category: PlacementCategory): CaseSettings {
  const memoryReserve = category === 'reserved-refused' ? rng.pick([0, 512, 4096, 8192, 40000]) : rng.pick([0, 512, 1024]);
  return {
    cpu_allocation_ratio: rng.pick(RATIOS),
    ram_allocation_ratio: rng.pick(RATIOS),
    disk_allocation_ratio: rng.pick([null, 1.0, 1.0, 0.5, 2.0, 1.1]),
    reserved_host_memory_mb: memoryReserve,
    reserved_host_disk_mb: rng.pick([0, 0, 1000, 1024, 5000, 20480]),
    enabled_filters: rng.chance(0.5) ? ['ComputeFilter', 'NUMATopologyFilter'] : ['ComputeFilter'],
  };
}

/** A plan can name a CPU once per host; Nova refuses overlapping shared and dedicated sets. */
function withoutOverlap(cells: HostNumaCellSpec[]): HostNumaCellSpec[] {
  return cells.map((cell) => ({ ...cell, pcpus: cell.pcpus.filter((cpu) => !cell.cpus.includes(cpu)) }));
}

function inventoryFor(rng: Random, total: number): PlanInventory {
  const inventory: PlanInventory = { total };
  if (rng.chance(0.4)) inventory.reserved = rng.int(0, Math.max(0, Math.floor(total / 3)));
  if (rng.chance(0.4)) inventory.max_unit = rng.int(1, total);
  if (rng.chance(0.25)) inventory.min_unit = rng.int(1, 3);
  if (rng.chance(0.25)) inventory.step_size = rng.pick([1, 2, 4]);
  if (rng.chance(0.4)) inventory.allocation_ratio = rng.pick([1.0, 1.5, 2.0, 0.75, 8.0]);
  return inventory;
}

function hostFigures(rng: Random, category: PlacementCategory, index: number, numa: NovaCategory | null): CaseHost {
  const topology = numa === null ? null : hostFor(rng, numa);
  const cells = topology && topology.cells.length > 0 ? withoutOverlap(topology.cells) : null;
  const cellMemory = cells?.reduce((sum, cell) => sum + cell.memory_mb, 0) ?? 0;
  const zeroes = category === 'reserved-refused' && rng.chance(0.3);
  const host: CaseHost = {
    name: `h${index}`,
    vcpus: rng.pick([4, 8, 16, 24]),
    memory_mb: zeroes && rng.chance(0.5) ? 0 : cellMemory || rng.pick([2048, 4096, 8192, 16384]),
    local_gb: zeroes && rng.chance(0.5) ? 0 : rng.pick([20, 50, 100, 200]),
    cells,
    pci: topology?.pci ?? [],
    traits: [],
    inventories: {},
    aggregates: LABELS.filter(() => rng.chance(category === 'aggregates' ? 0.5 : 0.25)),
    settings: settingsFor(rng, category),
  };
  if (category === 'traits' || rng.chance(0.2)) {
    host.traits = [...CUSTOM_TRAITS, ...STANDARD_TRAITS].filter(() => rng.chance(0.3));
  }
  if (category === 'units' || category === 'granular' || rng.chance(0.15)) {
    for (const resourceClass of ['VCPU', 'MEMORY_MB', 'DISK_GB']) {
      if (rng.chance(category === 'units' ? 0.5 : 0.2)) {
        const total = resourceClass === 'VCPU' ? host.vcpus : resourceClass === 'MEMORY_MB' ? host.memory_mb || 4096 : host.local_gb || 100;
        host.inventories[resourceClass] = inventoryFor(rng, total);
      }
    }
  }
  if (['custom-classes', 'units', 'granular', 'named-host'].includes(category) || rng.chance(0.1)) {
    for (const resourceClass of CUSTOM_CLASSES) if (rng.chance(0.4)) host.inventories[resourceClass] = inventoryFor(rng, rng.int(1, 8));
  }
  return host;
}

/** The NUMA and PCI family of hosts a category wants, or none. */
function numaFamily(rng: Random, category: PlacementCategory): NovaCategory | null {
  if (category === 'pcpu') return rng.chance(0.8) ? rng.pick(['dedicated', 'dedicated-require', 'dedicated-isolate', 'emulator-isolate'] as const) : null;
  if (category === 'mixed') return rng.chance(0.9) ? 'mixed' : null;
  if (category === 'numa-pci') return rng.pick(['shared-numa', 'hugepages', 'pci-legacy', 'pci-required', 'pci-socket', 'plain'] as const);
  return rng.chance(0.15) ? 'shared-numa' : null;
}

/** What only the Placement model reads, added to a flavor of the category. */
function placementSpecs(rng: Random, category: PlacementCategory, vcpus: number): Record<string, string> {
  const specs: Record<string, string> = {};
  const custom = () => rng.pick(CUSTOM_CLASSES);
  switch (category) {
    case 'custom-classes':
    case 'named-host':
      if (rng.chance(0.6)) specs[`resources:${custom()}`] = String(rng.pick([1, 1, 2, 3]));
      if (rng.chance(0.2)) specs['resources:VCPU'] = String(rng.pick([0, 1, vcpus + 1]));
      if (rng.chance(0.2)) specs['resources:DISK_GB'] = rng.pick(['0', '5', '-1', 'x']);
      if (rng.chance(0.15)) specs['resources:MEMORY_MB'] = rng.pick(['0', '256']);
      if (rng.chance(0.1)) specs[`resources:${rng.pick(['CUSTOM_NOPE', 'GPU', 'VGPU', 'PCPU_X'])}`] = '1';
      break;
    case 'traits':
      for (const trait of [...CUSTOM_TRAITS, ...STANDARD_TRAITS.filter((name) => name !== 'HW_CPU_HYPERTHREADING'), 'CUSTOM_UNKNOWN']) {
        if (rng.chance(0.2)) specs[`trait:${trait}`] = rng.pick(['required', 'required', 'forbidden', 'optional']);
      }
      break;
    case 'granular':
      if (rng.chance(0.7)) specs[`resources1:${custom()}`] = String(rng.pick([1, 2]));
      if (rng.chance(0.4)) specs[`resources2:${custom()}`] = String(rng.pick([1, 2]));
      if (rng.chance(0.3)) specs['resources1:VCPU'] = '1';
      if (rng.chance(0.3)) specs[`trait1:${rng.pick(CUSTOM_TRAITS)}`] = 'required';
      if (rng.chance(0.5)) specs.group_policy = rng.pick(['none', 'isolate', 'wrong']);
      break;
    default:
      if (rng.chance(0.1)) specs[`resources:${custom()}`] = '1';
      if (rng.chance(0.1)) specs[`trait:${rng.pick([...CUSTOM_TRAITS, ...STANDARD_TRAITS])}`] = rng.pick(['required', 'forbidden']);
  }
  return specs;
}

function flavorOf(rng: Random, category: PlacementCategory, index: number, hasPools: boolean): Flavor {
  const family: NovaCategory =
    category === 'pcpu'
      ? rng.pick(['dedicated', 'dedicated-isolate', 'dedicated-require', 'emulator-isolate', 'dedicated-prefer'] as const)
      : category === 'mixed'
        ? 'mixed'
        : category === 'numa-pci'
          ? rng.pick(['shared-numa', 'hugepages', 'pci-legacy', 'pci-required', 'pci-socket', 'plain'] as const)
          : rng.chance(0.1)
            ? 'shared-numa'
            : 'plain';
  const base = flavorFor(rng, family, index, hasPools && ['numa-pci', 'pcpu'].includes(category));
  if (family === 'plain' && category !== 'numa-pci') delete base.extra_specs['pci_passthrough:alias'];
  return {
    ...base,
    vcpus: category === 'pcpu' || category === 'mixed' || family !== 'plain' ? base.vcpus : rng.int(1, 8),
    memory_mb: family !== 'plain' ? base.memory_mb : rng.pick([256, 512, 1024, 2048, 4096]),
    root_gb: rng.pick([0, 1, 5, 10, 20]),
    ephemeral_gb: rng.pick([0, 0, 1, 5]),
    swap: rng.pick([0, 0, 0, 512, 1500]),
    extra_specs: { ...placementSpecs(rng, category, base.vcpus), ...base.extra_specs },
  };
}

/** A flavor Nova accepts, whose builds its API lets through: the refusals are nova.test.ts's to prove. */
function validFlavorOf(rng: Random, category: PlacementCategory, index: number, hasPools: boolean): Flavor {
  for (;;) {
    const flavor = flavorOf(rng, category, index, hasPools);
    const request = topologyRequestFor(flavor, ALIASES);
    if (request.ok && request.value.refusal === null) return flavor;
  }
}

function caseFor(rng: Random, id: number, category: PlacementCategory): PlacementCase {
  const hostCount = rng.int(1, 3);
  const hosts = Array.from({ length: hostCount }, (_, index) => hostFigures(rng, category, index, numaFamily(rng, category)));
  const hasPools = hosts.some((host) => host.pci.length > 0);
  const flavors = Array.from({ length: rng.int(1, 3) }, (_, index) => validFlavorOf(rng, category, index, hasPools));
  const labels = [...new Set(hosts.flatMap((host) => host.aggregates))];
  const steps: CaseStep[] = [];
  const builds: number[] = [];
  const length = rng.int(4, category === 'churn' ? 12 : 8);
  const deleteChance = category === 'churn' ? 0.4 : 0.2;
  const namedChance = category === 'named-host' ? 0.8 : 0.3;
  for (let k = 0; k < length; k++) {
    if (builds.length > 0 && rng.chance(deleteChance)) {
      const [build] = builds.splice(rng.int(0, builds.length - 1), 1);
      steps.push({ op: 'delete', build });
      continue;
    }
    builds.push(steps.length);
    const named = rng.chance(namedChance);
    steps.push({
      op: 'build',
      flavor: rng.int(0, flavors.length - 1),
      instance: `i${steps.length}`,
      host: named ? rng.pick(hosts).name : null,
      aggregate: !named && labels.length > 0 && rng.chance(category === 'aggregates' ? 0.7 : 0.2) ? rng.pick(labels) : null,
      bfv: rng.chance(category === 'boot-from-volume' ? 0.6 : 0.1),
    });
  }
  return { id, category, weigher: rng.pick(['spread', 'pack']), packing: rng.chance(0.5), hosts, flavors, aliases: ALIASES, steps };
}

/** `count` cases, spread evenly over the categories. */
export function generatePlacementCases(count: number, seed = 20261201): PlacementCase[] {
  const rng = random(seed);
  return Array.from({ length: count }, (_, id) => caseFor(rng, id, PLACEMENT_CATEGORIES[id % PLACEMENT_CATEGORIES.length]));
}
