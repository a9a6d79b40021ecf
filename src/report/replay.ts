// A replay's results in each output format (docs/output.md, "Formats"). Decisions are written as they
// come, so memory follows the cloud (its hosts), never the length of the trace.
import type { Decision, HostUsage, ReplaySummary } from '../engine/core/model.ts';
import type { DocumentPart, Write } from './document.ts';
import type { OutputFormat } from './formats.ts';
import { decisionJsonText, decisionToJson, hostUsageToJson, summaryToJson } from './json-fields.ts';
import { hostMetrics, summaryMetrics } from './metrics.ts';
import type { MetricFamily } from './openmetrics.ts';
import { writeReport, type RenderStyle } from './render.ts';
import {
  collapsedDecisionTone,
  collapseRepeatedRejections,
  COLLAPSED_DECISION_COLUMNS,
  DECISION_CSV_COLUMNS,
  DECISION_DISPLAY_COLUMNS,
  HOST_USAGE_COLUMNS,
  PLACEMENT_HOST_USAGE_COLUMNS,
  hostNumaCells,
  hostResourceClasses,
  hostPciPools,
  NUMA_CELL_COLUMNS,
  PCI_POOL_COLUMNS,
  RESOURCE_CLASS_COLUMNS,
  summaryEntries,
} from './replay-columns.ts';
import type { Block } from './section.ts';

export interface ReplayOutput {
  /** lazy, consumed once, in order */
  decisions: Iterable<Decision>;
  /** valid only after the decisions are consumed */
  hosts(): HostUsage[];
  /** valid only after the decisions are consumed */
  summary(): ReplaySummary;
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

function* ndjsonLines(output: ReplayOutput): Generator<string> {
  for (const decision of output.decisions) yield decisionJsonText(decision);
  yield JSON.stringify({ summary: summaryToJson(output.summary()) });
}

/** The decisions, then what exists only once they are all made: hosts, their NUMA cells and PCI pools, the summary. */
function* replayBlocks(output: ReplayOutput, decisions: Block): Generator<Block> {
  yield decisions;
  const hosts = output.hosts();
  const columns = hosts.some((host) => host.inventories) ? PLACEMENT_HOST_USAGE_COLUMNS : HOST_USAGE_COLUMNS;
  yield { kind: 'table', title: { text: 'Hosts' }, columns, rows: hosts };
  const classes = hostResourceClasses(hosts);
  if (classes.length > 0) yield { kind: 'table', title: { text: 'Resource providers' }, columns: RESOURCE_CLASS_COLUMNS, rows: classes };
  const cells = hostNumaCells(hosts);
  if (cells.length > 0) yield { kind: 'table', title: { text: 'NUMA cells' }, columns: NUMA_CELL_COLUMNS, rows: cells };
  const pools = hostPciPools(hosts);
  if (pools.length > 0) yield { kind: 'table', title: { text: 'PCI pools' }, columns: PCI_POOL_COLUMNS, rows: pools };
  yield { kind: 'labelled values', title: { text: 'Summary' }, entries: summaryEntries(output.summary()), headers: { label: 'summary', value: 'count' } };
}

function* replayMetrics(output: ReplayOutput): Generator<MetricFamily> {
  for (const _decision of output.decisions);
  yield* hostMetrics(output.hosts());
  yield* summaryMetrics([{ labels: {}, summary: output.summary() }]);
}

/**
 * Writes a replay's decisions, final host usage and summary in `format`. CSV holds the
 * decisions alone, being one table; openmetrics the hosts and summary, being figures;
 * every other format holds all three. A terminal shows a run of builds rejected for the
 * same reasons as its first row and a count (`… and 99,990 more rejected …`); every
 * other format keeps one decision per request.
 */
export function renderReplay(output: ReplayOutput, format: OutputFormat, write: Write, style: RenderStyle): void {
  writeReport(
    {
      document: () => documentParts(output),
      ndjsonLines: () => ndjsonLines(output),
      csv: () => ({ columns: DECISION_CSV_COLUMNS, rows: output.decisions }),
      markdown: () => ({
        blocks: replayBlocks(output, {
          kind: 'table',
          title: { text: 'Decisions' },
          columns: DECISION_DISPLAY_COLUMNS,
          rows: output.decisions,
        }),
      }),
      terminal: () => ({
        blocks: replayBlocks(output, {
          kind: 'table',
          title: { text: 'Decisions' },
          columns: COLLAPSED_DECISION_COLUMNS,
          rows: collapseRepeatedRejections(output.decisions),
          tone: collapsedDecisionTone,
        }),
      }),
      metrics: () => replayMetrics(output),
    },
    format,
    write,
    style,
  );
}
