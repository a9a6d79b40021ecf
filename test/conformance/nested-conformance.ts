// claimplan's nested resource providers against Placement 8.0's own code
// (nested_harness.py under /usr/bin/python3, one process for all cases): seeded random
// clouds of provider trees up to three levels, flavors with unnumbered and numbered
// groups, both group policies, required and forbidden traits per group, and a sequence of
// scheduled builds, builds naming a host and deletes. claimplan decides each case first;
// Placement then answers the same queries and is handed claimplan's allocations.
import { CloudState } from '../../src/engine/core/cloud-state.ts';
import { type ChildProviderSpec, type Cloud, type Flavor, type HostUsage, type ProviderUsage, type Request } from '../../src/engine/core/model.ts';
import { INVENTORY_DEFAULTS } from '../../src/engine/models/placement/inventory.ts';
import { cloud, host } from '../engine/builders.ts';
import { random, type Random } from './cases.ts';
import { runHarness } from './harness.ts';
import { fileURLToPath } from 'node:url';

const HARNESS = fileURLToPath(new URL('./nested_harness.py', import.meta.url));

/** The classes children carry, and the traits they and the roots may have. */
const CHILD_CLASSES = ['VGPU', 'SRIOV_NET_VF', 'CUSTOM_ACCEL'];
const CHILD_TRAITS = ['CUSTOM_GPU_A40', 'CUSTOM_GPU_T4', 'CUSTOM_PHYSNET_A', 'HW_GPU_API_VULKAN'];
const ROOT_TRAITS = ['CUSTOM_GPU_A40', 'CUSTOM_RACK_A'];

type Inventory = { total: number } & Partial<Record<'reserved' | 'min_unit' | 'max_unit' | 'step_size' | 'allocation_ratio', number>>;

interface CaseProvider {
  name: string;
  inventories: Record<string, Inventory>;
  traits: string[];
  providers: CaseProvider[];
}

interface CaseHost extends CaseProvider {
  vcpus: number;
  memory_mb: number;
  local_gb: number;
  cells: null;
  pci: [];
  aggregates: [];
  settings: {
    cpu_allocation_ratio: number;
    ram_allocation_ratio: number;
    disk_allocation_ratio: number;
    reserved_host_memory_mb: number;
    reserved_host_disk_mb: number;
    enabled_filters: string[];
  };
}

type CaseStep = { op: 'build'; instance: string; flavor: number; named: string | null } | { op: 'delete'; instance: string };

export interface NestedCase {
  id: number;
  hosts: CaseHost[];
  flavors: Flavor[];
  steps: CaseStep[];
}

function inventoryFor(rng: Random): Inventory {
  const total = rng.int(1, 8);
  const inventory: Inventory = { total };
  if (rng.chance(0.4)) inventory.max_unit = rng.int(1, total);
  if (rng.chance(0.15)) inventory.reserved = rng.int(0, Math.floor(total / 2));
  if (rng.chance(0.1)) inventory.step_size = 2;
  if (rng.chance(0.1)) inventory.allocation_ratio = 2.0;
  return inventory;
}

function childFor(rng: Random, name: string, depth: number): CaseProvider {
  const classes = rng.shuffle([...CHILD_CLASSES]).slice(0, rng.pick([0, 1, 1, 1, 1, 2, 2]));
  const traits = CHILD_TRAITS.filter(() => rng.chance(0.3));
  const grandchildren = depth < 3 && rng.chance(0.3) ? rng.int(1, 2) : 0;
  return {
    name,
    inventories: Object.fromEntries(classes.map((resourceClass) => [resourceClass, inventoryFor(rng)])),
    traits,
    providers: Array.from({ length: grandchildren }, (_, index) => childFor(rng, `${name}_${index}`, depth + 1)),
  };
}

function hostFor(rng: Random, index: number): CaseHost {
  const name = `cmp-${index}`;
  return {
    name,
    vcpus: rng.pick([8, 16, 32]),
    memory_mb: rng.pick([16384, 32768, 65536]),
    local_gb: rng.pick([200, 500, 1000]),
    cells: null,
    pci: [],
    aggregates: [],
    settings: { cpu_allocation_ratio: 4.0, ram_allocation_ratio: 1.0, disk_allocation_ratio: 1.0, reserved_host_memory_mb: 0, reserved_host_disk_mb: 0, enabled_filters: ['ComputeFilter'] },
    traits: ROOT_TRAITS.filter(() => rng.chance(0.25)),
    inventories: {},
    providers: Array.from({ length: rng.pick([0, 1, 1, 2, 2, 3]) }, (_, child) => childFor(rng, `${name}_pci_0000_8${child}_00_0`, 2)),
  };
}

/**
 * A flavor asking with unnumbered and numbered groups, traits per group and a group_policy.
 * A class the unnumbered group asks for is asked again by a numbered group only under
 * group_policy=none: otherwise Placement 8.0 adds the two groups' amounts on one provider
 * into an AllocationRequestResource its other candidates share (research_context.py
 * `copy_arr_if_needed` copies only under `none`), so the amounts it returns depend on its
 * own iteration order (docs/semantics.md, "Nested resource providers").
 */
function flavorFor(rng: Random, index: number): Flavor {
  const specs: Record<string, string> = {};
  const numbered = rng.pick([0, 1, 1, 2, 2, 3]);
  // Sometimes none: with two numbered groups Placement then refuses the query.
  const policy = numbered > 0 && rng.chance(0.95) ? rng.pick(['none', 'isolate']) : null;
  const unnumbered = rng.chance(0.3) ? rng.pick(CHILD_CLASSES) : null;
  if (unnumbered !== null) specs[`resources:${unnumbered}`] = String(rng.int(1, 3));
  if (rng.chance(0.2)) specs[`trait:${rng.pick([...CHILD_TRAITS, ...ROOT_TRAITS])}`] = rng.pick(['required', 'forbidden']);
  const numberedClass = () => {
    const resourceClass = rng.pick(CHILD_CLASSES);
    return resourceClass === unnumbered && policy !== 'none' ? null : resourceClass;
  };
  for (let group = 1; group <= numbered; group++) {
    const first = numberedClass();
    if (first !== null) specs[`resources${group}:${first}`] = String(rng.pick([1, 1, 1, 2, 3]));
    const second = rng.chance(0.15) ? numberedClass() : null;
    if (second !== null) specs[`resources${group}:${second}`] = '1';
    if (rng.chance(0.3)) specs[`trait${group}:${rng.pick(CHILD_TRAITS)}`] = rng.pick(['required', 'forbidden']);
  }
  if (policy !== null) specs.group_policy = policy;
  return { name: `f${index}`, vcpus: rng.int(1, 4), memory_mb: rng.pick([512, 1024, 2048]), root_gb: rng.int(1, 20), ephemeral_gb: 0, swap: 0, extra_specs: specs };
}

export function generateNestedCases(count: number, seed = 20261207): NestedCase[] {
  const rng = random(seed);
  return Array.from({ length: count }, (_, id) => {
    const hosts = Array.from({ length: rng.int(2, 3) }, (_, index) => hostFor(rng, index));
    const flavors = Array.from({ length: 3 }, (_, index) => flavorFor(rng, index));
    const steps: CaseStep[] = [];
    const built: string[] = [];
    // A build naming a host without children writes its allocation straight away, as
    // placement.test.ts proves; one naming a tree asks Placement with in_tree.
    const trees = hosts.filter((host) => host.providers.length > 0);
    for (let n = 0, length = rng.int(4, 8); n < length; n++) {
      if (built.length > 0 && rng.chance(0.25)) {
        steps.push({ op: 'delete', instance: built.splice(rng.int(0, built.length - 1), 1)[0] });
        continue;
      }
      const instance = `vm-${n}`;
      built.push(instance);
      steps.push({ op: 'build', instance, flavor: rng.int(0, flavors.length - 1), named: trees.length > 0 && rng.chance(0.4) ? rng.pick(trees).name : null });
    }
    return { id, hosts, flavors, steps };
  });
}

function childSpec(provider: CaseProvider): ChildProviderSpec {
  return {
    name: provider.name,
    inventories: Object.fromEntries(Object.entries(provider.inventories).map(([resourceClass, inventory]) => [resourceClass, { ...INVENTORY_DEFAULTS, ...inventory }])),
    traits: provider.traits,
    providers: provider.providers.map(childSpec),
  };
}

function cloudOf(c: NestedCase): Cloud {
  const hosts = c.hosts.map(({ name, vcpus, memory_mb, local_gb, settings, traits, providers }) =>
    host(name, { vcpus, memory_mb, local_gb, settings, traits, providers: providers.map(childSpec) }),
  );
  return cloud(hosts, c.flavors, { capacity_model: 'placement', weight_classes: ['RAMWeigher'] });
}

type Allocation = Record<string, Record<string, number>>;

/** What claimplan decided for one step, and what the harness is handed. */
interface OurStep {
  candidates: string[];
  host: string | null;
  allocation: Allocation | null;
}

interface ProviderState {
  inventories: Record<string, unknown>;
  traits: string[];
  usages: Record<string, number>;
}

interface TheirStep {
  candidates?: string[];
  offered?: Allocation[];
  accepted?: boolean | null;
  refusal?: string;
}

interface TheirCase {
  steps: TheirStep[];
  providers: Record<string, ProviderState>;
  seconds: number;
}

function sortedKeys(amounts: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(amounts).sort(([a], [b]) => (a < b ? -1 : 1)));
}

export function runClaimplan(c: NestedCase): { steps: OurStep[]; providers: Record<string, ProviderState>; seconds: number } {
  const state = CloudState.start(cloudOf(c));
  let seconds = 0;
  const steps = c.steps.map((step, index): OurStep => {
    if (step.op === 'delete') {
      state.decide({ op: 'delete', instance: step.instance } as Request, index + 1, { audit: false, explain: false });
      return { candidates: [], host: null, allocation: null };
    }
    const flavor = c.flavors[step.flavor].name;
    const spec = state.requestSpec(flavor, false);
    const hosts = step.named === null ? state.hostNames() : [step.named];
    const candidates = hosts.filter((host) => {
      const node = state.nodeNamed(host);
      return state.modelOf(node).testForScheduler(node, spec, false).reasons.length === 0;
    });
    const started = process.hrtime.bigint();
    const request = { op: 'build', instance: step.instance, flavor, host: step.named, aggregate: null, expect: null } as Request;
    const decision = state.decide(request, index + 1, { audit: false, explain: false });
    seconds += Number(process.hrtime.bigint() - started) / 1e9;
    if (decision.result !== 'claimed') return { candidates: candidates.sort(), host: null, allocation: null };
    const allocation: Allocation = decision.providers
      ? Object.fromEntries(decision.providers.map(({ provider, resources }) => [provider, sortedKeys(resources)]))
      : { [decision.host!]: sortedKeys(decision.resources!) };
    return { candidates: candidates.sort(), host: decision.host, allocation };
  });
  const providers: Record<string, ProviderState> = {};
  const addChildren = (children: readonly ProviderUsage[]) => {
    for (const child of children) {
      providers[child.provider] = { inventories: child.inventories, traits: child.traits, usages: child.usages };
      addChildren(child.providers);
    }
  };
  for (const usage of state.hostUsages() as HostUsage[]) {
    providers[usage.host] = { inventories: usage.inventories ?? {}, traits: usage.traits ?? [], usages: usage.usages ?? {} };
    addChildren(usage.providers ?? []);
  }
  return { steps, providers, seconds };
}

/** The providers of a host's tree in plan order: the host, then its providers depth-first. */
function treeOrder(host: CaseProvider): string[] {
  return [host.name, ...host.providers.flatMap(treeOrder)];
}

/**
 * The choice docs/semantics.md names ("Nested resource providers"), written apart from the engine's: of the allocations offered, the
 * one that allocates the most from the earliest provider, classes in name order, larger first.
 */
export function specChoice(order: readonly string[], offered: readonly Allocation[]): Allocation | null {
  const classes = [...new Set(offered.flatMap((allocation) => Object.values(allocation).flatMap((amounts) => Object.keys(amounts))))].sort();
  const vector = (allocation: Allocation) => order.flatMap((provider) => classes.map((resourceClass) => allocation[provider]?.[resourceClass] ?? 0));
  const ranked = [...offered].sort((a, b) => {
    const [va, vb] = [vector(a), vector(b)];
    const at = va.findIndex((amount, index) => amount !== vb[index]);
    return at < 0 ? 0 : vb[at] - va[at];
  });
  return ranked[0] ?? null;
}

/** JSON with keys in one order, so that objects compare by content. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, item) =>
    item !== null && typeof item === 'object' && !Array.isArray(item) ? Object.fromEntries(Object.entries(item).sort(([a], [b]) => (a < b ? -1 : 1))) : item,
  );
}

export interface NestedMismatch {
  case: number;
  at: number | string;
  what: string;
  placement: unknown;
  claimplan: unknown;
}

export interface NestedReport {
  cases: number;
  providers: number;
  deepest: number;
  builds: { scheduled: number; named: number; claimed: number; noCandidate: number; offeredMoreThanOne: number; isolate: number; none: number };
  mismatches: NestedMismatch[];
  seconds: { placement: number; claimplan: number };
}

function depthOf(provider: CaseProvider): number {
  return 1 + Math.max(0, ...provider.providers.map(depthOf));
}

/** The cases as the harness reads them, each build with claimplan's host and allocation. */
export function harnessInputs(cases: readonly NestedCase[], ours: readonly ReturnType<typeof runClaimplan>[]): string[] {
  return cases.map((c, k) =>
    JSON.stringify({
      ...c,
      steps: c.steps.map((step, index) => (step.op === 'delete' ? step : { ...step, host: ours[k].steps[index].host, allocation: ours[k].steps[index].allocation })),
    }),
  );
}

export async function runNestedConformance(count: number): Promise<NestedReport> {
  const cases = generateNestedCases(count);
  const ours = cases.map(runClaimplan);
  const theirs = await runHarness<TheirCase>(HARNESS, harnessInputs(cases, ours));
  const report: NestedReport = {
    cases: cases.length,
    providers: 0,
    deepest: 0,
    builds: { scheduled: 0, named: 0, claimed: 0, noCandidate: 0, offeredMoreThanOne: 0, isolate: 0, none: 0 },
    mismatches: [],
    seconds: { placement: 0, claimplan: 0 },
  };
  cases.forEach((c, k) => {
    const [mine, placement] = [ours[k], theirs[k]];
    report.seconds.placement += placement.seconds;
    report.seconds.claimplan += mine.seconds;
    report.providers += Object.keys(placement.providers).length;
    report.deepest = Math.max(report.deepest, ...c.hosts.map(depthOf));
    const mismatch = (at: number | string, what: string, expected: unknown, actual: unknown) =>
      report.mismatches.push({ case: c.id, at, what, placement: expected, claimplan: actual });
    c.steps.forEach((step, index) => {
      if (step.op !== 'build') return;
      const [ourStep, theirStep] = [mine.steps[index], placement.steps[index]];
      report.builds[step.named === null ? 'scheduled' : 'named']++;
      const policy = c.flavors[step.flavor].extra_specs.group_policy;
      if (policy === 'isolate' || policy === 'none') report.builds[policy]++;
      if (canonical(theirStep.candidates) !== canonical(ourStep.candidates)) mismatch(index, 'candidate hosts', theirStep.candidates, ourStep.candidates);
      if (ourStep.host === null) {
        if (ourStep.candidates.length === 0) report.builds.noCandidate++;
        return;
      }
      report.builds.claimed++;
      const offered = theirStep.offered ?? [];
      if (offered.length > 1) report.builds.offeredMoreThanOne++;
      if (!offered.some((allocation) => canonical(allocation) === canonical(ourStep.allocation))) mismatch(index, 'allocation not offered', offered, ourStep.allocation);
      const host = c.hosts.find((candidate) => candidate.name === ourStep.host)!;
      const chosen = specChoice(treeOrder(host), offered);
      if (canonical(chosen) !== canonical(ourStep.allocation)) mismatch(index, "allocation not the documented choice", chosen, ourStep.allocation);
      if (theirStep.accepted !== true) mismatch(index, 'allocation refused', theirStep.refusal, ourStep.allocation);
    });
    for (const [provider, state] of Object.entries(placement.providers)) {
      if (canonical(state) !== canonical(mine.providers[provider])) mismatch(provider, 'provider state', state, mine.providers[provider]);
    }
  });
  return report;
}
