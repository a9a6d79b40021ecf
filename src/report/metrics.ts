// The metric families the reports publish, built from the same rows their tables show:
// the hosts' usage (with NUMA cells and PCI pools), a replay's summary, and the families
// more than one report shares, named once here so they mean one thing everywhere.
import type { HostUsage, ReplaySummary } from '../engine/core/model.ts';
import { BYTES_PER_GB, BYTES_PER_MB, unbounded, type Labels, type MetricFamily } from './openmetrics.ts';
import { hostNumaCells, hostPciPools, type HostNumaCell, type HostPciPool } from './replay-columns.ts';

/** One figure of a row, which becomes one sample of its family. */
export interface Figure<Row> {
  name: string;
  help: string;
  unit?: 'bytes';
  /** undefined when the row has no such figure (a host that one side of a comparison lacks) */
  value(row: Row): number | undefined;
}

/** A family per figure, a sample per row that has the figure, each labelled as `labels` says. */
export function familiesOver<Row>(rows: readonly Row[], labels: (row: Row) => Labels, figures: readonly Figure<Row>[]): MetricFamily[] {
  return figures.map(({ value, ...family }) => ({
    ...family,
    samples: rows.flatMap((row) => {
      const figure = value(row);
      return figure === undefined ? [] : [{ labels: labels(row), value: figure }];
    }),
  }));
}

/** How many more of a flavor fit: fit counts it per host and in total, compare per side, sweep per value. */
export const FLAVOR_FIT = {
  name: 'claimplan_flavor_fit',
  help: 'How many more instances of the flavor the cloud accepts, each claimed after the other (+Inf when no limit applies)',
} as const;

/** Decisions by result: what a replay's summary counts, and a sweep's builds per value. */
export const DECISIONS = {
  name: 'claimplan_decisions',
  help: 'Requests replayed, by result (claimed and rejected: builds and moves; released: deletes, confirms, reverts)',
} as const;

export const EXPECTATIONS_FAILED = {
  name: 'claimplan_expectations_failed',
  help: 'Requests whose expect: did not hold',
} as const;

/** Nova's names for one resource a host has in MB or GB, and what its unit is in bytes. */
interface Capacity {
  resource: 'memory' | 'disk';
  /** how the help names it */
  described: string;
  bytes: number;
  total: 'memory_mb' | 'local_gb';
  used: 'memory_mb_used' | 'local_gb_used';
  free: 'free_ram_mb' | 'free_disk_gb';
  limit: 'memory_mb' | 'disk_gb';
  ratio: string;
}

/**
 * A legacy claim's limit, +Inf when none applies; undefined (no sample) for a host under the
 * Placement model, whose claims have no such limit: its inventories hold the capacity.
 */
function legacyLimit(host: HostUsage, limit: number | null, scale = 1): number | undefined {
  return host.inventories ? undefined : unbounded(limit) * scale;
}

/** Memory and disk alike: total, used, free and limit, in bytes. */
function capacityFigures(c: Capacity): Figure<HostUsage>[] {
  const name = (figure: string) => `claimplan_host_${c.resource}${figure}_bytes`;
  return [
    { name: name(''), unit: 'bytes', help: `${c.described} of the host (${c.total})`, value: (h) => h[c.total] * c.bytes },
    { name: name('_used'), unit: 'bytes', help: `${c.described} used on the host, reserved included (${c.used})`, value: (h) => h[c.used] * c.bytes },
    { name: name('_free'), unit: 'bytes', help: `${c.described} of the host less what is used (${c.free})`, value: (h) => h[c.free] * c.bytes },
    {
      name: name('_limit'),
      unit: 'bytes',
      help: `${c.described} the claim lets the host use (${c.total} times ${c.ratio}; +Inf when no limit applies)`,
      value: (h) => legacyLimit(h, h.limits[c.limit], c.bytes),
    },
  ];
}

const HOST_FIGURES: readonly Figure<HostUsage>[] = [
  ...capacityFigures({
    resource: 'memory',
    described: 'Memory',
    bytes: BYTES_PER_MB,
    total: 'memory_mb',
    used: 'memory_mb_used',
    free: 'free_ram_mb',
    limit: 'memory_mb',
    ratio: 'ram_allocation_ratio',
  }),
  ...capacityFigures({
    resource: 'disk',
    described: 'Local disk',
    bytes: BYTES_PER_GB,
    total: 'local_gb',
    used: 'local_gb_used',
    free: 'free_disk_gb',
    limit: 'disk_gb',
    ratio: 'disk_allocation_ratio',
  }),
  { name: 'claimplan_host_vcpus', help: 'vCPUs of the host (vcpus)', value: (h) => h.vcpus },
  { name: 'claimplan_host_vcpus_used', help: 'vCPUs used on the host (vcpus_used)', value: (h) => h.vcpus_used },
  {
    name: 'claimplan_host_vcpu_limit',
    help: 'vCPUs the claim lets the host use (vcpus times cpu_allocation_ratio; +Inf when no limit applies)',
    value: (h) => legacyLimit(h, h.limits.vcpu),
  },
  { name: 'claimplan_host_running_vms', help: 'Instances on the host (running_vms)', value: (h) => h.running_vms },
];

const NUMA_CELL_FIGURES: readonly Figure<HostNumaCell>[] = [
  { name: 'claimplan_numa_cell_shared_cpus', help: 'Shared CPUs of the NUMA cell (cpu_shared_set)', value: (r) => r.cell.cpus.length },
  {
    name: 'claimplan_numa_cell_shared_cpu_usage',
    help: "vCPUs of unpinned instances on the cell's shared CPUs (cpu_usage)",
    value: (r) => r.cell.cpu_usage,
  },
  { name: 'claimplan_numa_cell_dedicated_cpus', help: 'Dedicated CPUs of the NUMA cell (cpu_dedicated_set)', value: (r) => r.cell.pcpus.length },
  { name: 'claimplan_numa_cell_pinned_cpus', help: "Dedicated CPUs of the cell pinned to instances", value: (r) => r.cell.pinned_cpus.length },
  { name: 'claimplan_numa_cell_memory_bytes', unit: 'bytes', help: 'Memory of the NUMA cell', value: (r) => r.cell.memory_mb * BYTES_PER_MB },
  {
    name: 'claimplan_numa_cell_memory_used_bytes',
    unit: 'bytes',
    help: 'Memory of the NUMA cell used by instances (memory_usage)',
    value: (r) => r.cell.memory_usage * BYTES_PER_MB,
  },
];

interface CellPages {
  numa: HostNumaCell;
  pages: HostNumaCell['cell']['mempages'][number];
}

const PAGE_FIGURES: readonly Figure<CellPages>[] = [
  { name: 'claimplan_numa_cell_pages', help: 'Memory pages of the NUMA cell, by page size', value: (r) => r.pages.total },
  { name: 'claimplan_numa_cell_pages_used', help: 'Memory pages of the NUMA cell used by instances', value: (r) => r.pages.used },
  { name: 'claimplan_numa_cell_pages_reserved', help: 'Memory pages of the NUMA cell reserved for the host', value: (r) => r.pages.reserved },
];

const PCI_POOL_FIGURES: readonly Figure<HostPciPool>[] = [
  { name: 'claimplan_pci_devices', help: 'PCI devices in the pool', value: (r) => r.pool.total },
  { name: 'claimplan_pci_devices_free', help: 'PCI devices of the pool no instance has taken', value: (r) => r.pool.free },
];

function cellLabels({ host, cell }: HostNumaCell): Labels {
  return { host, cell: String(cell.id) };
}

/** A pool is named by what Nova pools devices by; a label with no value (no NUMA node) is left out. */
function poolLabels({ host, pool }: HostPciPool): Labels {
  return {
    host,
    vendor_id: pool.vendor_id,
    product_id: pool.product_id,
    dev_type: pool.dev_type,
    ...(pool.numa_node === null ? {} : { numa_node: String(pool.numa_node) }),
    ...(pool.physical_network === null ? {} : { physical_network: pool.physical_network }),
  };
}

/** The hosts' final usage: the Hosts, NUMA cells and PCI pools tables, in base units. */
export function hostMetrics(hosts: readonly HostUsage[]): MetricFamily[] {
  const cells = hostNumaCells(hosts);
  const pages = cells.flatMap((numa) => numa.cell.mempages.map((cellPages) => ({ numa, pages: cellPages })));
  return [
    ...familiesOver(hosts, (h) => ({ host: h.host }), HOST_FIGURES),
    ...familiesOver(cells, cellLabels, NUMA_CELL_FIGURES),
    ...familiesOver(pages, (r) => ({ ...cellLabels(r.numa), page_size_bytes: String(r.pages.size_kb * 1024) }), PAGE_FIGURES),
    ...familiesOver(hostPciPools(hosts), poolLabels, PCI_POOL_FIGURES),
  ];
}

/** A replay's summary, once per replay given (compare labels each with its side). */
export function summaryMetrics(replays: readonly { labels: Labels; summary: ReplaySummary }[]): MetricFamily[] {
  const decisions = replays.flatMap(({ labels, summary }) => [
    { labels: { ...labels, result: 'claimed' }, value: summary.claimed },
    { labels: { ...labels, result: 'rejected' }, value: summary.rejected },
    { labels: { ...labels, result: 'released' }, value: summary.released },
  ]);
  return [
    { ...DECISIONS, samples: decisions },
    {
      name: 'claimplan_expectations',
      help: 'Requests that set an expect:',
      samples: replays.map(({ labels, summary }) => ({ labels, value: summary.expectations })),
    },
    { ...EXPECTATIONS_FAILED, samples: replays.map(({ labels, summary }) => ({ labels, value: summary.expectations_failed })) },
  ];
}
