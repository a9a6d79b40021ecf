// Runs generated cases through Nova (nova_harness.py under /usr/bin/python3) and through
// claimplan's HostTopology, and lists every difference: refusals, reasons, chosen cells,
// pinning, page sizes, emulator-thread CPUs, PCI devices taken and the host's usage after
// each step.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { HostNumaCellSpec, HostSpec, HostUsage, PciAlias } from '../../src/engine/core/model.ts';
import { mempagesOf, siblingsOf } from '../../src/engine/topology/host-cells.ts';
import { HostTopology, PCI_REASON, topologyRequestFor, type TopologyClaim } from '../../src/engine/topology/host-topology.ts';
import { aliasMatchesAnyPool } from '../../src/engine/topology/pci.ts';
import { CATEGORIES, generateCases, type Category, type ConformanceCase } from './cases.ts';
import { PYTHON, runHarness } from './harness.ts';

const HARNESS = fileURLToPath(new URL('./nova_harness.py', import.meta.url));

export function novaImportable(): boolean {
  return spawnSync(PYTHON, ['-c', 'import nova.virt.hardware, nova.pci.stats, nova.compute.claims']).status === 0;
}

interface StepResult {
  op: 'build' | 'delete';
  /** a bad flavor: Nova refuses it whatever the cloud */
  error?: string;
  /** PciRequestAliasNotDefined: Nova refuses this build of a valid flavor */
  refusal?: string;
  reasons?: string[];
  raised?: string;
  cells?: { host_cell: number; pagesize: number | null; pinning: [number, number][]; reserved: number[] }[] | null;
  pci?: [number, number][];
  state?: { cells: { id: number; cpu_usage: number; memory_usage: number; pinned_cpus: number[]; pages_used: number[] }[]; pools: number[] };
  seconds?: number;
}

/** NUMA cells as the harness builds Nova's from them: claimplan's defaults for siblings and pages spelled out. */
export function harnessCells(cells: readonly HostNumaCellSpec[]): HostNumaCellSpec[] {
  return cells.map((cell) => ({ ...cell, siblings: siblingsOf(cell), mempages: mempagesOf(cell) }));
}

/** PCI aliases as nova.conf JSON: a key left empty is not written. */
export function harnessAliases(aliases: readonly PciAlias[]): Record<string, string>[] {
  return aliases.map((alias) => Object.fromEntries(Object.entries(alias).filter(([, value]) => value !== '')));
}

/** What the harness is given: the plan's host with claimplan's defaults spelled out, aliases as nova.conf JSON. */
function harnessInput(c: ConformanceCase): string {
  return JSON.stringify({ ...c, host: { cells: harnessCells(c.host.cells), pci: c.host.pci }, aliases: harnessAliases(c.aliases) });
}

function hostSpec(c: ConformanceCase): HostSpec {
  return {
    name: `case-${c.id}`,
    vcpus: 0,
    memory_mb: 0,
    local_gb: 0,
    aggregates: [],
    settings: {},
    overhead: { memory_mb: 0, disk_gb: 0 },
    limits: null,
    numa: c.host.cells.length > 0 ? c.host.cells : null,
    pci: c.host.pci,
    instances: [],
    used: { memory_mb: 0, local_gb: 0, vcpus: 0, running_vms: 0 },
  };
}

/** A host's NUMA cells and PCI pools in the shape nova_harness.py `snapshot` gives them. */
export function topologySnapshot(usage: Pick<HostUsage, 'numa_cells' | 'pci_pools'>): NonNullable<StepResult['state']> {
  return {
    cells: (usage.numa_cells ?? []).map((cell) => ({
      id: cell.id,
      cpu_usage: cell.cpu_usage,
      memory_usage: cell.memory_usage,
      pinned_cpus: cell.pinned_cpus,
      pages_used: cell.mempages.map((pages) => pages.used),
    })),
    pools: (usage.pci_pools ?? []).map((pool) => pool.free),
  };
}

/** claimplan's answer to the same steps, in the harness's shape. */
function runClaimplan(c: ConformanceCase): StepResult[] {
  const topology = HostTopology.fromSpec(hostSpec(c));
  const requests = c.flavors.map((flavor) => topologyRequestFor(flavor, c.aliases));
  const held = new Map<number, TopologyClaim | null>();
  const results: StepResult[] = [];
  const state = () => topologySnapshot(topology.usage());
  c.steps.forEach((step, index) => {
    if (step.op === 'delete') {
      const claim = held.get(step.build);
      held.delete(step.build);
      if (claim) topology.release(claim);
      results.push({ op: 'delete', state: state() });
      return;
    }
    const built = requests[step.flavor];
    if (!built.ok) {
      results.push({ op: 'build', error: built.error });
      return;
    }
    const request = built.value;
    if (request.refusal !== null) {
      results.push({ op: 'build', refusal: request.refusal });
      return;
    }
    const started = process.hrtime.bigint();
    const test = topology.test(request, c.limits, c.packing);
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const result: StepResult = { op: 'build', reasons: test.reasons, seconds };
    if (test.reasons.length === 0) {
      held.set(index, test.claim);
      if (test.claim) topology.apply(test.claim);
      result.cells =
        test.claim?.fitted?.cells.map((cell) => ({
          host_cell: cell.id,
          pagesize: cell.pagesize,
          pinning: cell.pinning ? [...cell.pinning].sort((a, b) => a[0] - b[0]) : [],
          reserved: cell.cpuset_reserved ? cell.cpuset_reserved.values().sort((a, b) => a - b) : [],
        })) ?? null;
      result.pci = (test.claim?.takes ?? []).map(({ spec, count }) => [spec, count] as [number, number]).sort((x, y) => x[0] - y[0]);
    }
    result.state = state();
    results.push(result);
  });
  return results;
}

/** A reason of Nova 26's in claimplan's words: its PCI claim reason keeps the seed's final period. */
export function withSeedWording(reason: string): string {
  return reason === 'Claim pci failed' ? PCI_REASON : reason;
}

/** Nova's answer in claimplan's terms: its reasons with the legacy period, its exceptions as the build's reason. */
function expected(step: StepResult): unknown {
  if (step.error !== undefined) return { error: step.error };
  if (step.refusal !== undefined) return { refusal: step.refusal };
  if (step.op === 'delete') return { state: step.state };
  if (step.raised !== undefined) {
    return { reasons: [step.raised.slice(step.raised.indexOf(': ') + 2)], state: step.state };
  }
  const reasons = (step.reasons ?? []).map(withSeedWording);
  return reasons.length > 0 ? { reasons, state: step.state } : { reasons, cells: step.cells, pci: step.pci, state: step.state };
}

function actual(step: StepResult): unknown {
  if (step.error !== undefined) return { error: step.error };
  if (step.refusal !== undefined) return { refusal: step.refusal };
  if (step.op === 'delete') return { state: step.state };
  const reasons = step.reasons ?? [];
  return reasons.length > 0 ? { reasons, state: step.state } : { reasons, cells: step.cells, pci: step.pci, state: step.state };
}

export interface Mismatch {
  case: number;
  category: Category;
  step: number;
  nova: unknown;
  claimplan: unknown;
}

export interface ConformanceReport {
  cases: number;
  perCategory: Record<Category, { cases: number; claimed: number; rejected: number; refused: number }>;
  /**
   * `undefinedAlias`: rejected at the API; `unmatchedAlias`: asking for an alias that
   * aliasMatchesAnyPool finds on no pool of the host, which Nova must never claim
   * (`unmatchedAliasClaimed`), as the plan loader's warning says
   */
  builds: {
    claimed: number;
    rejected: number;
    refused: number;
    raised: number;
    undefinedAlias: number;
    unmatchedAlias: number;
    unmatchedAliasClaimed: number;
  };
  mismatches: Mismatch[];
  seconds: { nova: number; claimplan: number; fits: number };
}

/** Runs a harness under /usr/bin/python3 in one process: one JSON line in and one out per case. */
export async function runConformance(count: number): Promise<ConformanceReport> {
  const cases = generateCases(count);
  const novaResults = await runHarness<{ id: number; steps: StepResult[] }>(HARNESS, cases.map(harnessInput));
  const report: ConformanceReport = {
    cases: cases.length,
    perCategory: Object.fromEntries(CATEGORIES.map((name) => [name, { cases: 0, claimed: 0, rejected: 0, refused: 0 }])) as ConformanceReport['perCategory'],
    builds: { claimed: 0, rejected: 0, refused: 0, raised: 0, undefinedAlias: 0, unmatchedAlias: 0, unmatchedAliasClaimed: 0 },
    mismatches: [],
    seconds: { nova: 0, claimplan: 0, fits: 0 },
  };
  // Once before timing, so the JIT has seen the code.
  for (const c of cases.slice(0, 50)) runClaimplan(c);
  cases.forEach((c, k) => {
    const ours = runClaimplan(c);
    const theirs = novaResults[k].steps;
    const tally = report.perCategory[c.category];
    tally.cases++;
    const unmatched = c.flavors.map((flavor) => {
      const names = (flavor.extra_specs['pci_passthrough:alias'] ?? '').split(',').map((item) => item.split(':')[0].trim());
      return c.aliases.some((alias) => names.includes(alias.name) && !aliasMatchesAnyPool(alias, c.host.pci));
    });
    theirs.forEach((step, index) => {
      if (step.op === 'build') {
        const asksUnmatched = step.error === undefined && step.refusal === undefined && unmatched[(c.steps[index] as { flavor: number }).flavor];
        if (step.refusal !== undefined) report.builds.undefinedAlias++;
        if (asksUnmatched) report.builds.unmatchedAlias++;
        const rejected = step.refusal !== undefined || step.raised !== undefined || (step.reasons ?? []).length > 0;
        const outcome = step.error !== undefined ? 'refused' : rejected ? 'rejected' : 'claimed';
        tally[outcome]++;
        if (asksUnmatched && outcome === 'claimed') report.builds.unmatchedAliasClaimed++;
        report.builds[outcome]++;
        if (step.raised !== undefined) report.builds.raised++;
        if (step.seconds !== undefined && ours[index].seconds !== undefined) {
          report.seconds.nova += step.seconds;
          report.seconds.claimplan += ours[index].seconds ?? 0;
          report.seconds.fits++;
        }
      }
      const nova = expected(step);
      const claimplan = actual(ours[index]);
      if (JSON.stringify(nova) !== JSON.stringify(claimplan)) {
        report.mismatches.push({ case: c.id, category: c.category, step: index, nova, claimplan });
      }
    });
  });
  return report;
}
