// The columns of a replay's tables: decisions, host usage, NUMA cells and PCI pools,
// each defined once for the terminal and markdown, and decisions again for CSV.
import type { Decision, HostUsage, NumaCellUsage, PciPoolUsage, ReplaySummary } from '../engine/model.ts';
import type { CsvColumn, DisplayColumn, LabelledValue, Tone } from './columns.ts';
import { cpuSetText, limitText, numaPlacementLines, pageSizeText, pciTakenText, usedOfTotal, type PlacementTextStyle } from './text.ts';

const DISPLAY_TEXT: PlacementTextStyle = { arrow: '→' };
const CSV_TEXT: PlacementTextStyle = { arrow: '->' };

function placementLines(d: Decision, style: PlacementTextStyle): string[] {
  return [...(d.numa ? numaPlacementLines(d.numa, style) : []), ...(d.pci ?? []).map(pciTakenText)];
}

/** Hosts a terminal or markdown row names under NoValidHost; JSON keeps them all. */
const ATTEMPTS_SHOWN = 5;

/**
 * Under NoValidHost the reason alone does not say what to change, so the row adds
 * the first hosts' own reasons, and how many more hosts refused.
 */
function reasonLines(d: Decision): string[] {
  if (d.host !== null || !d.attempts || d.attempts.length === 0) return d.reasons;
  const shown = d.attempts.slice(0, ATTEMPTS_SHOWN).map((a) => `${a.host}: ${a.reasons.join('; ')}`);
  const more = d.attempts.length - shown.length;
  return [...d.reasons, ...shown, ...(more > 0 ? [`… and ${more} more host${more === 1 ? '' : 's'}`] : [])];
}

export function decisionTone(d: Decision): Tone {
  if (d.result === 'claimed') return 'good';
  if (d.result === 'rejected') return 'bad';
  return 'muted';
}

export const DECISION_DISPLAY_COLUMNS: readonly DisplayColumn<Decision>[] = [
  { header: 'seq', value: (d) => d.seq, align: 'right' },
  { header: 'op', value: (d) => d.op },
  { header: 'instance', value: (d) => d.instance },
  { header: 'flavor', value: (d) => d.flavor },
  { header: 'host', value: (d) => d.host },
  // A failed expectation is what fails a CI run, so the row that failed it says so.
  { header: 'result', value: (d) => (d.expectation_met === false ? [d.result, `expected ${d.expect}`] : d.result) },
  { header: 'reasons', value: reasonLines },
  { header: 'NUMA / PCI', value: (d) => placementLines(d, DISPLAY_TEXT), omitWhenEmpty: true },
];

export const DECISION_CSV_COLUMNS: readonly CsvColumn<Decision>[] = [
  { header: 'seq', value: (d) => d.seq },
  { header: 'op', value: (d) => d.op },
  { header: 'instance', value: (d) => d.instance },
  { header: 'flavor', value: (d) => d.flavor },
  { header: 'host', value: (d) => d.host },
  { header: 'result', value: (d) => d.result },
  { header: 'reasons', value: (d) => d.reasons.join('; ') },
  { header: 'requested_memory_mb', value: (d) => d.requested?.memory_mb ?? null },
  { header: 'requested_disk_gb', value: (d) => d.requested?.disk_gb ?? null },
  { header: 'requested_vcpus', value: (d) => d.requested?.vcpus ?? null },
  { header: 'expect', value: (d) => d.expect },
  { header: 'expectation_met', value: (d) => d.expectation_met },
  // How many hosts the scheduler tried; their reasons are in the json output.
  { header: 'hosts_tried', value: (d) => d.attempts?.length ?? null },
  { header: 'numa', value: (d) => (d.numa ? numaPlacementLines(d.numa, CSV_TEXT).join('; ') : null) },
  { header: 'pci', value: (d) => (d.pci ? d.pci.map(pciTakenText).join('; ') : null) },
];

export const HOST_USAGE_COLUMNS: readonly DisplayColumn<HostUsage>[] = [
  { header: 'host', value: (h) => h.host },
  { header: 'memory MB\nused/total', value: (h) => usedOfTotal(h.memory_mb_used, h.memory_mb), align: 'right' },
  { header: 'memory\nlimit', value: (h) => limitText(h.limits.memory_mb), align: 'right' },
  { header: 'free RAM\nMB', value: (h) => h.free_ram_mb, align: 'right' },
  { header: 'disk GB\nused/total', value: (h) => usedOfTotal(h.local_gb_used, h.local_gb), align: 'right' },
  { header: 'disk\nlimit', value: (h) => limitText(h.limits.disk_gb), align: 'right' },
  { header: 'free disk\nGB', value: (h) => h.free_disk_gb, align: 'right' },
  { header: 'vCPUs\nused/total', value: (h) => usedOfTotal(h.vcpus_used, h.vcpus), align: 'right' },
  { header: 'vCPU\nlimit', value: (h) => limitText(h.limits.vcpu), align: 'right' },
  { header: 'running\nVMs', value: (h) => h.running_vms, align: 'right' },
];

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

export function summaryEntries(summary: ReplaySummary): LabelledValue[] {
  return [
    { label: 'requests', value: summary.requests },
    { label: 'builds', value: summary.builds },
    { label: 'deletes', value: summary.deletes },
    { label: 'claimed', value: summary.claimed },
    { label: 'rejected', value: summary.rejected, tone: summary.rejected > 0 ? 'bad' : 'plain' },
    { label: 'released', value: summary.released },
    { label: 'expectations', value: summary.expectations },
    { label: 'expectations failed', value: summary.expectations_failed, tone: summary.expectations_failed > 0 ? 'bad' : 'plain' },
  ];
}
