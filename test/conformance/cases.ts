// A deterministic generator of conformance cases: one host (1–4 NUMA cells, SMT or not,
// shared/dedicated/legacy CPU sets, page sizes, PCI pools) and a sequence of builds and
// deletes of a few flavors that exercise one family of Nova's NUMA and PCI rules.
import type { Flavor, HostNumaCellSpec, NumaTopologyLimits, PciAlias, PciPoolSpec } from '../../src/engine/core/model.ts';

export const CATEGORIES = [
  'shared-numa',
  'dedicated',
  'dedicated-prefer',
  'dedicated-isolate',
  'dedicated-require',
  'mixed',
  'hugepages',
  'emulator-isolate',
  'realtime',
  'multi-node-manual',
  'pci-legacy',
  'pci-required',
  'pci-preferred',
  'pci-socket',
  'plain',
  'invalid',
  'pci-alias',
] as const;
export type Category = (typeof CATEGORIES)[number];

/**
 * Categories added since the first ones draw from a random stream of their own, so the
 * first ones' cases are the ones they always were (and keep proving what they proved).
 */
const LATER_CATEGORIES: readonly Category[] = ['pci-alias'];

export type CaseCell = HostNumaCellSpec & { socket?: number | null };

export interface ConformanceCase {
  id: number;
  category: Category;
  host: { cells: CaseCell[]; pci: PciPoolSpec[] };
  flavors: Flavor[];
  aliases: PciAlias[];
  limits: NumaTopologyLimits | null;
  packing: boolean;
  steps: ({ op: 'build'; flavor: number } | { op: 'delete'; build: number })[];
}

/** mulberry32: small, fast and the same on every machine. */
export function random(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (low: number, high: number) => low + Math.floor(next() * (high - low + 1));
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)];
  const chance = (p: number) => next() < p;
  const shuffle = <T>(items: T[]): T[] => {
    for (let i = items.length - 1; i > 0; i--) {
      const j = Math.floor(next() * (i + 1));
      [items[i], items[j]] = [items[j], items[i]];
    }
    return items;
  };
  return { int, pick, chance, shuffle };
}
export type Random = ReturnType<typeof random>;

/** A host: cores per cell, threads per core, Linux-like CPU numbering, CPU sets and pages. */
export function hostFor(rng: Random, category: Category): { cells: CaseCell[]; pci: PciPoolSpec[] } {
  const cellCount = rng.pick([1, 2, 2, 2, 3, 4, 4]);
  const threads = category === 'dedicated-isolate' ? rng.pick([1, 1, 2]) : rng.pick([1, 2, 2, 4]);
  const cores = rng.int(2, 6);
  // Threads of a core either far apart (0 and 32) or adjacent (0 and 1).
  const interleaved = rng.chance(0.5);
  const cpuOf = (cell: number, core: number, thread: number) =>
    interleaved ? thread * cellCount * cores + cell * cores + core : (cell * cores + core) * threads + thread;
  // Pinned flavors need dedicated CPUs and shared ones shared CPUs; each sometimes meets the other.
  const pinnedFamily = category.startsWith('dedicated') || ['emulator-isolate', 'realtime', 'pci-required', 'pci-socket', 'pci-alias'].includes(category);
  const layout = rng.pick(
    pinnedFamily ? (['dedicated', 'dedicated', 'split', 'legacy', 'shared'] as const)
    : category === 'mixed' ? (['split', 'split', 'legacy', 'dedicated'] as const)
    : (['shared', 'split', 'legacy', 'dedicated'] as const),
  );
  const withSockets = category === 'pci-socket' ? rng.chance(0.8) : rng.chance(0.3);
  const cells: CaseCell[] = [];
  for (let cell = 0; cell < cellCount; cell++) {
    const siblings = Array.from({ length: cores }, (_, core) => Array.from({ length: threads }, (_, t) => cpuOf(cell, core, t)));
    const all = siblings.flat();
    let cpus: number[] = [];
    let pcpus: number[] = [];
    if (layout === 'dedicated') pcpus = all;
    else if (layout === 'shared') cpus = all;
    else if (layout === 'legacy') cpus = pcpus = all;
    else {
      const sharedCores = rng.int(1, cores - 1);
      cpus = siblings.slice(0, sharedCores).flat();
      pcpus = siblings.slice(sharedCores).flat();
    }
    const memory = rng.pick([1024, 2048, 4096, 8192]);
    const hugeMb = rng.chance(category === 'hugepages' ? 0.9 : 0.4) ? rng.pick([0, 512, 1024, 2048]) : 0;
    const giantMb = rng.chance(category === 'hugepages' ? 0.4 : 0.1) && memory >= 4096 ? 1024 : 0;
    const smallMb = Math.max(0, memory - hugeMb - giantMb);
    const mempages = rng.chance(0.15) && hugeMb === 0 && giantMb === 0 ? [] : [
      { size_kb: 4, total: smallMb * 256, ...(rng.chance(0.1) ? { reserved: 256 * 64 } : {}) },
      { size_kb: 2048, total: hugeMb / 2, ...(rng.chance(0.1) && hugeMb ? { reserved: 16 } : {}) },
      ...(giantMb ? [{ size_kb: 1048576, total: 1 }] : []),
    ];
    const listed = threads === 1 && rng.chance(0.4) ? [] : siblings.map((core) => (rng.chance(0.2) ? rng.shuffle([...core]) : core));
    cells.push({
      id: cell,
      cpus: [...cpus].sort((a, b) => a - b),
      pcpus: [...pcpus].sort((a, b) => a - b),
      memory_mb: memory,
      siblings: listed,
      mempages,
      ...(withSockets ? { socket: Math.floor(cell / 2) } : {}),
    });
  }
  const pci: PciPoolSpec[] = [];
  const pciCategory = category.startsWith('pci') || category === 'plain';
  const poolCount = pciCategory ? rng.int(2, 4) : rng.chance(0.2) ? 1 : 0;
  const seen = new Set<string>();
  for (let k = 0; k < poolCount; k++) {
    const gpu = rng.chance(0.6);
    const pool: PciPoolSpec = {
      vendor_id: gpu ? '10de' : '8086',
      product_id: gpu ? rng.pick(['20b5', '1eb8']) : '154c',
      // Mostly on a cell, sometimes on none (no NUMA info) or on a node the host does not list.
      numa_node: rng.chance(0.15) ? null : rng.int(0, cellCount - 1 + (rng.chance(0.1) ? 1 : 0)),
      count: pciCategory ? rng.int(2, 6) : rng.int(1, 4),
      dev_type: gpu ? 'type-PCI' : rng.pick(['type-VF', 'type-PF', 'type-PCI']),
      physical_network: !gpu && rng.chance(0.5) ? 'physnet1' : null,
    };
    const key = JSON.stringify({ ...pool, count: 0 });
    if (seen.has(key)) continue;
    seen.add(key);
    pci.push(pool);
  }
  return { cells, pci };
}

export const ALIASES: PciAlias[] = [
  { name: 'a100', vendor_id: '10de', product_id: '20b5', device_type: 'type-PCI', numa_policy: '' },
  { name: 't4', vendor_id: '10de', product_id: '1eb8', device_type: '', numa_policy: 'preferred' },
  { name: 'vf', vendor_id: '8086', product_id: '154c', device_type: 'type-VF', numa_policy: 'required' },
  { name: 'nic', vendor_id: '8086', product_id: '154C', device_type: '', numa_policy: 'legacy' },
  // Valid nova.conf that no generated pool matches: builds asking for it fail the PCI claim.
  { name: 'v100', vendor_id: '10de', product_id: '1db4', device_type: 'type-PCI', numa_policy: '' },
];

/** A flavor of the case's family, sometimes with a twist. */
export function flavorFor(rng: Random, category: Category, index: number, hasPools: boolean): Flavor {
  const nodes = category === 'multi-node-manual' ? rng.int(2, 3) : rng.chance(0.25) ? rng.int(1, 3) : 0;
  const per = Math.max(nodes, 1);
  const vcpus = per * rng.int(1, 3);
  const memory_mb = per * rng.pick([256, 512, 512, 1024, 2048]);
  const specs: Record<string, string> = {};
  const pinned = () => {
    specs['hw:cpu_policy'] = 'dedicated';
  };
  switch (category) {
    case 'shared-numa':
      specs['hw:numa_nodes'] = String(Math.max(nodes, 1));
      if (rng.chance(0.3)) specs['hw:cpu_policy'] = 'shared';
      break;
    case 'dedicated':
      pinned();
      break;
    case 'dedicated-prefer':
      pinned();
      specs['hw:cpu_thread_policy'] = 'prefer';
      break;
    case 'dedicated-isolate':
      pinned();
      specs['hw:cpu_thread_policy'] = 'isolate';
      break;
    case 'dedicated-require':
      pinned();
      specs['hw:cpu_thread_policy'] = 'require';
      break;
    case 'mixed':
      specs['hw:cpu_policy'] = 'mixed';
      if (vcpus < 2) specs['hw:cpu_dedicated_mask'] = '0';
      else specs['hw:cpu_dedicated_mask'] = rng.pick(['^0', '0', `1-${vcpus - 1}`, vcpus > 2 ? '0-1' : '^1']);
      if (rng.chance(0.3)) specs['hw:cpu_thread_policy'] = rng.pick(['prefer', 'require', 'isolate']);
      break;
    case 'hugepages':
      specs['hw:mem_page_size'] = rng.pick(['large', 'small', 'any', '2048', '2MB', '1GB', '4', '1048576', '4KB']);
      if (rng.chance(0.4)) pinned();
      break;
    case 'emulator-isolate':
      pinned();
      specs['hw:emulator_threads_policy'] = rng.pick(['isolate', 'isolate', 'share']);
      if (rng.chance(0.4)) specs['hw:cpu_thread_policy'] = rng.pick(['prefer', 'require', 'isolate']);
      break;
    case 'realtime':
      pinned();
      specs['hw:cpu_realtime'] = rng.pick(['yes', 'true', '1']);
      if (vcpus > 1) specs['hw:cpu_realtime_mask'] = rng.pick(['^0', `1-${vcpus - 1}`, '0']);
      else specs['hw:emulator_threads_policy'] = 'isolate';
      if (rng.chance(0.3)) {
        specs['hw:cpu_policy'] = 'mixed';
      }
      break;
    case 'multi-node-manual': {
      specs['hw:numa_nodes'] = String(nodes);
      if (rng.chance(0.6)) pinned();
      const order = rng.shuffle(Array.from({ length: vcpus }, (_, k) => k));
      const cuts = order.length / nodes;
      let left = memory_mb;
      for (let node = 0; node < nodes; node++) {
        specs[`hw:numa_cpus.${node}`] = order.slice(node * cuts, (node + 1) * cuts).join(',');
        const memory = node === nodes - 1 ? left : rng.pick([128, 256, memory_mb / nodes]);
        specs[`hw:numa_mem.${node}`] = String(memory);
        left -= memory;
      }
      if (rng.chance(0.2)) specs['hw:mem_page_size'] = 'large';
      break;
    }
    case 'pci-legacy':
    case 'pci-required':
    case 'pci-preferred':
    case 'pci-socket':
      specs['pci_passthrough:alias'] = rng.pick(['a100:1', 't4:1', 'vf:1', 'nic:2', 'a100:1,nic:1', 'a100:2']);
      specs['hw:pci_numa_affinity_policy'] = category.slice(4);
      if (rng.chance(0.7)) pinned();
      else if (rng.chance(0.5)) specs['hw:numa_nodes'] = String(Math.max(nodes, 1));
      break;
    case 'pci-alias':
      // v100 matches no pool; gpu is not defined, refused per build unless a bad count
      // comes first in the list (then the flavor itself is refused).
      specs['pci_passthrough:alias'] = rng.pick([
        'v100:1', 'v100:1', 'v100:2', 'a100:1,v100:1', 'v100:1,nic:1', 'gpu:1', 'gpu:2',
        'a100:1,gpu:1', 'gpu:1,a100:x', 'a100:x,gpu:1', 'a100:1', 't4:1',
      ]);
      if (rng.chance(0.5)) pinned();
      else if (rng.chance(0.4)) specs['hw:numa_nodes'] = String(Math.max(nodes, 1));
      if (rng.chance(0.3)) specs['hw:pci_numa_affinity_policy'] = rng.pick(['required', 'legacy', 'preferred', 'socket']);
      break;
    case 'plain':
      if (rng.chance(0.7)) specs['pci_passthrough:alias'] = rng.pick(['a100:1', 'nic:1', 't4:2']);
      break;
    case 'invalid':
      Object.assign(
        specs,
        rng.pick<Record<string, string>>([
          { 'hw:cpu_policy': 'pinned' },
          { 'hw:cpu_thread_policy': 'prefer' },
          { 'hw:cpu_policy': 'dedicated', 'hw:cpu_thread_policy': 'sometimes' },
          { 'hw:emulator_threads_policy': 'isolate' },
          { 'hw:cpu_policy': 'shared', 'hw:cpu_dedicated_mask': '0' },
          { 'hw:cpu_policy': 'mixed' },
          { 'hw:cpu_policy': 'mixed', 'hw:cpu_dedicated_mask': `0-${vcpus - 1}` },
          { 'hw:cpu_policy': 'mixed', 'hw:cpu_dedicated_mask': '0-40' },
          { 'hw:cpu_realtime': 'yes' },
          { 'hw:cpu_policy': 'dedicated', 'hw:cpu_realtime': 'yes' },
          { 'hw:cpu_policy': 'dedicated', 'hw:cpu_realtime': 'yes', 'hw:cpu_realtime_mask': '0-50' },
          { 'hw:numa_nodes': '0' },
          { 'hw:numa_nodes': 'two' },
          { 'hw:numa_nodes': '3', 'hw:numa_cpus.0': '0' },
          { 'hw:numa_nodes': '2', 'hw:numa_cpus.0': '0,9', 'hw:numa_cpus.1': '1', 'hw:numa_mem.0': '1', 'hw:numa_mem.1': '1' },
          { 'hw:numa_nodes': '2', 'hw:numa_cpus.0': '0', 'hw:numa_cpus.1': '0', 'hw:numa_mem.0': '1', 'hw:numa_mem.1': '1' },
          { 'hw:numa_cpus.0': '0-1,^1', 'hw:numa_mem.0': String(memory_mb) },
          { 'hw:numa_cpus.0': `0-${vcpus - 1}`, 'hw:numa_mem.0': '7' },
          { 'hw:numa_cpus.0': '1-0', 'hw:numa_mem.0': '1' },
          { 'hw:numa_nodes': '3', 'hw:numa_mem.0': 'x' },
          { 'hw:mem_page_size': 'huge' },
          { 'hw:mem_page_size': '2MiB' },
          { 'hw:locked_memory': 'true' },
          { 'hw:pci_numa_affinity_policy': 'nearby' },
          { 'pci_passthrough:alias': 'h100:1' },
          { 'pci_passthrough:alias': 'a100' },
          { 'pci_passthrough:alias': 'a100:x' },
          { 'pci_passthrough:alias': 'a100:1:2' },
          { 'resources:PCPU': String(vcpus) },
          { 'resources:VCPU': String(vcpus), 'hw:cpu_policy': 'dedicated' },
          { 'hw:cpu_policy': 'dedicated', 'trait:HW_CPU_HYPERTHREADING': 'forbidden' },
          { 'hw:cpu_policy': 'dedicated', 'trait:HW_CPU_HYPERTHREADING': 'required', 'hw:cpu_thread_policy': 'prefer' },
          { 'hw:pmem': '4GB' },
        ]),
      );
      break;
  }
  if (hasPools && !['invalid', 'plain', 'pci-alias'].includes(category) && rng.chance(0.15)) {
    specs['pci_passthrough:alias'] = rng.pick(['a100:1', 'nic:1']);
  }
  if (category !== 'invalid' && category !== 'hugepages' && rng.chance(0.1)) specs['hw:mem_page_size'] = rng.pick(['large', 'any']);
  return { name: `f${index}`, vcpus, memory_mb, root_gb: 1, ephemeral_gb: 0, swap: 0, extra_specs: specs };
}

function caseFor(rng: Random, id: number, category: Category): ConformanceCase {
  const host = hostFor(rng, category);
  const flavors = Array.from({ length: rng.int(1, 3) }, (_, k) => flavorFor(rng, category, k, host.pci.length > 0));
  const steps: ConformanceCase['steps'] = [];
  const builds: number[] = [];
  const length = rng.int(3, 10);
  for (let k = 0; k < length; k++) {
    if (builds.length > 0 && rng.chance(0.25)) {
      const [build] = builds.splice(rng.int(0, builds.length - 1), 1);
      steps.push({ op: 'delete', build });
    } else {
      builds.push(steps.length);
      steps.push({ op: 'build', flavor: rng.int(0, flavors.length - 1) });
    }
  }
  return {
    id,
    category,
    host,
    flavors,
    aliases: ALIASES,
    limits: rng.chance(0.5) ? { cpu_allocation_ratio: rng.pick([1, 2, 4, 16]), ram_allocation_ratio: rng.pick([1, 1.5]) } : null,
    packing: rng.chance(0.5),
    steps,
  };
}

/** `count` cases spread evenly over the categories, the later ones' after the first ones'. */
export function generateCases(count: number, seed = 20261125): ConformanceCase[] {
  const first = CATEGORIES.filter((category) => !LATER_CATEGORIES.includes(category));
  const perCategory = count / CATEGORIES.length;
  const firstCount = Math.round(perCategory * first.length);
  const rng = random(seed);
  const cases = Array.from({ length: firstCount }, (_, id) => caseFor(rng, id, first[id % first.length]));
  const laterRng = random(seed + 1);
  for (let id = firstCount; id < count; id++) cases.push(caseFor(laterRng, id, LATER_CATEGORIES[(id - firstCount) % LATER_CATEGORIES.length]));
  return cases;
}
