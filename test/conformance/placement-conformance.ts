// Runs generated cases through OpenStack's own Placement and Nova code
// (placement_harness.py under /usr/bin/python3, one process for all of them) and through
// claimplan's Placement model, and lists every difference: each step's result, host and
// reasons, and at the end each provider's inventories, traits and usages and each host's
// NUMA cells and PCI pools.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { CloudState } from '../../src/engine/core/cloud-state.ts';
import { DEFAULT_CLOUD_SETTINGS, type Cloud, type HostSpec, type Request } from '../../src/engine/core/model.ts';
import { INVENTORY_DEFAULTS } from '../../src/engine/models/placement/inventory.ts';
import { PYTHON, runHarness } from './harness.ts';
import { harnessAliases, harnessCells, topologySnapshot, withSeedWording } from './nova-conformance.ts';
import { generatePlacementCases, PLACEMENT_CATEGORIES, type CaseHost, type PlacementCase, type PlacementCategory } from './placement-cases.ts';

const HARNESS = fileURLToPath(new URL('./placement_harness.py', import.meta.url));

export function placementImportable(): boolean {
  const modules = 'import placement.deploy, placement.db.sqlalchemy.migration, nova.scheduler.utils, nova.virt.libvirt.driver';
  return spawnSync(PYTHON, ['-c', modules]).status === 0;
}

interface StepOutcome {
  /** the cases build and delete; no host goes down in them */
  result: 'claimed' | 'rejected' | 'released';
  host: string | null;
  reasons: string[];
}

interface HostState {
  inventories: Record<string, unknown>;
  traits: string[];
  usages: Record<string, number>;
  topology: ReturnType<typeof topologySnapshot>;
}

interface CaseResult {
  steps: StepOutcome[];
  hosts: Record<string, HostState>;
  /** time spent deciding the builds */
  seconds: number;
}

/** A case's host as a plan's, under the Placement model with its own settings. */
export function hostSpecOf(host: CaseHost): HostSpec {
  return {
    name: host.name,
    vcpus: host.vcpus,
    memory_mb: host.memory_mb,
    local_gb: host.local_gb,
    aggregates: host.aggregates,
    settings: host.settings,
    overhead: { memory_mb: 0, disk_gb: 0 },
    limits: null,
    numa: host.cells,
    pci: host.pci,
    instances: [],
    used: { memory_mb: 0, local_gb: 0, vcpus: 0, running_vms: 0 },
    traits: host.traits,
    inventories: Object.fromEntries(Object.entries(host.inventories).map(([resourceClass, inventory]) => [resourceClass, { ...INVENTORY_DEFAULTS, ...inventory }])),
  };
}

/** The case as a claimplan cloud: every host under the Placement model with its own settings. */
export function cloudOf(c: PlacementCase): Cloud {
  return {
    settings: {
      ...DEFAULT_CLOUD_SETTINGS,
      capacity_model: 'placement',
      weight_classes: ['RAMWeigher'],
      ram_weight_multiplier: c.weigher === 'pack' ? -1.0 : 1.0,
      packing_host_numa_cells_allocation_strategy: c.packing,
    },
    hosts: c.hosts.map(hostSpecOf),
    flavors: c.flavors,
    pci_aliases: c.aliases,
  };
}

function requestsOf(c: PlacementCase): Request[] {
  return c.steps.map((step) => {
    if (step.op === 'delete') {
      const build = c.steps[step.build];
      return { op: 'delete', instance: build.op === 'build' ? build.instance : '' };
    }
    const flavor = c.flavors[step.flavor].name;
    return { op: 'build', instance: step.instance, flavor, host: step.host, aggregate: step.aggregate, expect: null, ...(step.bfv ? { boot_from_volume: true } : {}) };
  });
}

/** What the harness is given: the case, with NUMA cells and aliases as nova_harness.py reads them. */
function harnessInput(c: PlacementCase): string {
  const hosts = c.hosts.map((host) => ({ ...host, cells: host.cells && harnessCells(host.cells) }));
  return JSON.stringify({ ...c, hosts, aliases: harnessAliases(c.aliases) });
}

function runClaimplan(c: PlacementCase): CaseResult {
  const state = CloudState.start(cloudOf(c));
  let seconds = 0;
  const steps = requestsOf(c).map((request, index) => {
    const started = process.hrtime.bigint();
    const decision = state.decide(request, index + 1, { audit: false, explain: false });
    if (request.op === 'build') seconds += Number(process.hrtime.bigint() - started) / 1e9;
    return { result: decision.result as StepOutcome['result'], host: decision.host, reasons: decision.reasons };
  });
  const hosts = Object.fromEntries(
    state.hostUsages().map((usage) => [
      usage.host,
      { inventories: usage.inventories ?? {}, traits: usage.traits ?? [], usages: usage.usages ?? {}, topology: topologySnapshot(usage) },
    ]),
  );
  return { steps, hosts, seconds };
}

/** JSON with keys in one order, so that objects compare by content. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, item) =>
    item !== null && typeof item === 'object' && !Array.isArray(item) ? Object.fromEntries(Object.entries(item).sort(([a], [b]) => a.localeCompare(b))) : item,
  );
}

export interface PlacementMismatch {
  case: number;
  category: PlacementCategory;
  /** the step, or the host whose final state differs */
  at: number | string;
  placement: unknown;
  claimplan: unknown;
}

export interface PlacementReport {
  cases: number;
  perCategory: Record<PlacementCategory, { cases: number; claimed: number; rejected: number; released: number }>;
  builds: { scheduled: number; named: number; claimed: number; rejected: number; noCandidates: number };
  mismatches: PlacementMismatch[];
  seconds: { placement: number; claimplan: number; builds: number };
}

export async function runPlacementConformance(count: number): Promise<PlacementReport> {
  const cases = generatePlacementCases(count);
  const theirs = await runHarness<CaseResult>(HARNESS, cases.map(harnessInput));
  const report: PlacementReport = {
    cases: cases.length,
    perCategory: Object.fromEntries(PLACEMENT_CATEGORIES.map((name) => [name, { cases: 0, claimed: 0, rejected: 0, released: 0 }])) as PlacementReport['perCategory'],
    builds: { scheduled: 0, named: 0, claimed: 0, rejected: 0, noCandidates: 0 },
    mismatches: [],
    seconds: { placement: 0, claimplan: 0, builds: 0 },
  };
  // Once before timing, so the JIT has seen the code.
  for (const c of cases.slice(0, 50)) runClaimplan(c);
  cases.forEach((c, k) => {
    const ours = runClaimplan(c);
    const placement = theirs[k];
    const tally = report.perCategory[c.category];
    tally.cases++;
    report.seconds.placement += placement.seconds;
    report.seconds.claimplan += ours.seconds;
    c.steps.forEach((step, index) => {
      const expected = { ...placement.steps[index], reasons: placement.steps[index].reasons.map(withSeedWording) };
      tally[expected.result]++;
      if (step.op === 'build') {
        report.seconds.builds++;
        report.builds[step.host === null ? 'scheduled' : 'named']++;
        report.builds[expected.result === 'claimed' ? 'claimed' : 'rejected']++;
        if (expected.reasons[0] === 'No valid host was found. ') report.builds.noCandidates++;
      }
      if (canonical(expected) !== canonical(ours.steps[index])) {
        report.mismatches.push({ case: c.id, category: c.category, at: index, placement: expected, claimplan: ours.steps[index] });
      }
    });
    for (const host of c.hosts) {
      const [expected, actual] = [placement.hosts[host.name], ours.hosts[host.name]];
      if (canonical(expected) !== canonical(actual)) {
        report.mismatches.push({ case: c.id, category: c.category, at: host.name, placement: expected, claimplan: actual });
      }
    }
  });
  return report;
}
