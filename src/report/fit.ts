// `claimplan fit` in every format: how many more of each flavor each host accepts.
import type { FlavorFit, HostFit } from '../engine/scenarios/fit.ts';
import type { HostUsage } from '../engine/core/model.ts';
import type { CsvColumn, DisplayColumn, Tone } from './columns.ts';
import type { DocumentPart, Write } from './document.ts';
import type { FitFormat } from './formats.ts';
import { familiesOver, FLAVOR_FIT, hostMetrics } from './metrics.ts';
import { unbounded, type MetricFamily } from './openmetrics.ts';
import { writeReport, type RenderStyle } from './render.ts';
import type { Block } from './section.ts';
import { limitText, plural } from './text.ts';

export interface FitReport {
  flavors: FlavorFit[];
  /** the final state the counts start from */
  hosts: HostUsage[];
  /** requests replayed to reach that state */
  requests: number;
}

/** Each flavor is counted on the same final state, never after another flavor's claims. */
const FIT_BASIS = 'each flavor counted on its own from the final state of the replay';

interface FitRow {
  flavor: string;
  fit: HostFit;
}

const FIT_DISPLAY_COLUMNS: readonly DisplayColumn<FitRow>[] = [
  { header: 'flavor', value: (row) => row.flavor },
  { header: 'host', value: (row) => row.fit.host },
  { header: 'more fit', value: (row) => limitText(row.fit.count), align: 'right' },
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
  { header: 'more fit in total', value: (flavor) => limitText(flavor.total), align: 'right' },
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

function documentParts(report: FitReport): DocumentPart[] {
  return [
    { key: 'basis', value: () => FIT_BASIS },
    { key: 'flavors', items: report.flavors.map(fitToJson) },
  ];
}

/** The totals, then each host's count: both under the report's title. */
function fitTables(report: FitReport): Block[] {
  return [
    { kind: 'table', columns: TOTAL_COLUMNS, rows: report.flavors },
    { kind: 'table', columns: FIT_DISPLAY_COLUMNS, rows: rows(report), tone: fitTone },
  ];
}

function fitMetrics(report: FitReport): MetricFamily[] {
  return [
    ...familiesOver(report.flavors, (flavor) => ({ flavor: flavor.flavor }), [{ ...FLAVOR_FIT, value: (flavor) => unbounded(flavor.total) }]),
    ...familiesOver(rows(report), (row) => ({ host: row.fit.host, flavor: row.flavor }), [
      {
        name: 'claimplan_host_flavor_fit',
        help: 'How many more instances of the flavor the host accepts, each claimed after the other (+Inf when no limit applies)',
        value: (row) => unbounded(row.fit.count),
      },
    ]),
    ...hostMetrics(report.hosts),
  ];
}

export function renderFit(report: FitReport, format: FitFormat, write: Write, style: RenderStyle): void {
  writeReport(
    {
      document: () => documentParts(report),
      ndjsonLines: () => report.flavors.map((flavor) => JSON.stringify(fitToJson(flavor))),
      csv: () => ({ columns: FIT_CSV_COLUMNS, rows: rows(report) }),
      // A terminal says on the title's line what markdown says in a sentence under it.
      markdown: () => ({
        title: { text: 'Fit' },
        blocks: [{ kind: 'paragraph', lines: [`After replaying ${plural(report.requests, 'request')}; ${FIT_BASIS}.`] }, ...fitTables(report)],
      }),
      terminal: () => ({
        title: { text: 'Fit', detail: ` after replaying ${plural(report.requests, 'request')} (${FIT_BASIS})` },
        blocks: fitTables(report),
      }),
      metrics: () => fitMetrics(report),
    },
    format,
    write,
    style,
  );
}
