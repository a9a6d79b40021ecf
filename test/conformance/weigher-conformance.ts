// Replays random clouds through claimplan's scheduler and, for every scheduled build, hands
// the hosts that passed the filters (as the compute nodes the ResourceTracker reports them
// just before the build) to Nova's own weighers (weigher_harness.py under /usr/bin/python3):
// each weigher's raw and normalised weights, the totals, the sorted order and so the chosen
// host must be claimplan's, to the last bit.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { CloudState } from '../../src/engine/core/cloud-state.ts';
import type { ComputeNode } from '../../src/engine/core/compute-node.ts';
import { DEFAULT_CLOUD_SETTINGS, WEIGHER_NAMES, type Cloud, type CloudSettings, type Decision, type HostSpec, type Request, type ServerGroup, type ServerGroupPolicy } from '../../src/engine/core/model.ts';
import { replay } from '../../src/engine/core/replay.ts';
import { clampedWeight, normalizerOf, weighAll } from '../../src/engine/scheduler/weighing.ts';
import { weighersNamed, type WeighingRequest } from '../../src/engine/scheduler/weighers/index.ts';
import { build, cloud, flavor, host } from '../engine/builders.ts';
import { PYTHON, runHarness } from './harness.ts';

const HARNESS = fileURLToPath(new URL('./weigher_harness.py', import.meta.url));

export function novaSchedulerImportable(): boolean {
  return spawnSync(PYTHON, ['-c', 'import nova.scheduler.weights, nova.scheduler.host_manager']).status === 0;
}

/** Deterministic draws, so that a failing case can be replayed from its number. */
export function draws(seed: number) {
  let state = seed >>> 0 || 1;
  const next = () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 4294967296;
  };
  return {
    next,
    int: (low: number, high: number) => low + Math.floor(next() * (high - low + 1)),
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)],
    chance: (p: number) => next() < p,
  };
}

const MULTIPLIER_VALUES = [0, 1, -1, 2.5, -0.5, 0.1, 1000, -3];
const WEIGHER_MODULES: Record<string, string> = {
  RAMWeigher: 'ram', CPUWeigher: 'cpu', DiskWeigher: 'disk', MetricsWeigher: 'metrics', IoOpsWeigher: 'io_ops', PCIWeigher: 'pci',
  ServerGroupSoftAffinityWeigher: 'affinity', ServerGroupSoftAntiAffinityWeigher: 'affinity', BuildFailureWeigher: 'compute', CrossCellWeigher: 'cross_cell',
};

export type WeighingKind = 'default' | 'ram-only' | 'multipliers' | 'subset of weighers';

/** A random cloud of 4–12 hosts (some over-committed, some with PCI devices), server groups, and a trace of 20–60 scheduled builds with deletes. */
export function weighingCase(id: number): { kind: WeighingKind; cloud: Cloud; requests: Request[] } {
  const d = draws(id * 2654435761 + 17);
  const kind = (['default', 'ram-only', 'multipliers', 'subset of weighers'] as const)[id % 4];
  const settings: Partial<CloudSettings> = {
    ram_allocation_ratio: d.pick([1.0, 1.5, 2.0]),
    cpu_allocation_ratio: d.pick([1.0, 4.0, 16.0]),
    disk_allocation_ratio: d.pick([1.0, 1.5]),
    reserved_host_memory_mb: d.pick([0, 512, 4096]),
    enabled_filters: d.chance(0.5) ? ['RamFilter', 'DiskFilter', 'CoreFilter'] : [...DEFAULT_CLOUD_SETTINGS.enabled_filters],
    capacity_model: d.chance(0.3) ? 'placement' : 'legacy',
  };
  // claimplan's weighing before Zed's weighers: the RAM weigher, and a soft group's weigher for its builds.
  if (kind === 'ram-only') {
    Object.assign(settings, { weight_classes: ['RAMWeigher', 'ServerGroupSoftAffinityWeigher', 'ServerGroupSoftAntiAffinityWeigher'], ram_weight_multiplier: d.pick([1, -1]) });
  }
  if (kind === 'multipliers' || kind === 'subset of weighers') {
    for (const key of ['ram', 'cpu', 'disk', 'io_ops', 'pci', 'metrics', 'soft_affinity', 'soft_anti_affinity', 'build_failure', 'cross_cell_move'] as const) {
      // nova.conf refuses a negative PCI or soft-affinity multiplier.
      const nonNegative = key === 'pci' || key === 'soft_affinity' || key === 'soft_anti_affinity';
      (settings as Record<string, number>)[`${key}_weight_multiplier`] = d.pick(nonNegative ? MULTIPLIER_VALUES.filter((value) => value >= 0) : MULTIPLIER_VALUES);
    }
  }
  if (kind === 'subset of weighers') settings.weight_classes = WEIGHER_NAMES.filter(() => d.chance(0.6));
  const hosts: HostSpec[] = [];
  for (let n = 0, count = d.int(4, 12); n < count; n++) {
    const memory_mb = d.pick([16384, 32768, 65536, 131072]);
    const local_gb = d.pick([100, 200, 500, 1000]);
    const vcpus = d.pick([8, 16, 32, 64]);
    const over = d.chance(0.2);
    hosts.push(
      host(`cmp-${n}`, {
        memory_mb,
        local_gb,
        vcpus,
        settings: d.chance(0.2) ? { cpu_allocation_ratio: d.pick([2.0, 8.0]) } : {},
        pci: d.chance(0.3) ? [{ vendor_id: '10de', product_id: d.pick(['20b5', '1eb8']), numa_node: null, count: d.int(1, 8), dev_type: 'type-PCI', physical_network: null }] : [],
        used: over
          ? { memory_mb: Math.floor(memory_mb * d.pick([1.05, 1.2, 1.4])), local_gb: Math.floor(local_gb * d.pick([0.5, 1.1])), vcpus: vcpus * d.int(1, 20), running_vms: 4 }
          : { memory_mb: d.int(0, 4) * 2048, local_gb: d.int(0, 3) * 20, vcpus: d.int(0, 8), running_vms: 0 },
      }),
    );
  }
  const flavors = [
    flavor('tiny', { vcpus: 1, memory_mb: 512, root_gb: 1 }),
    flavor('small', { vcpus: 1, memory_mb: 2048, root_gb: 20 }),
    flavor('medium', { vcpus: 2, memory_mb: 4096, root_gb: 40 }),
    flavor('large', { vcpus: 8, memory_mb: 16384, root_gb: 80 }),
    flavor('gpu', { vcpus: 4, memory_mb: 8192, root_gb: 40, extra_specs: { 'pci_passthrough:alias': 'a100:1' } }),
  ];
  const policies: ServerGroupPolicy[] = ['soft-affinity', 'soft-anti-affinity', 'anti-affinity', 'affinity'];
  const groups: ServerGroup[] = policies.map((policy) => ({ name: policy, policy, max_server_per_host: policy === 'anti-affinity' ? 2 : 1 }));
  const planned = cloud(hosts, flavors, settings);
  planned.pci_aliases = [{ name: 'a100', vendor_id: '10de', product_id: '20b5', device_type: '', numa_policy: 'legacy' }];
  planned.server_groups = groups;
  const requests: Request[] = [];
  const live: string[] = [];
  for (let n = 0, builds = d.int(20, 60); n < builds; ) {
    if (live.length > 0 && d.chance(0.2)) {
      requests.push({ op: 'delete', instance: live.splice(d.int(0, live.length - 1), 1)[0] });
      continue;
    }
    const name = `vm-${n++}`;
    live.push(name);
    const group = d.chance(0.35) ? d.pick(groups).name : undefined;
    requests.push(build(name, d.pick(flavors).name, group ? { group } : {}));
  }
  return { kind, cloud: planned, requests };
}

interface HarnessHost {
  index: number;
  name: string;
  memory_mb: number;
  free_ram_mb: number;
  local_gb: number;
  local_gb_used: number;
  free_disk_gb: number;
  vcpus: number;
  vcpus_used: number;
  cpu_allocation_ratio: number;
  pci: { vendor_id: string; product_id: string; numa_node: number | null; count: number; dev_type: string }[];
  members: string[];
}

interface HarnessResult {
  raw: Record<string, number[]>;
  normalized: Record<string, number[]>;
  order: string[];
  totals: Record<string, number>;
}

/** One scheduled build as both sides weigh it: claimplan's figures and choices, and the query for Nova. */
interface Weighing {
  label: string;
  query: object;
  claimplan: HarnessResult;
  chosen: { indexed: string | null; weighedAll: string | null };
  /** RAM-only cases: the host claimplan chose before Zed's weighers, and that rule with Zed's minval */
  before?: { chosen: string | null; withMinval: string | null };
}

/**
 * claimplan's weighing before Zed's weighers: the RAM weigher's free_ram_mb (normalised
 * between the lowest and the highest in a server group), plus the soft policy's normalised
 * members; the first listed wins a tie. `minval` applies Zed's RAMWeigher minval 0 to it:
 * negative free RAM clamped to 0, normalised between 0 and the highest.
 */
function chosenBefore(passed: readonly ComputeNode[], multiplier: number, group: ServerGroup | null, membersOn: (node: ComputeNode) => number, minval: boolean): string | null {
  const normalised = (values: number[], low = Math.min(...values)) => {
    const high = Math.max(...values);
    return values.map((value) => (low === high ? 0 : (value - low) / (high - low)));
  };
  const soft = group?.policy === 'soft-affinity' ? 1 : group?.policy === 'soft-anti-affinity' ? -1 : 0;
  const free = passed.map((node) => (minval ? Math.max(node.free_ram_mb, 0) : node.free_ram_mb));
  const ram = group === null ? free : minval ? normalised(free, 0) : normalised(free);
  const members = normalised(passed.map((node) => soft * membersOn(node)));
  let best: string | null = null;
  let bestWeight = -Infinity;
  passed.forEach((node, at) => {
    const weight = multiplier * ram[at] + (group === null ? 0 : members[at]);
    if (weight > bestWeight) [best, bestWeight] = [node.name, weight];
  });
  return best;
}

/** The compute node as the harness rebuilds it: what HostState reads of it. */
function harnessHost(node: ComputeNode, members: number): HarnessHost {
  return {
    index: node.index,
    name: node.name,
    memory_mb: node.spec.memory_mb,
    free_ram_mb: node.free_ram_mb,
    local_gb: node.spec.local_gb,
    local_gb_used: node.local_gb_used,
    free_disk_gb: node.free_disk_gb,
    vcpus: node.spec.vcpus,
    vcpus_used: node.vcpus_used,
    cpu_allocation_ratio: node.settings.cpu_allocation_ratio ?? DEFAULT_CLOUD_SETTINGS.cpu_allocation_ratio!,
    pci: (node.usage().pci_pools ?? []).map((pool) => ({ vendor_id: pool.vendor_id, product_id: pool.product_id, numa_node: pool.numa_node, count: pool.free, dev_type: pool.dev_type })),
    members: Array.from({ length: members }, (_, at) => `${node.name}-member-${at}`),
  };
}

/**
 * Replays a case twice in step: once as claimplan runs (the host indexes) and once with
 * `--explain` (every host tested and weighed); before each scheduled build, a clone of the
 * second keeps the nodes as the build finds them, for the harness and for claimplan's own
 * weighing of the hosts that passed.
 */
function weighings(id: number): { kind: WeighingKind; weighings: Weighing[] } {
  const { kind, cloud: planned, requests } = weighingCase(id);
  const indexed = CloudState.start(planned);
  const weighedAll = CloudState.start(planned);
  const weighers = weighersNamed(planned.settings.weight_classes);
  const found: Weighing[] = [];
  const membersOf = new Map<string, Map<string, number>>();
  requests.forEach((request, seq) => {
    const before = weighedAll.clone();
    const [fast] = [...replay(indexed, [request], { audit: false, explain: false })];
    const [full]: Decision[] = [...replay(weighedAll, [request], { audit: false, explain: true })];
    if (request.op === 'build' && full.attempts !== null) {
      const groupName = request.group ?? null;
      const group = groupName === null ? null : planned.server_groups!.find((candidate) => candidate.name === groupName)!;
      const membersOn = (node: ComputeNode) => (group === null ? 0 : membersOf.get(group.name)?.get(node.name) ?? 0);
      const passed = full.attempts.filter((attempt) => attempt.reasons.length === 0).map((attempt) => ({ node: before.nodeNamed(attempt.host) }));
      const weighing: WeighingRequest = { group, membersOn };
      const hosts = passed.map(({ node }) => harnessHost(node, membersOn(node)));
      const raw: Record<string, number[]> = {};
      const normalized: Record<string, number[]> = {};
      for (const weigher of weighers) {
        const values = passed.map(({ node }) => clampedWeight(weigher, node, weighing));
        raw[weigher.name] = values;
        const normalizer = passed.length === 0 ? null : normalizerOf(weigher, Math.min(...values), Math.max(...values));
        normalized[weigher.name] = values.map((value) => (normalizer === null ? 0 : (value - normalizer.min) / normalizer.range));
      }
      const weighed = weighAll(weighers, passed, weighing);
      const conf = Object.fromEntries(Object.entries(planned.settings).filter(([key]) => key.endsWith('_weight_multiplier')));
      const query = {
        conf,
        weight_classes: planned.settings.weight_classes.map((name) => `nova.scheduler.weights.${WEIGHER_MODULES[name]}.${name}`),
        group: group === null ? null : { policy: group.policy, members: hosts.flatMap((h) => h.members) },
        hosts,
      };
      found.push({
        label: `case ${id} seq ${seq} (${request.instance}, ${request.flavor}${groupName ? `, group ${groupName}` : ''})`,
        query,
        claimplan: {
          raw,
          normalized,
          order: weighed.map((entry) => entry.candidate.node.name),
          totals: Object.fromEntries(weighed.map((entry) => [entry.candidate.node.name, entry.weight])),
        },
        chosen: { indexed: fast.result === 'claimed' ? fast.host : null, weighedAll: full.result === 'claimed' ? full.host : null },
        ...(kind === 'ram-only'
          ? {
              before: {
                chosen: chosenBefore(passed.map(({ node }) => node), planned.settings.ram_weight_multiplier, group, membersOn, false),
                withMinval: chosenBefore(passed.map(({ node }) => node), planned.settings.ram_weight_multiplier, group, membersOn, true),
              },
            }
          : {}),
      });
    }
    // The group members per host, as the decisions leave them.
    for (const decision of [full]) {
      const group = request.op === 'build' ? request.group : undefined;
      if (decision.result === 'claimed' && group !== undefined && decision.host !== null) {
        const hosts = membersOf.get(group) ?? new Map<string, number>();
        hosts.set(decision.host, (hosts.get(decision.host) ?? 0) + 1);
        membersOf.set(group, hosts);
        groupOf.set(decision.instance!, { group, host: decision.host });
      }
      if (request.op === 'delete' && decision.result === 'released') {
        const member = groupOf.get(request.instance);
        if (member) {
          const hosts = membersOf.get(member.group)!;
          hosts.set(member.host, hosts.get(member.host)! - 1);
          groupOf.delete(request.instance);
        }
      }
    }
  });
  return { kind, weighings: found };
}
const groupOf = new Map<string, { group: string; host: string }>();

export interface WeigherConformanceReport {
  cases: number;
  perKind: Record<string, { cases: number; builds: number }>;
  builds: number;
  /** builds where at least two hosts passed, so that Nova weighed them */
  weighedBuilds: number;
  overCommitted: number;
  withPci: number;
  /** RAM-only builds, those where claimplan's choice before Zed's weighers differs, and those that differ from that rule with minval applied (none may) */
  ramOnly: { builds: number; changed: number; notMinval: string[] };
  inGroups: number;
  mismatches: string[];
  seconds: { nova: number; claimplan: number };
}

export async function runWeigherConformance(count: number): Promise<WeigherConformanceReport> {
  const started = performance.now();
  const all: Weighing[] = [];
  const perKind: WeigherConformanceReport['perKind'] = {};
  for (let id = 0; id < count; id++) {
    groupOf.clear();
    const { kind, weighings: found } = weighings(id);
    perKind[kind] ??= { cases: 0, builds: 0 };
    perKind[kind].cases++;
    perKind[kind].builds += found.length;
    all.push(...found);
  }
  const claimplanSeconds = (performance.now() - started) / 1000;
  const novaStarted = performance.now();
  const results = await runHarness<HarnessResult>(HARNESS, all.map((w) => JSON.stringify(w.query)));
  const novaSeconds = (performance.now() - novaStarted) / 1000;
  const mismatches: string[] = [];
  all.forEach((weighing, at) => {
    const nova = results[at];
    const ours = weighing.claimplan;
    const differ = (what: string, a: unknown, b: unknown) => {
      if (JSON.stringify(a) !== JSON.stringify(b)) mismatches.push(`${weighing.label}: ${what}: Nova ${JSON.stringify(b)}, claimplan ${JSON.stringify(a)}`);
    };
    for (const name of Object.keys(ours.raw)) {
      differ(`${name} raw`, ours.raw[name], nova.raw[name]);
      differ(`${name} normalised`, ours.normalized[name], nova.normalized[name]);
    }
    differ('totals', ours.totals, nova.totals);
    differ('order', ours.order, nova.order);
    differ('chosen host (weighing every host)', weighing.chosen.weighedAll, nova.order[0] ?? null);
    differ('chosen host (host indexes)', weighing.chosen.indexed, nova.order[0] ?? null);
  });
  const hostsOf = (w: Weighing) => (w.query as { hosts: HarnessHost[] }).hosts;
  return {
    cases: count,
    perKind,
    builds: all.length,
    weighedBuilds: all.filter((w) => hostsOf(w).length > 1).length,
    overCommitted: all.filter((w) => hostsOf(w).some((h) => h.free_ram_mb < 0 || h.free_disk_gb < 0)).length,
    withPci: all.filter((w) => hostsOf(w).some((h) => h.pci.length > 0)).length,
    ramOnly: {
      builds: all.filter((w) => w.before).length,
      changed: all.filter((w) => w.before && w.before.chosen !== w.chosen.weighedAll).length,
      notMinval: all.filter((w) => w.before && w.before.withMinval !== w.chosen.weighedAll).map((w) => w.label),
    },
    inGroups: all.filter((w) => (w.query as { group: unknown }).group !== null).length,
    mismatches,
    seconds: { nova: novaSeconds, claimplan: claimplanSeconds },
  };
}
