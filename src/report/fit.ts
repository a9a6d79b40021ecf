// `claimplan fit` in every format: how many more of each flavor each host accepts.
import type { FlavorFit, HostFit } from '../engine/fit.ts';
import type { HostUsage } from '../engine/model.ts';
import type { CsvColumn, DisplayColumn, Tone } from './columns.ts';
import { writeCsv } from './csv.ts';
import { writeJsonDocument, writeNdjsonLine, writeYamlDocument, type Write } from './document.ts';
import { markdownHeading, writeMarkdownTable } from './markdown.ts';
import { writeOpenMetrics, type MetricFamily } from './openmetrics.ts';
import { terminalPalette, writeTerminalTable } from './terminal-table.ts';

export const FIT_FORMATS = ['table', 'json', 'yaml', 'ndjson', 'csv', 'markdown', 'openmetrics'] as const;
export type FitFormat = (typeof FIT_FORMATS)[number];

export interface FitReport {
  flavors: FlavorFit[];
  /** the final state the counts start from */
  hosts: HostUsage[];
  /** requests replayed to reach that state */
  requests: number;
}

/** Each flavor is counted on the same final state, never after another flavor's claims. */
const FIT_BASIS = 'each flavor counted on its own from the final state of the replay';

function countText(count: number | null): string {
  return count === null ? 'unlimited' : String(count);
}

interface FitRow {
  flavor: string;
  fit: HostFit;
}

const FIT_DISPLAY_COLUMNS: readonly DisplayColumn<FitRow>[] = [
  { header: 'flavor', value: (row) => row.flavor },
  { header: 'host', value: (row) => row.fit.host },
  { header: 'more fit', value: (row) => countText(row.fit.count), align: 'right' },
  { header: 'bottleneck (first claim refused)', value: (row) => row.fit.bottleneck },
];

const FIT_CSV_COLUMNS: readonly CsvColumn<FitRow>[] = [
  { header: 'flavor', value: (row) => row.flavor },
  { header: 'host', value: (row) => row.fit.host },
  { header: 'count', value: (row) => row.fit.count },
  { header: 'bottleneck', value: (row) => row.fit.bottleneck.join('; ') },
];

const TOTAL_COLUMNS: readonly DisplayColumn<FlavorFit>[] = [
  { header: 'flavor', value: (flavor) => flavor.flavor },
  { header: 'more fit in total', value: (flavor) => countText(flavor.total), align: 'right' },
  { header: 'hosts with room', value: (flavor) => flavor.hosts.filter((h) => h.count !== 0).length, align: 'right' },
];

function rows(report: FitReport): FitRow[] {
  return report.flavors.flatMap((flavor) => flavor.hosts.map((fit) => ({ flavor: flavor.flavor, fit })));
}

function fitToJson(flavor: FlavorFit): object {
  return {
    flavor: flavor.flavor,
    total: flavor.total,
    hosts: flavor.hosts.map((fit) => ({ host: fit.host, count: fit.count, bottleneck: fit.bottleneck })),
  };
}

function fitTone(row: FitRow): Tone {
  return row.fit.count === 0 ? 'bad' : 'plain';
}

function fitMetrics(report: FitReport): MetricFamily[] {
  const unbounded = (count: number | null) => (count === null ? Infinity : count);
  const usage = (name: string, help: string, value: (host: HostUsage) => number): MetricFamily => ({
    name: `claimplan_host_${name}`,
    help,
    samples: report.hosts.map((host) => ({ labels: { host: host.host }, value: value(host) })),
  });
  return [
    {
      name: 'claimplan_flavor_fit',
      help: 'How many more instances of the flavor the cloud accepts (+Inf when no limit applies)',
      samples: report.flavors.map((flavor) => ({ labels: { flavor: flavor.flavor }, value: unbounded(flavor.total) })),
    },
    {
      name: 'claimplan_host_flavor_fit',
      help: 'How many more instances of the flavor the host accepts one after another (+Inf when no limit applies)',
      samples: rows(report).map((row) => ({ labels: { host: row.fit.host, flavor: row.flavor }, value: unbounded(row.fit.count) })),
    },
    usage('memory_mb', 'Total memory of the host in MB', (h) => h.memory_mb),
    usage('memory_mb_used', 'Memory used on the host in MB, reserved memory included', (h) => h.memory_mb_used),
    usage('free_ram_mb', 'memory_mb - memory_mb_used', (h) => h.free_ram_mb),
    usage('local_gb', 'Total local disk of the host in GB', (h) => h.local_gb),
    usage('local_gb_used', 'Local disk used on the host in GB, reserved disk included', (h) => h.local_gb_used),
    usage('free_disk_gb', 'local_gb - local_gb_used', (h) => h.free_disk_gb),
    usage('vcpus', 'vCPUs of the host', (h) => h.vcpus),
    usage('vcpus_used', 'vCPUs used on the host', (h) => h.vcpus_used),
    usage('running_vms', 'Instances on the host', (h) => h.running_vms),
  ];
}

export function renderFit(report: FitReport, format: FitFormat, write: Write, style: { color: boolean }): void {
  const document = () => [
    { key: 'basis', value: () => FIT_BASIS },
    { key: 'flavors', items: report.flavors.map(fitToJson) },
  ];
  switch (format) {
    case 'json':
      return writeJsonDocument(document(), write);
    case 'yaml':
      return writeYamlDocument(document(), write);
    case 'ndjson':
      for (const flavor of report.flavors) writeNdjsonLine(fitToJson(flavor), write);
      return;
    case 'csv':
      return writeCsv(rows(report), FIT_CSV_COLUMNS, write);
    case 'openmetrics':
      return writeOpenMetrics(fitMetrics(report), write);
    case 'markdown':
      write(markdownHeading('Fit'));
      write(`After replaying ${report.requests} requests; ${FIT_BASIS}.\n\n`);
      writeMarkdownTable(report.flavors, TOTAL_COLUMNS, write);
      write('\n');
      writeMarkdownTable(rows(report), FIT_DISPLAY_COLUMNS, write);
      return;
    case 'table': {
      const palette = terminalPalette(style.color);
      write(`${palette.heading('Fit')} after replaying ${report.requests} requests (${FIT_BASIS})\n`);
      writeTerminalTable(report.flavors, TOTAL_COLUMNS, write, { palette });
      write('\n');
      writeTerminalTable(rows(report), FIT_DISPLAY_COLUMNS, write, { palette, tone: fitTone });
      return;
    }
  }
}
