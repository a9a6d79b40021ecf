// `claimplan compare` in every format: two replays side by side.
import type { DecisionChange, DecisionSide, FitChange, Headroom, HostHeadroomChange, OnlyIn } from '../engine/compare.ts';
import type { ReplaySummary } from '../engine/model.ts';
import type { CsvColumn, DisplayColumn, Tone } from './columns.ts';
import { writeCsv } from './csv.ts';
import { writeJsonDocument, writeNdjsonLine, writeYamlDocument, type DocumentPart, type Write } from './document.ts';
import { markdownHeading, writeMarkdownTable } from './markdown.ts';
import type { OutputFormat } from './replay.ts';
import { terminalPalette, writeTerminalTable } from './terminal-table.ts';

export interface CompareReport {
  before: string;
  after: string;
  /** lazy, consumed once; the summaries, hosts and fit are valid only afterwards */
  changes: Iterable<DecisionChange>;
  summaries(): { before: ReplaySummary; after: ReplaySummary };
  hosts(): HostHeadroomChange[];
  fit(): FitChange[];
}

function sideText(side: DecisionSide | null): string[] {
  if (side === null) return ['(no such request)'];
  return [`${side.result}${side.host ? ` on ${side.host}` : ''}`, ...side.reasons];
}

function changeTone(change: DecisionChange): Tone {
  if (change.after?.result === 'rejected' && change.before?.result === 'claimed') return 'bad';
  if (change.after?.result === 'claimed' && change.before?.result === 'rejected') return 'good';
  return 'warn';
}

const CHANGE_COLUMNS: readonly DisplayColumn<DecisionChange>[] = [
  { header: 'seq', value: (c) => c.seq, align: 'right' },
  { header: 'instance', value: (c) => c.instance },
  { header: 'flavor', value: (c) => c.flavor },
  { header: 'before', value: (c) => sideText(c.before) },
  { header: 'after', value: (c) => sideText(c.after) },
];

const CHANGE_CSV_COLUMNS: readonly CsvColumn<DecisionChange>[] = [
  { header: 'seq', value: (c) => c.seq },
  { header: 'op', value: (c) => c.op },
  { header: 'instance', value: (c) => c.instance },
  { header: 'flavor', value: (c) => c.flavor },
  { header: 'before_result', value: (c) => c.before?.result ?? null },
  { header: 'before_host', value: (c) => c.before?.host ?? null },
  { header: 'before_reasons', value: (c) => c.before?.reasons.join('; ') ?? null },
  { header: 'after_result', value: (c) => c.after?.result ?? null },
  { header: 'after_host', value: (c) => c.after?.host ?? null },
  { header: 'after_reasons', value: (c) => c.after?.reasons.join('; ') ?? null },
];

function amount(value: number | null): string {
  if (value === null) return 'unlimited';
  return Number.isInteger(value) ? String(value) : value.toFixed(2);
}

const ABSENT = '(not in plan)';

/** A side's figure, or that the host or flavor is not in that side's plan at all. */
function sideAmount(value: number | null, side: 'before' | 'after', onlyIn: OnlyIn | undefined): string {
  return onlyIn !== undefined && onlyIn !== side ? ABSENT : amount(value);
}

function headroomText(pair: Headroom, onlyIn: OnlyIn | undefined): string {
  const [before, after] = [sideAmount(pair.before, 'before', onlyIn), sideAmount(pair.after, 'after', onlyIn)];
  return before === after ? after : `${before} → ${after}`;
}

const HEADROOM_COLUMNS: readonly DisplayColumn<HostHeadroomChange>[] = [
  { header: 'host', value: (h) => h.host },
  { header: 'memory headroom MB\n(limit − used)', value: (h) => headroomText(h.memory_mb, h.only_in), align: 'right' },
  { header: 'disk headroom GB\n(limit − used)', value: (h) => headroomText(h.disk_gb, h.only_in), align: 'right' },
  { header: 'vCPU headroom\n(limit − used)', value: (h) => headroomText(h.vcpu, h.only_in), align: 'right' },
];

const FIT_COLUMNS: readonly DisplayColumn<FitChange>[] = [
  { header: 'flavor', value: (f) => f.flavor },
  { header: 'more fit before', value: (f) => sideAmount(f.before, 'before', f.only_in), align: 'right' },
  { header: 'more fit after', value: (f) => sideAmount(f.after, 'after', f.only_in), align: 'right' },
];

interface SummaryRow {
  label: string;
  before: number;
  after: number;
}

const SUMMARY_COLUMNS: readonly DisplayColumn<SummaryRow>[] = [
  { header: '', value: (r) => r.label },
  { header: 'before', value: (r) => r.before, align: 'right' },
  { header: 'after', value: (r) => r.after, align: 'right' },
  { header: 'change', value: (r) => (r.after === r.before ? '' : `${r.after > r.before ? '+' : ''}${r.after - r.before}`), align: 'right' },
];

function summaryRows(report: CompareReport): SummaryRow[] {
  const { before, after } = report.summaries();
  const keys: (keyof ReplaySummary)[] = ['requests', 'claimed', 'rejected', 'released', 'expectations_failed'];
  return keys.map((key) => ({ label: key.replace('_', ' '), before: before[key], after: after[key] }));
}

function changeToJson(change: DecisionChange): object {
  return { seq: change.seq, op: change.op, instance: change.instance, flavor: change.flavor, before: change.before, after: change.after };
}

export function renderCompare(report: CompareReport, format: OutputFormat, write: Write, style: { color: boolean }): void {
  const parts: DocumentPart[] = [
    { key: 'before', value: () => report.before },
    { key: 'after', value: () => report.after },
    { key: 'changed_decisions', items: (function* () { for (const c of report.changes) yield changeToJson(c); })() },
    { key: 'summary', value: () => report.summaries() },
    { key: 'hosts', value: () => report.hosts() },
    { key: 'fit', value: () => report.fit() },
  ];
  switch (format) {
    case 'json':
      return writeJsonDocument(parts, write);
    case 'yaml':
      return writeYamlDocument(parts, write);
    case 'ndjson':
      for (const change of report.changes) writeNdjsonLine(changeToJson(change), write);
      writeNdjsonLine({ summary: report.summaries(), hosts: report.hosts(), fit: report.fit() }, write);
      return;
    case 'csv':
      return writeCsv(report.changes, CHANGE_CSV_COLUMNS, write);
    case 'markdown':
      write(markdownHeading(`Compare: ${report.before} → ${report.after}`));
      write(markdownHeading('Decisions that changed', 3));
      writeMarkdownTable(report.changes, CHANGE_COLUMNS, write);
      write(`\n${markdownHeading('Summary', 3)}`);
      writeMarkdownTable(summaryRows(report), SUMMARY_COLUMNS, write);
      write(`\n${markdownHeading('Headroom per host', 3)}`);
      writeMarkdownTable(report.hosts(), HEADROOM_COLUMNS, write);
      write(`\n${markdownHeading('Fit per flavor (on each final state)', 3)}`);
      writeMarkdownTable(report.fit(), FIT_COLUMNS, write);
      return;
    case 'table': {
      const palette = terminalPalette(style.color);
      write(`${palette.heading('Compare')}: ${report.before} → ${report.after}\n\n${palette.heading('Decisions that changed')}\n`);
      writeTerminalTable(report.changes, CHANGE_COLUMNS, write, { palette, tone: changeTone });
      write(`\n${palette.heading('Summary')}\n`);
      writeTerminalTable(summaryRows(report), SUMMARY_COLUMNS, write, { palette });
      write(`\n${palette.heading('Headroom per host')}\n`);
      writeTerminalTable(report.hosts(), HEADROOM_COLUMNS, write, { palette });
      write(`\n${palette.heading('Fit per flavor')} (how many more fit, on each side's final state)\n`);
      writeTerminalTable(report.fit(), FIT_COLUMNS, write, { palette });
      return;
    }
  }
}
