// `claimplan failover` in every format (docs/output.md, "failover"): per scenario, the hosts
// lost, where their instances went and which found no host, worst scenario first.
import type { FailoverScenario, PlacedInstance, StrandedInstance, WorstLossSearch } from '../engine/scenarios/failover.ts';
import type { CsvColumn, DisplayColumn, LabelledValue, Tone } from './columns.ts';
import type { DocumentPart, Write } from './document.ts';
import type { OutputFormat } from './formats.ts';
import { causeToJson } from './json-fields.ts';
import { familiesOver } from './metrics.ts';
import { BYTES_PER_GB, BYTES_PER_MB, type MetricFamily } from './openmetrics.ts';
import { writeReport, type RenderStyle } from './render.ts';
import type { Block } from './section.ts';
import { causeText, plural } from './text.ts';

export interface FailoverReport {
  /** ranked worst first when there are several */
  scenarios: FailoverScenario[];
  /** how the scenarios were chosen: `lose` (named), `each host`, `each aggregate`, or a `--k` search */
  method: 'lose' | 'each host' | 'each aggregate' | WorstLossSearch;
  /** requests replayed before the hosts were lost */
  requests: number;
}

interface FailoverSummary {
  scenarios: number;
  /** scenarios that strand at least one instance */
  stranding: number;
  placed: number;
  stranded: number;
  method: string;
  /** `--k` only: how many combinations of N hosts there are, and how many the search ran */
  combinations?: number;
  evaluated?: number;
}

function failoverSummary(report: FailoverReport): FailoverSummary {
  const { scenarios, method } = report;
  const summary: FailoverSummary = {
    scenarios: scenarios.length,
    stranding: scenarios.filter((scenario) => scenario.stranded.length > 0).length,
    placed: scenarios.reduce((total, scenario) => total + scenario.placed.length, 0),
    stranded: scenarios.reduce((total, scenario) => total + scenario.stranded.length, 0),
    method: typeof method === 'string' ? method : method.method,
  };
  if (typeof method !== 'string') Object.assign(summary, { combinations: method.combinations, evaluated: method.evaluated });
  return summary;
}

function scenarioToJson(scenario: FailoverScenario): object {
  return {
    lost: scenario.lost,
    aggregate: scenario.aggregate,
    placed: scenario.placed.map(({ instance, flavor, from, to }) => ({ instance, flavor, from, to })),
    stranded: scenario.stranded.map(({ instance, flavor, from, reasons, causes }) => ({ instance, flavor, from, reasons, causes: causes.map(causeToJson) })),
    short: { memory_mb: scenario.short.memory_mb, disk_gb: scenario.short.disk_gb, vcpus: scenario.short.vcpus },
  };
}

const AGGREGATE_PREFIX = 'aggregate:';

/** What a scenario lost, as `--lose` names it: an aggregate lost whole by its name, otherwise the hosts. */
function lostLabel(scenario: FailoverScenario, separator: string): string {
  return scenario.aggregate === null ? scenario.lost.join(separator) : `${AGGREGATE_PREFIX}${scenario.aggregate}`;
}

function lostText(scenario: FailoverScenario): string {
  const label = lostLabel(scenario, ', ');
  return scenario.aggregate === null ? label : `${label} (${plural(scenario.lost.length, 'host')})`;
}

const SCENARIO_COLUMNS: readonly DisplayColumn<FailoverScenario>[] = [
  { header: 'lost', value: lostText },
  { header: 'moved', value: (scenario) => scenario.placed.length, align: 'right' },
  { header: 'stranded', value: (scenario) => scenario.stranded.length, align: 'right' },
  { header: 'short\nmemory MB', value: (scenario) => scenario.short.memory_mb, align: 'right' },
  { header: 'short\ndisk GB', value: (scenario) => scenario.short.disk_gb, align: 'right' },
  { header: 'short\nvCPUs', value: (scenario) => scenario.short.vcpus, align: 'right' },
];

/** An instance of a scenario's lost hosts: placed (it has a `to`) or stranded (it has reasons). */
interface InstanceRow {
  scenario: FailoverScenario;
  instance: PlacedInstance | StrandedInstance;
}

const placedTo = ({ instance }: InstanceRow) => ('to' in instance ? instance.to : null);

function strandedLines({ instance }: InstanceRow): string[] | null {
  return 'reasons' in instance ? [...instance.reasons, ...instance.causes.map(causeText)] : null;
}

const STRANDED_COLUMNS: readonly DisplayColumn<InstanceRow>[] = [
  { header: 'lost', value: (row) => lostText(row.scenario) },
  { header: 'instance', value: (row) => row.instance.instance },
  { header: 'flavor', value: (row) => row.instance.flavor },
  { header: 'from', value: (row) => row.instance.from },
  { header: 'reasons', value: strandedLines },
];

const MOVE_COLUMNS: readonly DisplayColumn<InstanceRow>[] = [
  { header: 'instance', value: (row) => row.instance.instance },
  { header: 'flavor', value: (row) => row.instance.flavor },
  { header: 'from', value: (row) => row.instance.from },
  { header: 'to', value: placedTo },
  { header: 'reasons', value: strandedLines },
];

const INSTANCE_CSV_COLUMNS: readonly CsvColumn<InstanceRow>[] = [
  { header: 'lost', value: (row) => lostLabel(row.scenario, ' ') },
  { header: 'instance', value: (row) => row.instance.instance },
  { header: 'flavor', value: (row) => row.instance.flavor },
  { header: 'from', value: (row) => row.instance.from },
  { header: 'to', value: placedTo },
  { header: 'result', value: (row) => ('to' in row.instance ? 'placed' : 'stranded') },
  { header: 'reasons', value: (row) => strandedLines(row)?.join('; ') ?? null },
];

/** Each scenario's instances: those moved, in the order they were evacuated, then those stranded. */
function instanceRows(scenarios: readonly FailoverScenario[]): InstanceRow[] {
  return scenarios.flatMap((scenario) => [...scenario.placed, ...scenario.stranded].map((instance) => ({ scenario, instance })));
}

function strandedRows(scenarios: readonly FailoverScenario[]): InstanceRow[] {
  return scenarios.flatMap((scenario) => scenario.stranded.map((instance) => ({ scenario, instance })));
}

function scenarioTone(scenario: FailoverScenario): Tone {
  return scenario.stranded.length > 0 ? 'bad' : 'good';
}

function methodText(report: FailoverReport): string {
  const { method } = report;
  if (method === 'lose') return 'the hosts named';
  if (typeof method === 'string') return `one scenario per ${method.slice('each '.length)}, worst first`;
  const lost = report.scenarios[0]?.lost.length ?? 0;
  return method.method === 'exact'
    ? `the worst loss of ${plural(lost, 'host')}, all ${plural(method.combinations, 'combination')} run`
    : `the worst loss of ${plural(lost, 'host')} found greedily (${plural(method.evaluated, 'scenario')} run of ${plural(method.combinations, 'combination')}), a lower bound on the true worst`;
}

function summaryEntries(summary: FailoverSummary): LabelledValue[] {
  return [
    { label: 'scenarios', value: summary.scenarios },
    { label: 'scenarios stranding instances', value: summary.stranding },
    { label: 'instances moved', value: summary.placed },
    { label: 'instances stranded', value: summary.stranded },
  ];
}

/**
 * The scenarios, then the stranded instances with Nova's reasons; with one scenario,
 * every instance's move instead, which for a thousand scenarios would be the bulk of
 * the report (JSON keeps them all).
 */
function failoverBlocks(report: FailoverReport): Block[] {
  const { scenarios } = report;
  const blocks: Block[] = [{ kind: 'table', title: { text: 'Scenarios' }, columns: SCENARIO_COLUMNS, rows: scenarios, tone: scenarioTone }];
  if (scenarios.length === 1) {
    const rows = instanceRows(scenarios);
    if (rows.length > 0) blocks.push({ kind: 'table', title: { text: 'Evacuations' }, columns: MOVE_COLUMNS, rows });
  } else {
    const rows = strandedRows(scenarios);
    if (rows.length > 0) blocks.push({ kind: 'table', title: { text: 'Stranded instances' }, columns: STRANDED_COLUMNS, rows });
  }
  blocks.push({
    kind: 'labelled values',
    title: { text: 'Summary' },
    entries: summaryEntries(failoverSummary(report)),
    headers: { label: 'summary', value: 'count' },
  });
  return blocks;
}

function failoverMetrics(report: FailoverReport): MetricFamily[] {
  return familiesOver(report.scenarios, (scenario) => ({ lost: lostLabel(scenario, ',') }), [
    { name: 'claimplan_failover_stranded_instances', help: 'Instances no host took after losing the hosts', value: (s) => s.stranded.length },
    { name: 'claimplan_failover_moved_instances', help: 'Instances rebuilt on another host after losing the hosts', value: (s) => s.placed.length },
    {
      name: 'claimplan_failover_short_memory_bytes',
      help: 'Memory the stranded instances ask for',
      unit: 'bytes',
      value: (s) => s.short.memory_mb * BYTES_PER_MB,
    },
    {
      name: 'claimplan_failover_short_disk_bytes',
      help: 'Disk the stranded instances ask for',
      unit: 'bytes',
      value: (s) => s.short.disk_gb * BYTES_PER_GB,
    },
    { name: 'claimplan_failover_short_vcpus', help: 'vCPUs the stranded instances ask for', value: (s) => s.short.vcpus },
  ]);
}

function documentParts(report: FailoverReport): DocumentPart[] {
  return [
    { key: 'scenarios', items: report.scenarios.map(scenarioToJson) },
    { key: 'summary', value: () => failoverSummary(report) },
  ];
}

export function renderFailover(report: FailoverReport, format: OutputFormat, write: Write, style: RenderStyle): void {
  const basis = `after replaying ${plural(report.requests, 'request')}: ${methodText(report)}`;
  writeReport(
    {
      document: () => documentParts(report),
      ndjsonLines: () => [...report.scenarios.map((scenario) => JSON.stringify(scenarioToJson(scenario))), JSON.stringify({ summary: failoverSummary(report) })],
      csv: () => ({ columns: INSTANCE_CSV_COLUMNS, rows: instanceRows(report.scenarios) }),
      // A terminal says on the title's line what markdown says in a sentence under it.
      markdown: () => ({ title: { text: 'Failover' }, blocks: [{ kind: 'paragraph', lines: [`${basis[0].toUpperCase()}${basis.slice(1)}.`] }, ...failoverBlocks(report)] }),
      terminal: () => ({ title: { text: 'Failover', detail: ` ${basis}` }, blocks: failoverBlocks(report) }),
      metrics: () => failoverMetrics(report),
    },
    format,
    write,
    style,
  );
}
