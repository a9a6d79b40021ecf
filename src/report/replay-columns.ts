// The columns of a replay's tables: decisions, host usage, resource providers, NUMA cells and PCI pools,
// each defined once for the terminal and markdown, and decisions again for CSV; and the
// terminal's one row for a run of builds rejected alike.
import type { Decision, HostUsage, Inventory, NumaCellUsage, PciPoolUsage, ProviderUsage, RejectionCause, ReplaySummary } from '../engine/core/model.ts';
import { capacityOf } from '../engine/models/placement/inventory.ts';
import type { CsvColumn, DisplayColumn, LabelledValue, Tone } from './columns.ts';
import {
  causeText,
  countText,
  cpuSetText,
  limitText,
  numaPlacementLines,
  pageSizeText,
  pciTakenText,
  usedOfTotal,
  weighedHostLines,
  type PlacementTextStyle,
} from './text.ts';

const DISPLAY_TEXT: PlacementTextStyle = { arrow: '→' };
const CSV_TEXT: PlacementTextStyle = { arrow: '->' };

function placementLines(d: Decision, style: PlacementTextStyle): string[] {
  return [...(d.numa ? numaPlacementLines(d.numa, style) : []), ...(d.pci ?? []).map(pciTakenText)];
}

/** Nova's reasons, then under NoValidHost what ruled the hosts out, one cause a line. */
function reasonsAndCauses(d: Decision): string[] {
  return [...d.reasons, ...(d.causes ?? []).map(causeText)];
}

/** Hosts a terminal or markdown row names under NoValidHost (`--explain`); JSON keeps them all. */
const ATTEMPTS_SHOWN = 5;

/**
 * With `--explain`, a NoValidHost row adds the first hosts' own reasons, and how many
 * more hosts refused.
 */
function reasonLines(d: Decision): string[] {
  if (d.host !== null || !d.attempts || d.attempts.length === 0) return reasonsAndCauses(d);
  const shown = d.attempts.slice(0, ATTEMPTS_SHOWN).map((a) => `${a.host}: ${a.reasons.join('; ')}`);
  const more = d.attempts.length - shown.length;
  return [...reasonsAndCauses(d), ...shown, ...(more > 0 ? [`… and ${countText(more)} more host${more === 1 ? '' : 's'}`] : [])];
}

function decisionTone(d: Decision): Tone {
  if (d.result === 'claimed') return 'good';
  if (d.result === 'rejected') return 'bad';
  return 'muted';
}

const REASONS_COLUMN: DisplayColumn<Decision> = { header: 'reasons', value: reasonLines };

export const DECISION_DISPLAY_COLUMNS: readonly DisplayColumn<Decision>[] = [
  { header: 'seq', value: (d) => d.seq, align: 'right' },
  { header: 'op', value: (d) => d.op },
  { header: 'instance', value: (d) => d.instance },
  { header: 'flavor', value: (d) => d.flavor },
  // Only a plan with moves has this column: the host a move leaves, or confirm and revert give back.
  { header: 'from', value: (d) => d.from ?? null, omitWhenEmpty: true },
  { header: 'host', value: (d) => d.host },
  // A failed expectation is what fails a CI run, so the row that failed it says so.
  { header: 'result', value: (d) => (d.expectation_met === false ? [d.result, `expected ${d.expect}`] : d.result) },
  REASONS_COLUMN,
  { header: 'NUMA / PCI', value: (d) => placementLines(d, DISPLAY_TEXT), omitWhenEmpty: true },
  // Only with --explain: why the scheduler chose the host, its best-weighed hosts and each weigher's share.
  { header: 'weighed', value: (d) => (d.weighed ?? []).flatMap(weighedHostLines), omitWhenEmpty: true },
];

/** The rejections after the first of a run that repeats it, as one terminal row. */
export class RepeatedRejections {
  constructor(readonly count: number) {}
}

function sameCauses(a: readonly RejectionCause[] | null, b: readonly RejectionCause[] | null): boolean {
  if (a === null || b === null) return a === b;
  return (
    a.length === b.length &&
    a.every(
      (cause, index) =>
        cause.cause === b[index].cause &&
        cause.hosts === b[index].hosts &&
        cause.server_group?.name === b[index].server_group?.name &&
        cause.closest?.host === b[index].closest?.host &&
        cause.closest?.short === b[index].closest?.short &&
        cause.closest?.unit === b[index].closest?.unit,
    )
  );
}

/**
 * Whether `next` is rejected exactly as `first` was: same flavor, same requested host,
 * same reasons and causes. The same expectation too, so a row that fails one is never
 * hidden in a run that did not.
 */
function repeatsRejection(first: Decision, next: Decision): boolean {
  return (
    next.op === 'build' &&
    next.result === 'rejected' &&
    next.flavor === first.flavor &&
    next.host === first.host &&
    next.expect === first.expect &&
    next.reasons.length === first.reasons.length &&
    next.reasons.every((reason, index) => reason === first.reasons[index]) &&
    sameCauses(next.causes, first.causes)
  );
}

/**
 * A full cloud rejects build after build for the same reasons; a terminal shows the
 * first of such a run in full and then one row for the rest, so the table stays
 * readable. Streams: holds one decision, whatever the length of the run.
 */
export function* collapseRepeatedRejections(decisions: Iterable<Decision>): Generator<Decision | RepeatedRejections> {
  let first: Decision | null = null;
  let repeated = 0;
  for (const decision of decisions) {
    if (first !== null && repeatsRejection(first, decision)) {
      repeated++;
      continue;
    }
    if (repeated > 0) yield new RepeatedRejections(repeated);
    repeated = 0;
    first = decision.op === 'build' && decision.result === 'rejected' ? decision : null;
    yield decision;
  }
  if (repeated > 0) yield new RepeatedRejections(repeated);
}

/** The decision columns over a collapsed run as well: its row says how many it stands for, under reasons. */
export const COLLAPSED_DECISION_COLUMNS: readonly DisplayColumn<Decision | RepeatedRejections>[] = DECISION_DISPLAY_COLUMNS.map(
  (column) => ({
    ...column,
    value: (row: Decision | RepeatedRejections) => {
      if (!(row instanceof RepeatedRejections)) return column.value(row);
      return column === REASONS_COLUMN ? `… and ${countText(row.count)} more rejected for the same reasons` : null;
    },
  }),
);

export function collapsedDecisionTone(row: Decision | RepeatedRejections): Tone {
  return row instanceof RepeatedRejections ? 'bad' : decisionTone(row);
}

export const DECISION_CSV_COLUMNS: readonly CsvColumn<Decision>[] = [
  { header: 'seq', value: (d) => d.seq },
  { header: 'op', value: (d) => d.op },
  { header: 'instance', value: (d) => d.instance },
  { header: 'flavor', value: (d) => d.flavor },
  { header: 'from', value: (d) => d.from ?? null },
  { header: 'host', value: (d) => d.host },
  { header: 'result', value: (d) => d.result },
  { header: 'reasons', value: (d) => reasonsAndCauses(d).join('; ') },
  { header: 'requested_memory_mb', value: (d) => d.requested?.memory_mb ?? null },
  { header: 'requested_disk_gb', value: (d) => d.requested?.disk_gb ?? null },
  { header: 'requested_vcpus', value: (d) => d.requested?.vcpus ?? null },
  { header: 'expect', value: (d) => d.expect },
  { header: 'expectation_met', value: (d) => d.expectation_met },
  // How many hosts the scheduler tried (`--explain`); their reasons are in the json output.
  { header: 'hosts_tried', value: (d) => d.attempts?.length ?? null },
  { header: 'numa', value: (d) => (d.numa ? numaPlacementLines(d.numa, CSV_TEXT).join('; ') : null) },
  { header: 'pci', value: (d) => (d.pci ? d.pci.map(pciTakenText).join('; ') : null) },
];

const MEMORY_LIMIT: DisplayColumn<HostUsage> = { header: 'memory\nlimit', value: (h) => limitText(h.limits.memory_mb), align: 'right' };
const DISK_LIMIT: DisplayColumn<HostUsage> = { header: 'disk\nlimit', value: (h) => limitText(h.limits.disk_gb), align: 'right' };
const VCPU_LIMIT: DisplayColumn<HostUsage> = { header: 'vCPU\nlimit', value: (h) => limitText(h.limits.vcpu), align: 'right' };

export const HOST_USAGE_COLUMNS: readonly DisplayColumn<HostUsage>[] = [
  { header: 'host', value: (h) => h.host },
  { header: 'memory MB\nused/total', value: (h) => usedOfTotal(h.memory_mb_used, h.memory_mb), align: 'right' },
  MEMORY_LIMIT,
  { header: 'free RAM\nMB', value: (h) => h.free_ram_mb, align: 'right' },
  { header: 'disk GB\nused/total', value: (h) => usedOfTotal(h.local_gb_used, h.local_gb), align: 'right' },
  DISK_LIMIT,
  { header: 'free disk\nGB', value: (h) => h.free_disk_gb, align: 'right' },
  { header: 'vCPUs\nused/total', value: (h) => usedOfTotal(h.vcpus_used, h.vcpus), align: 'right' },
  VCPU_LIMIT,
  { header: 'running\nVMs', value: (h) => h.running_vms, align: 'right' },
];

/**
 * Under the Placement model no claim has memory, disk or vCPU limits (the inventories in
 * the resource providers table hold the capacity), so the hosts table has no limit columns.
 */
export const PLACEMENT_HOST_USAGE_COLUMNS: readonly DisplayColumn<HostUsage>[] = HOST_USAGE_COLUMNS.filter(
  (column) => column !== MEMORY_LIMIT && column !== DISK_LIMIT && column !== VCPU_LIMIT,
);

export interface HostNumaCell {
  host: string;
  cell: NumaCellUsage;
}

export function hostNumaCells(hosts: readonly HostUsage[]): HostNumaCell[] {
  return hosts.flatMap((h) => (h.numa_cells ?? []).map((cell) => ({ host: h.host, cell })));
}

export const NUMA_CELL_COLUMNS: readonly DisplayColumn<HostNumaCell>[] = [
  { header: 'host', value: (r) => r.host },
  { header: 'cell', value: (r) => r.cell.id, align: 'right' },
  { header: 'shared CPUs\nusage/count', value: (r) => usedOfTotal(r.cell.cpu_usage, r.cell.cpus.length), align: 'right' },
  {
    header: 'dedicated CPUs\npinned/count',
    value: ({ cell }) =>
      usedOfTotal(cell.pinned_cpus.length, cell.pcpus.length) +
      (cell.pinned_cpus.length > 0 ? ` (${cpuSetText(cell.pinned_cpus)})` : ''),
    align: 'right',
  },
  { header: 'memory MB\nused/total', value: (r) => usedOfTotal(r.cell.memory_usage, r.cell.memory_mb), align: 'right' },
  {
    header: 'pages\nused/total',
    value: ({ cell }) =>
      cell.mempages.map(
        (pages) =>
          `${pageSizeText(pages.size_kb)} ${usedOfTotal(pages.used, pages.total)}` +
          (pages.reserved > 0 ? ` (${pages.reserved} reserved)` : ''),
      ),
  },
];

/** One class of a host's resource provider (the Placement model). */
export interface HostResourceClass {
  host: string;
  /** a child provider's name; absent for the host's own provider */
  provider?: string;
  resourceClass: string;
  inventory: Inventory;
  used: number;
}

/** A child provider's classes, then its children's, depth-first, as the tree reads. */
function childResourceClasses(host: string, providers: readonly ProviderUsage[]): HostResourceClass[] {
  return providers.flatMap((child) => [
    ...Object.entries(child.inventories).map(([resourceClass, inventory]) => ({ host, provider: child.provider, resourceClass, inventory, used: child.usages[resourceClass] ?? 0 })),
    ...childResourceClasses(host, child.providers),
  ]);
}

export function hostResourceClasses(hosts: readonly HostUsage[]): HostResourceClass[] {
  return hosts.flatMap((h) => [
    ...Object.entries(h.inventories ?? {}).map(([resourceClass, inventory]) => ({ host: h.host, resourceClass, inventory, used: h.usages?.[resourceClass] ?? 0 })),
    ...childResourceClasses(h.host, h.providers ?? []),
  ]);
}

/** Placement's figures per class; capacity is (total − reserved) × ratio, unrounded, as allocations are checked against it. */
export const RESOURCE_CLASS_COLUMNS: readonly DisplayColumn<HostResourceClass>[] = [
  // A child provider's rows name it, under its host's rows.
  { header: 'host', value: (r) => r.provider ?? r.host },
  { header: 'class', value: (r) => r.resourceClass },
  { header: 'total', value: (r) => r.inventory.total, align: 'right' },
  { header: 'reserved', value: (r) => r.inventory.reserved, align: 'right' },
  { header: 'allocation\nratio', value: (r) => r.inventory.allocation_ratio, align: 'right' },
  { header: 'used', value: (r) => r.used, align: 'right' },
  { header: 'capacity', value: (r) => capacityOf(r.inventory), align: 'right' },
  { header: 'max unit', value: (r) => r.inventory.max_unit, align: 'right' },
];

export interface HostPciPool {
  host: string;
  pool: PciPoolUsage;
}

export function hostPciPools(hosts: readonly HostUsage[]): HostPciPool[] {
  return hosts.flatMap((h) => (h.pci_pools ?? []).map((pool) => ({ host: h.host, pool })));
}

export const PCI_POOL_COLUMNS: readonly DisplayColumn<HostPciPool>[] = [
  { header: 'host', value: (r) => r.host },
  { header: 'device', value: (r) => `${r.pool.vendor_id}:${r.pool.product_id}` },
  { header: 'type', value: (r) => r.pool.dev_type },
  { header: 'NUMA node', value: (r) => r.pool.numa_node, align: 'right' },
  { header: 'physical network', value: (r) => r.pool.physical_network },
  { header: 'free/total', value: (r) => usedOfTotal(r.pool.free, r.pool.total), align: 'right' },
];

/** The summary's lines; a plan without moves shows no moves line (JSON always has the count). */
export function summaryEntries(summary: ReplaySummary): LabelledValue[] {
  return [
    { label: 'requests', value: summary.requests },
    { label: 'builds', value: summary.builds },
    { label: 'deletes', value: summary.deletes },
    ...(summary.moves > 0 ? [{ label: 'moves', value: summary.moves }] : []),
    { label: 'claimed', value: summary.claimed },
    { label: 'rejected', value: summary.rejected, tone: summary.rejected > 0 ? 'bad' : 'plain' },
    { label: 'released', value: summary.released },
    { label: 'expectations', value: summary.expectations },
    { label: 'expectations failed', value: summary.expectations_failed, tone: summary.expectations_failed > 0 ? 'bad' : 'plain' },
    ...(summary.seed !== undefined ? [{ label: 'random choices seeded with', value: summary.seed }] : []),
  ];
}
