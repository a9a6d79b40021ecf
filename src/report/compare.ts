// `claimplan compare` in every format: two replays side by side.
import type { DecisionChange, DecisionSide, FitChange, Headroom, HostHeadroomChange, OnlyIn } from '../engine/scenarios/compare.ts';
import type { ReplaySummary } from '../engine/core/model.ts';
import type { CsvColumn, DisplayColumn, Tone } from './columns.ts';
import type { DocumentPart, Write } from './document.ts';
import type { OutputFormat } from './formats.ts';
import { familiesOver, FLAVOR_FIT, summaryMetrics, type Figure } from './metrics.ts';
import { BYTES_PER_GB, BYTES_PER_MB, unbounded, type MetricFamily } from './openmetrics.ts';
import { writeReport, type RenderStyle } from './render.ts';
import type { Block, Heading } from './section.ts';
import { causeText, limitText } from './text.ts';

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
  return [`${side.result}${side.host ? ` on ${side.host}` : ''}`, ...side.reasons, ...(side.causes ?? []).map(causeText)];
}

function changeTone(change: DecisionChange): Tone {
  if (change.after?.result === 'rejected' && change.before?.result === 'claimed') return 'bad';
  if (change.after?.result === 'claimed' && change.before?.result === 'rejected') return 'good';
  return 'warn';
}

const CHANGE_COLUMNS: readonly DisplayColumn<DecisionChange>[] = [
  { header: 'seq', value: (c) => c.seq, align: 'right' },
  // Builds are most changes; the column shows only when a move or another request changed too.
  { header: 'op', value: (c) => (c.op === 'build' ? null : c.op), omitWhenEmpty: true },
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

type Side = 'before' | 'after';
const SIDES: readonly Side[] = ['before', 'after'];

/** Whether the host or flavor is in that side's plan at all. */
function inPlan(side: Side, onlyIn: OnlyIn | undefined): boolean {
  return onlyIn === undefined || onlyIn === side;
}

/** A side's figure (`unlimited` when no limit applies), or that the host or flavor is not in that side's plan. */
function sideAmount(value: number | null, side: Side, onlyIn: OnlyIn | undefined): string {
  return inPlan(side, onlyIn) ? limitText(value) : '(not in plan)';
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
  const keys = ['requests', 'claimed', 'rejected', 'released', 'expectations_failed'] as const satisfies readonly (keyof ReplaySummary)[];
  return keys.map((key) => ({ label: key.replace('_', ' '), before: before[key], after: after[key] }));
}

function changeToJson(change: DecisionChange): object {
  return { seq: change.seq, op: change.op, instance: change.instance, flavor: change.flavor, before: change.before, after: change.after };
}

function documentParts(report: CompareReport): DocumentPart[] {
  return [
    { key: 'before', value: () => report.before },
    { key: 'after', value: () => report.after },
    { key: 'changed_decisions', items: (function* () { for (const c of report.changes) yield changeToJson(c); })() },
    { key: 'summary', value: () => report.summaries() },
    { key: 'hosts', value: () => report.hosts() },
    { key: 'fit', value: () => report.fit() },
  ];
}

function* ndjsonLines(report: CompareReport): Generator<string> {
  for (const change of report.changes) yield JSON.stringify(changeToJson(change));
  yield JSON.stringify({ summary: report.summaries(), hosts: report.hosts(), fit: report.fit() });
}

function title(report: CompareReport): Heading {
  return { text: 'Compare', detail: `: ${report.before} → ${report.after}` };
}

/** The changed decisions, then the summaries, headroom and fit, which exist only once the changes are all found. */
function* compareBlocks(report: CompareReport, fitTitle: Heading): Generator<Block> {
  yield { kind: 'table', title: { text: 'Decisions that changed' }, columns: CHANGE_COLUMNS, rows: report.changes, tone: changeTone, whenEmpty: 'None: every request was decided the same way, on the same host.' };
  yield { kind: 'table', title: { text: 'Summary' }, columns: SUMMARY_COLUMNS, rows: summaryRows(report) };
  yield { kind: 'table', title: { text: 'Headroom per host' }, columns: HEADROOM_COLUMNS, rows: report.hosts() };
  yield { kind: 'table', title: fitTitle, columns: FIT_COLUMNS, rows: report.fit() };
}

interface SideOf<Row> {
  side: Side;
  row: Row;
}

/** A row's figure on one side: undefined where that side's plan lacks the host or flavor, +Inf where no limit applies. */
function sideFigure(value: number | null, { side, row }: SideOf<{ only_in?: OnlyIn }>, unit = 1): number | undefined {
  return inPlan(side, row.only_in) ? unbounded(value) * unit : undefined;
}

const HEADROOM_FIGURES: readonly Figure<SideOf<HostHeadroomChange>>[] = [
  {
    name: 'claimplan_host_memory_headroom_bytes',
    unit: 'bytes',
    help: 'Memory limit less memory used on the host after the replay (+Inf when no limit applies)',
    value: (r) => sideFigure(r.row.memory_mb[r.side], r, BYTES_PER_MB),
  },
  {
    name: 'claimplan_host_disk_headroom_bytes',
    unit: 'bytes',
    help: 'Disk limit less disk used on the host after the replay (+Inf when no limit applies)',
    value: (r) => sideFigure(r.row.disk_gb[r.side], r, BYTES_PER_GB),
  },
  {
    name: 'claimplan_host_vcpu_headroom',
    help: 'vCPU limit less vCPUs used on the host after the replay (+Inf when no limit applies)',
    value: (r) => sideFigure(r.row.vcpu[r.side], r),
  },
];

function bySide<Row>(rows: readonly Row[]): SideOf<Row>[] {
  return rows.flatMap((row) => SIDES.map((side) => ({ side, row })));
}

/** The figures of the tables, each sample labelled with its side (`side="before"`). */
function* compareMetrics(report: CompareReport): Generator<MetricFamily> {
  let changed = 0;
  for (const _change of report.changes) changed++;
  yield { name: 'claimplan_changed_decisions', help: 'Requests whose result or host differs between the two replays', samples: [{ labels: {}, value: changed }] };
  const summaries = report.summaries();
  yield* summaryMetrics(SIDES.map((side) => ({ labels: { side }, summary: summaries[side] })));
  yield* familiesOver(bySide(report.hosts()), (r) => ({ host: r.row.host, side: r.side }), HEADROOM_FIGURES);
  yield* familiesOver(bySide(report.fit()), (r) => ({ flavor: r.row.flavor, side: r.side }), [
    { ...FLAVOR_FIT, value: (r) => sideFigure(r.row[r.side], r) },
  ]);
}

export function renderCompare(report: CompareReport, format: OutputFormat, write: Write, style: RenderStyle): void {
  writeReport(
    {
      document: () => documentParts(report),
      ndjsonLines: () => ndjsonLines(report),
      csv: () => ({ columns: CHANGE_CSV_COLUMNS, rows: report.changes }),
      markdown: () => ({ title: title(report), blocks: compareBlocks(report, { text: 'Fit per flavor', detail: ' (on each final state)' }) }),
      terminal: () => ({
        title: title(report),
        blocks: compareBlocks(report, { text: 'Fit per flavor', detail: " (how many more fit, on each side's final state)" }),
      }),
      metrics: () => compareMetrics(report),
    },
    format,
    write,
    style,
  );
}
