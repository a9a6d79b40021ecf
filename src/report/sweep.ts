// `claimplan sweep` in every format: one setting over a range, with the points where the
// outcome turns called out.
import asciichart from 'asciichart';
import type { SweepPoint, SweepTurningPoints } from '../engine/sweep.ts';
import type { CsvColumn, DisplayColumn } from './columns.ts';
import { writeCsv } from './csv.ts';
import { writeJsonDocument, writeNdjsonLine, writeYamlDocument, type Write } from './document.ts';
import { markdownHeading, writeMarkdownTable } from './markdown.ts';
import type { OutputFormat } from './replay.ts';
import { lineChartSvg, type ChartSeries } from './svg-chart.ts';
import { terminalPalette, writeTerminalTable } from './terminal-table.ts';

export interface SweepReport {
  key: string;
  flavors: string[];
  points: SweepPoint[];
  turning: SweepTurningPoints;
}

function countText(count: number | null): string {
  return count === null ? 'unlimited' : String(count);
}

function displayColumns(report: SweepReport): DisplayColumn<SweepPoint>[] {
  return [
    { header: report.key, value: (p) => p.value, align: 'right' },
    { header: 'claimed', value: (p) => p.claimed, align: 'right' },
    { header: 'rejected', value: (p) => p.rejected, align: 'right' },
    ...report.flavors.map((flavor, index): DisplayColumn<SweepPoint> => ({
      header: `${flavor}\nmore fit`,
      value: (p) => countText(p.fit[index].total),
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
    ...report.flavors.map((flavor, index): CsvColumn<SweepPoint> => ({ header: `fit_${flavor}`, value: (p) => p.fit[index].total })),
  ];
}

/** What an operator asks of a sweep first: from which value do rejections start or stop. */
export function turningPointLines(report: SweepReport): string[] {
  const { first_rejection, all_claimed_from } = report.turning;
  const lines: string[] = [];
  if (first_rejection !== null) {
    const at = report.points.findIndex((p) => p.value === first_rejection);
    const [before, after] = [report.points[at - 1].rejected, report.points[at].rejected];
    const what = before === 0 ? 'First rejection' : `Rejections rise from ${before} to ${after}`;
    lines.push(`${what} at ${report.key} = ${first_rejection}.`);
  }
  if (all_claimed_from !== null) lines.push(`Every request claimed from ${report.key} = ${all_claimed_from}.`);
  if (lines.length === 0) {
    const rejecting = report.points.filter((p) => p.rejected > 0).length;
    lines.push(
      rejecting === 0
        ? `Every request is claimed at every value swept.`
        : `Rejections never rise along the range.`,
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
    { label: 'claimed', colour: '#2ca02c', values: report.points.map((p) => p.claimed) },
    { label: 'rejected', colour: '#d62728', values: report.points.map((p) => p.rejected) },
    ...bounded.map((s, index) => ({ label: `${s.flavor} more fit`, colour: palette[index % palette.length], values: s.values })),
  ];
}

export function sweepSvg(report: SweepReport): string {
  return lineChartSvg(`claimplan sweep: ${report.key}`, report.key, report.points.map((p) => p.value), chartSeries(report));
}

function terminalChart(report: SweepReport, color: boolean): string {
  const series = chartSeries(report).slice(0, 2);
  const colours = color ? [asciichart.green, asciichart.red] : undefined;
  const format = (value: number) => Math.round(value).toString().padStart(8);
  const plot = asciichart.plot(series.map((s) => s.values), { height: 10, format, ...(colours ? { colors: colours } : {}) });
  const values = report.points.map((p) => p.value);
  return `${plot}\n  ${report.key}: ${values[0]} … ${values[values.length - 1]} (${values.length} values); ` +
    `claimed${color ? '' : ' (first line)'} and rejected${color ? ' in red' : ' (second line)'}\n`;
}

export function renderSweep(report: SweepReport, format: OutputFormat, write: Write, style: { color: boolean }): void {
  const document = [
    { key: 'key', value: () => report.key },
    { key: 'points', items: report.points },
    { key: 'turning_points', value: () => report.turning },
  ];
  switch (format) {
    case 'json':
      return writeJsonDocument(document, write);
    case 'yaml':
      return writeYamlDocument(document, write);
    case 'ndjson':
      for (const point of report.points) writeNdjsonLine(point, write);
      writeNdjsonLine({ turning_points: report.turning }, write);
      return;
    case 'csv':
      return writeCsv(report.points, csvColumns(report), write);
    case 'markdown':
      write(markdownHeading(`Sweep: ${report.key}`));
      writeMarkdownTable(report.points, displayColumns(report), write);
      write(`\n${turningPointLines(report).join(' ')}\n`);
      return;
    case 'table': {
      const palette = terminalPalette(style.color);
      write(`${palette.heading('Sweep')}: ${report.key}\n`);
      writeTerminalTable(report.points, displayColumns(report), write, {
        palette,
        tone: (p) => (p.rejected > 0 ? 'bad' : 'good'),
      });
      write(`\n${terminalChart(report, style.color)}\n${turningPointLines(report).map((line) => palette.heading(line)).join('\n')}\n`);
      return;
    }
  }
}
