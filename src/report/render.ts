// Every report is written the same way: it says what it holds in each shape (a document
// for json and yaml, lines for ndjson, one CSV table, sections for people, metrics), and
// this one switch picks the shape the format asks for and hands it to its one writer.
import { writeCsv } from './csv.ts';
import { writeJsonDocument, writeYamlDocument, type DocumentPart, type Write } from './document.ts';
import type { OutputFormat } from './formats.ts';
import { writeMarkdownDocument } from './markdown.ts';
import { writeOpenMetrics, type MetricFamily } from './openmetrics.ts';
import type { CsvTable, ReportDocument, TerminalChart } from './section.ts';
import { terminalPalette, writeTerminalDocument } from './terminal-table.ts';

export interface RenderStyle {
  color: boolean;
}

/**
 * A report in each of its shapes. Only the shape of the format written is asked for, and
 * once: a report over a lazy replay can consume its decisions only once.
 */
export interface ReportShapes {
  /** the top-level keys of the json and yaml document */
  document(): DocumentPart[];
  /** one JSON text a line, each written as soon as it is yielded */
  ndjsonLines(): Iterable<string>;
  csv(): CsvTable<unknown>;
  markdown(): ReportDocument;
  terminal(style: RenderStyle): ReportDocument<TerminalChart>;
  metrics(): Iterable<MetricFamily>;
}

/** Pure: output goes only to `write`, and colour only follows `style.color`. */
export function writeReport(report: ReportShapes, format: OutputFormat, write: Write, style: RenderStyle): void {
  switch (format) {
    case 'table':
      return writeTerminalDocument(report.terminal(style), write, terminalPalette(style.color));
    case 'json':
      return writeJsonDocument(report.document(), write);
    case 'yaml':
      return writeYamlDocument(report.document(), write);
    case 'ndjson':
      for (const line of report.ndjsonLines()) write(`${line}\n`);
      return;
    case 'csv': {
      const table = report.csv();
      return writeCsv(table.rows, table.columns, write);
    }
    case 'markdown':
      return writeMarkdownDocument(report.markdown(), write);
    case 'openmetrics':
      return writeOpenMetrics(report.metrics(), write);
  }
}
