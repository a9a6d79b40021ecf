// A replay's results in each output format (SPEC §3). Decisions are written as they
// come, so memory follows the cloud (its hosts), never the length of the trace.
import type { Decision, HostUsage, ReplaySummary } from '../engine/model.ts';
import { labelledValueColumns } from './columns.ts';
import { writeCsv } from './csv.ts';
import { writeJsonDocument, writeNdjsonLine, writeYamlDocument, type DocumentPart, type Write } from './document.ts';
import { decisionToJson, hostUsageToJson, summaryToJson } from './json-fields.ts';
import { markdownHeading, writeMarkdownTable } from './markdown.ts';
import {
  DECISION_CSV_COLUMNS,
  DECISION_DISPLAY_COLUMNS,
  decisionTone,
  HOST_USAGE_COLUMNS,
  hostNumaCells,
  hostPciPools,
  NUMA_CELL_COLUMNS,
  PCI_POOL_COLUMNS,
  summaryEntries,
} from './replay-columns.ts';
import { terminalPalette, writeLabelledValues, writeTerminalTable } from './terminal-table.ts';

export type OutputFormat = 'table' | 'json' | 'yaml' | 'ndjson' | 'csv' | 'markdown';
export const OUTPUT_FORMATS: readonly OutputFormat[] = Object.freeze(['table', 'json', 'yaml', 'ndjson', 'csv', 'markdown']);

export interface ReplayOutput {
  /** lazy, consumed once, in order */
  decisions: Iterable<Decision>;
  /** valid only after the decisions are consumed */
  hosts(): HostUsage[];
  /** valid only after the decisions are consumed */
  summary(): ReplaySummary;
}

export interface RenderStyle {
  color: boolean;
}

function* mapped<T, U>(items: Iterable<T>, transform: (item: T) => U): Generator<U> {
  for (const item of items) yield transform(item);
}

function documentParts(output: ReplayOutput): DocumentPart[] {
  return [
    { key: 'decisions', items: mapped(output.decisions, decisionToJson) },
    { key: 'hosts', value: () => output.hosts().map(hostUsageToJson) },
    { key: 'summary', value: () => summaryToJson(output.summary()) },
  ];
}

function renderNdjson(output: ReplayOutput, write: Write): void {
  for (const decision of output.decisions) writeNdjsonLine(decisionToJson(decision), write);
  writeNdjsonLine({ summary: summaryToJson(output.summary()) }, write);
}

function renderTable(output: ReplayOutput, write: Write, style: RenderStyle): void {
  const palette = terminalPalette(style.color);
  const section = (title: string, first = false) => write(`${first ? '' : '\n'}${palette.heading(title)}\n`);
  section('Decisions', true);
  writeTerminalTable(output.decisions, DECISION_DISPLAY_COLUMNS, write, { palette, tone: decisionTone });
  const hosts = output.hosts();
  section('Hosts');
  writeTerminalTable(hosts, HOST_USAGE_COLUMNS, write, { palette });
  const cells = hostNumaCells(hosts);
  if (cells.length > 0) {
    section('NUMA cells');
    writeTerminalTable(cells, NUMA_CELL_COLUMNS, write, { palette });
  }
  const pools = hostPciPools(hosts);
  if (pools.length > 0) {
    section('PCI pools');
    writeTerminalTable(pools, PCI_POOL_COLUMNS, write, { palette });
  }
  section('Summary');
  writeLabelledValues(summaryEntries(output.summary()), write, palette);
}

function renderMarkdown(output: ReplayOutput, write: Write): void {
  write(markdownHeading('Decisions'));
  writeMarkdownTable(output.decisions, DECISION_DISPLAY_COLUMNS, write);
  const hosts = output.hosts();
  write(`\n${markdownHeading('Hosts')}`);
  writeMarkdownTable(hosts, HOST_USAGE_COLUMNS, write);
  const cells = hostNumaCells(hosts);
  if (cells.length > 0) {
    write(`\n${markdownHeading('NUMA cells')}`);
    writeMarkdownTable(cells, NUMA_CELL_COLUMNS, write);
  }
  const pools = hostPciPools(hosts);
  if (pools.length > 0) {
    write(`\n${markdownHeading('PCI pools')}`);
    writeMarkdownTable(pools, PCI_POOL_COLUMNS, write);
  }
  write(`\n${markdownHeading('Summary')}`);
  writeMarkdownTable(summaryEntries(output.summary()), labelledValueColumns('summary', 'count'), write);
}

/**
 * Writes a replay's decisions, final host usage and summary in `format`. Pure: output
 * goes only to `write`, and colour only follows `style.color`. CSV holds the decisions
 * alone, being one table; hosts and summary are in every other format.
 */
export function renderReplay(output: ReplayOutput, format: OutputFormat, write: Write, style: RenderStyle): void {
  switch (format) {
    case 'table':
      return renderTable(output, write, style);
    case 'json':
      return writeJsonDocument(documentParts(output), write);
    case 'yaml':
      return writeYamlDocument(documentParts(output), write);
    case 'ndjson':
      return renderNdjson(output, write);
    case 'csv':
      return writeCsv(output.decisions, DECISION_CSV_COLUMNS, write);
    case 'markdown':
      return renderMarkdown(output, write);
  }
}
