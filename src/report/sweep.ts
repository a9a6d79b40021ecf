// `claimplan sweep` in every format: one setting over a range, with the points where the
// outcome turns called out.
import asciichart from 'asciichart';
import type { SweepPoint, SweepTurn, SweepTurningPoints } from '../engine/scenarios/sweep.ts';
import type { CsvColumn, DisplayColumn } from './columns.ts';
import type { DocumentPart, Write } from './document.ts';
import type { OutputFormat } from './formats.ts';
import { DECISIONS, EXPECTATIONS_FAILED, familiesOver, FLAVOR_FIT, type Figure } from './metrics.ts';
import { unbounded, type Labels, type MetricFamily } from './openmetrics.ts';
import { writeReport, type RenderStyle } from './render.ts';
import type { Heading, Paragraph, TableSection, TerminalChart } from './section.ts';
import { lineChartSvg, type ChartSeries } from './svg-chart.ts';
import { limitText } from './text.ts';

export interface SweepReport {
  key: string;
  flavors: string[];
  points: SweepPoint[];
  turning: SweepTurningPoints;
}

function changeText(count: number): string {
  return count === 0 ? '' : String(count);
}

function displayColumns(report: SweepReport): DisplayColumn<SweepPoint>[] {
  return [
    // The value as the range gave it: a setting to find again, not a figure to round.
    { header: report.key, value: (p) => String(p.value), align: 'right' },
    { header: 'claimed', value: (p) => p.claimed, align: 'right' },
    { header: 'rejected', value: (p) => p.rejected, align: 'right' },
    { header: 'claims\nlost', value: (p) => changeText(p.claims_lost), align: 'right' },
    { header: 'claims\ngained', value: (p) => changeText(p.claims_gained), align: 'right' },
    ...report.flavors.map((flavor, index): DisplayColumn<SweepPoint> => ({
      header: `${flavor}\nmore fit`,
      value: (p) => limitText(p.fit[index].total),
      align: 'right',
    })),
  ];
}

function csvColumns(report: SweepReport): CsvColumn<SweepPoint>[] {
  return [
    { header: report.key, value: (p) => p.value },
    { header: 'claimed', value: (p) => p.claimed },
    { header: 'rejected', value: (p) => p.rejected },
    { header: 'expectations_failed', value: (p) => p.expectations_failed },
    { header: 'claims_lost', value: (p) => p.claims_lost },
    { header: 'claims_gained', value: (p) => p.claims_gained },
    ...report.flavors.map((flavor, index): CsvColumn<SweepPoint> => ({ header: `fit_${flavor}`, value: (p) => p.fit[index].total })),
  ];
}

const CHANGES_NOTE = 'claims lost / gained: builds rejected / claimed at this value that the value before claimed / rejected.';

function others(turn: SweepTurn): string {
  return turn.count === 1 ? '' : ` (and ${turn.count - 1} more)`;
}

/** What an operator asks of a sweep first: at which value does a build first lose its claim, or last win one. */
function turningPointLines(report: SweepReport): string[] {
  const { first_claim_lost: lost, last_claim_gained: gained, all_claimed_from } = report.turning;
  const lines: string[] = [];
  if (lost) {
    lines.push(
      `First claim lost at ${report.key} = ${lost.value}: ${lost.instance} (seq ${lost.seq})${others(lost)}, ` +
        `claimed at ${lost.previous}, is rejected.`,
    );
  }
  if (gained) {
    lines.push(
      `Last claim gained at ${report.key} = ${gained.value}: ${gained.instance} (seq ${gained.seq})${others(gained)}, ` +
        `rejected at ${gained.previous}, is claimed; no later value claims another.`,
    );
  }
  if (all_claimed_from !== null) lines.push(`Every build is claimed from ${report.key} = ${all_claimed_from} on.`);
  if (lines.length === 0) {
    const rejecting = report.points.some((p) => p.rejected > 0);
    lines.push(
      rejecting
        ? 'Every build keeps its outcome at every value swept.'
        : 'Every build is claimed at every value swept.',
    );
  }
  return lines;
}

function chartSeries(report: SweepReport): ChartSeries[] {
  const bounded = report.flavors
    .map((flavor, index) => ({ flavor, values: report.points.map((p) => p.fit[index].total) }))
    .filter((s): s is { flavor: string; values: number[] } => s.values.every((v) => v !== null));
  const palette = ['#1f77b4', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f'];
  return [
    { label: 'claimed builds', colour: '#2ca02c', values: report.points.map((p) => p.claimed) },
    { label: 'rejected builds', colour: '#d62728', values: report.points.map((p) => p.rejected) },
    ...bounded.map((s, index) => ({ label: `${s.flavor} more fit`, colour: palette[index % palette.length], values: s.values })),
  ];
}

export function sweepSvg(report: SweepReport): string {
  const values = report.points.map((p) => p.value);
  const { first_claim_lost: lost, last_claim_gained: gained } = report.turning;
  const markers = [
    ...(lost ? [{ index: values.indexOf(lost.value), label: `first claim lost (${lost.instance})` }] : []),
    ...(gained ? [{ index: values.indexOf(gained.value), label: `last claim gained (${gained.instance})` }] : []),
  ];
  return lineChartSvg(`claimplan sweep: ${report.key}`, report.key, 'instances', values, chartSeries(report), markers);
}

function chart(text: string): TerminalChart {
  return { kind: 'chart', text };
}

const CHART_WIDTH = 60;
const CHART_LABEL_WIDTH = 8;

/**
 * Rows for asciichart: one per unit when the range is small, else up to 8 (a divisor of the
 * range when there is one, so labels stay whole). The top and bottom labels are the series'
 * own highest and lowest values; the table has every exact figure.
 */
function chartHeight(range: number): number {
  if (range <= 8) return range;
  for (let rows = 8; rows >= 4; rows--) if (range % rows === 0) return rows;
  return 8;
}

/** Each value's label under the column where its stretch of the line starts, skipping labels that would collide. */
function xAxis(values: number[], stretch: number): string {
  let axis = ' '.repeat(CHART_LABEL_WIDTH + 1);
  values.forEach((value, index) => {
    const at = CHART_LABEL_WIDTH + 1 + index * stretch;
    const label = String(value);
    if (at >= axis.length + (index === 0 ? 0 : 1)) axis = axis.padEnd(at) + label;
  });
  return axis.trimEnd();
}

/** One small chart per series (rejected builds, then each flavor's fit), so no line hides another. */
function terminalCharts(report: SweepReport, color: boolean): TerminalChart[] {
  const values = report.points.map((p) => p.value);
  const stretch = Math.max(1, Math.floor(CHART_WIDTH / values.length));
  const series = chartSeries(report).filter((s) => s.label !== 'claimed builds');
  const colours = [asciichart.red, asciichart.blue, asciichart.magenta, asciichart.cyan, asciichart.yellow];
  return series
    .map((s, index) => {
      const low = Math.min(...s.values);
      const high = Math.max(...s.values);
      if (low === high) return chart(`${s.label}: ${low} at every value\n`);
      const plot = asciichart.plot(
        s.values.flatMap((value) => Array<number>(stretch).fill(value)),
        {
          height: chartHeight(high - low),
          format: (label: number) => String(Math.round(label)).padStart(CHART_LABEL_WIDTH),
          ...(color ? { colors: [colours[index % colours.length]] } : {}),
        },
      );
      const rows = plot.split('\n').map((row) => row.trimEnd());
      return chart(`${s.label}\n${rows.join('\n')}\n${xAxis(values, stretch)}  ${report.key}\n`);
    });
}

function documentParts(report: SweepReport): DocumentPart[] {
  return [
    { key: 'key', value: () => report.key },
    { key: 'points', items: report.points },
    { key: 'turning_points', value: () => report.turning },
  ];
}

function title(report: SweepReport): Heading {
  return { text: 'Sweep', detail: `: ${report.key}` };
}

function pointsTable(report: SweepReport): TableSection<SweepPoint> {
  return {
    kind: 'table',
    columns: displayColumns(report),
    rows: report.points,
    tone: (p) => (p.rejected > 0 ? 'bad' : 'good'),
    footnote: CHANGES_NOTE,
  };
}

function turningPoints(report: SweepReport): Paragraph {
  return { kind: 'paragraph', lines: turningPointLines(report), emphasis: true };
}

const POINT_FIGURES: readonly Figure<SweepPoint>[] = [
  { ...EXPECTATIONS_FAILED, value: (p) => p.expectations_failed },
  { name: 'claimplan_claims_lost', help: 'Builds claimed at the value swept before and rejected at this one', value: (p) => p.claims_lost },
  { name: 'claimplan_claims_gained', help: 'Builds rejected at the value swept before and claimed at this one', value: (p) => p.claims_gained },
];

/** The table's figures, each sample labelled with the key swept and its value (`key="cpu_allocation_ratio",value="4"`). */
function sweepMetrics(report: SweepReport): MetricFamily[] {
  const at = (p: SweepPoint): Labels => ({ key: report.key, value: String(p.value) });
  const builds = report.points.flatMap((point) => (['claimed', 'rejected'] as const).map((result) => ({ point, result })));
  const fits = report.points.flatMap((point) => point.fit.map((fit) => ({ point, fit })));
  return [
    ...familiesOver(builds, (r) => ({ ...at(r.point), result: r.result }), [{ ...DECISIONS, value: (r) => r.point[r.result] }]),
    ...familiesOver(report.points, at, POINT_FIGURES),
    ...familiesOver(fits, (r) => ({ ...at(r.point), flavor: r.fit.flavor }), [{ ...FLAVOR_FIT, value: (r) => unbounded(r.fit.total) }]),
  ];
}

export function renderSweep(report: SweepReport, format: OutputFormat, write: Write, style: RenderStyle): void {
  writeReport(
    {
      document: () => documentParts(report),
      ndjsonLines: () => [...report.points, { turning_points: report.turning }].map((line) => JSON.stringify(line)),
      csv: () => ({ columns: csvColumns(report), rows: report.points }),
      markdown: () => ({ title: title(report), blocks: [pointsTable(report), turningPoints(report)] }),
      terminal: ({ color }) => ({
        title: title(report),
        blocks: [pointsTable(report), ...terminalCharts(report, color), turningPoints(report)],
      }),
      metrics: () => sweepMetrics(report),
    },
    format,
    write,
    style,
  );
}
