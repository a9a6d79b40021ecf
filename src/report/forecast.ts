// `claimplan forecast` in every format (docs/output.md, "forecast"): each flavor's first No
// valid host day as P10/P50/P90 with its date, the flavor that runs out first and why, the
// cloud's usage per day (median and P10–P90), with `--add` the hosts of a SKU that keep
// every build claimed, and the chart (`--chart`).
import type { AddedHosts } from '../engine/scenarios/forecast/added-hosts.ts';
import type { FlavorForecast, Forecast, RunwayQuantiles, UsageSeries } from '../engine/scenarios/forecast/forecast.ts';
import { dateOfDay } from '../engine/scenarios/forecast/history-model.ts';
import type { CsvColumn, DisplayColumn, LabelledValue, Tone } from './columns.ts';
import type { DocumentPart, Write } from './document.ts';
import type { OutputFormat } from './formats.ts';
import { familiesOver } from './metrics.ts';
import { unbounded, type MetricFamily } from './openmetrics.ts';
import { writeReport, type RenderStyle } from './render.ts';
import type { Block } from './section.ts';
import { lineChartSvg, type ChartMarker, type ChartSeries } from './svg-chart.ts';
import { amountText, countText, plural } from './text.ts';

export interface ForecastReport {
  forecast: Forecast;
  /** lifecycles the model was fitted on */
  lifecycles: number;
  /** `--add`: one answer per SKU */
  added: AddedHosts[];
}

const QUANTILES = ['p10', 'p50', 'p90'] as const;
const NOT_WITHIN = 'not within the horizon';

/** How far the builds-a-day figures are rounded: a trend is an estimate, not a count. */
const RATE_DIGITS = 2;

function rounded(value: number, digits = RATE_DIGITS): number {
  return Number(value.toFixed(digits));
}

function dayJson(forecast: Forecast, day: number | null): { day: number; date: string } | null {
  return day === null ? null : { day, date: dateOfDay(forecast.as_of_day + day) };
}

function dayText(forecast: Forecast, day: number | null): string {
  return day === null ? NOT_WITHIN : `day ${day} (${dateOfDay(forecast.as_of_day + day)})`;
}

function runwayJson(forecast: Forecast, runway: RunwayQuantiles): object {
  return Object.fromEntries(QUANTILES.map((q) => [q, dayJson(forecast, runway[q])]));
}

function flavorJson(forecast: Forecast, flavor: FlavorForecast): object {
  return {
    flavor: flavor.flavor,
    builds_per_day: { first_day: rounded(flavor.builds_per_day_first), last_day: rounded(flavor.builds_per_day_last) },
    trend: { window_days: flavor.trend.window_days, intercept: rounded(flavor.trend.intercept, 4), slope: rounded(flavor.trend.slope, 6) },
    median_lifetime_days: flavor.median_lifetime_days === null ? null : rounded(flavor.median_lifetime_days),
    history_instances: flavor.history_instances,
    runs_refused: flavor.runs_refused,
    runway: runwayJson(forecast, flavor.runway),
    cause: flavor.cause,
  };
}

function usageJson(forecast: Forecast, series: UsageSeries): object {
  return {
    resource: series.resource,
    capacity: series.capacity,
    start: series.start,
    days: series.p50.map((p50, index) => ({ day: index + 1, date: dateOfDay(forecast.as_of_day + index + 1), p10: series.p10[index], p50, p90: series.p90[index] })),
  };
}

function addedJson(added: AddedHosts): object {
  return { sku: added.sku, hosts: added.count, method: added.method.method, replayed: added.method.replayed, upper_bound: added.method.upper_bound, beyond: added.beyond };
}

function firstOutJson(forecast: Forecast): object | null {
  if (forecast.first_out === null) return null;
  const flavor = forecast.flavors.find((f) => f.flavor === forecast.first_out!.flavor)!;
  return { flavor: flavor.flavor, cause: flavor.cause, runway: runwayJson(forecast, flavor.runway) };
}

function basis(report: ForecastReport): string {
  const { forecast } = report;
  return (
    `${plural(forecast.runs, 'run')} from ${dateOfDay(forecast.as_of_day)}, the history's last day, to day ${forecast.horizon}; ` +
    `builds a day by the trend of the last ${plural(forecast.window_days, 'day')} of ${plural(report.lifecycles, 'lifecycle')}; seed ${forecast.seed}`
  );
}

/** The answer in a sentence: which flavor runs out first, when and why, or that none does. */
function conclusion(forecast: Forecast): string {
  if (forecast.first_out === null) return `No build is refused within ${plural(forecast.horizon, 'day')} in any run.`;
  const flavor = forecast.flavors.find((f) => f.flavor === forecast.first_out!.flavor)!;
  const when = flavor.runway.p50 === null ? `in ${plural(flavor.runs_refused, 'run')} of ${forecast.runs} only (P10 ${dayText(forecast, flavor.runway.p10)})` : `at the median on ${dayText(forecast, flavor.runway.p50)}`;
  return `${flavor.flavor} runs out first: its first No valid host comes ${when}, ruled out by ${flavor.cause}.`;
}

const FLAVOR_COLUMNS: readonly DisplayColumn<FlavorForecast>[] = [
  { header: 'flavor', value: (f) => f.flavor },
  { header: 'builds a day\n(first → last day)', value: (f) => `${amountText(rounded(f.builds_per_day_first))} → ${amountText(rounded(f.builds_per_day_last))}`, align: 'right' },
  { header: 'median\nlifetime', value: (f) => (f.median_lifetime_days === null ? 'beyond the history' : `${amountText(rounded(f.median_lifetime_days))} days`), align: 'right' },
  { header: 'runs\nrefusing', value: (f) => f.runs_refused, align: 'right' },
  { header: 'cause', value: (f) => f.cause },
];

function runwayColumns(forecast: Forecast): DisplayColumn<FlavorForecast>[] {
  return QUANTILES.map((q) => ({ header: `first No valid host\n${q.toUpperCase()}`, value: (f: FlavorForecast) => dayText(forecast, f.runway[q]) }));
}

function flavorTone(flavor: FlavorForecast): Tone {
  return flavor.runway.p50 !== null ? 'bad' : flavor.runs_refused > 0 ? 'warn' : 'good';
}

/** The usage table's days: the start, about a dozen evenly spaced, and the horizon. */
function sampledDays(horizon: number): number[] {
  const step = Math.max(1, Math.ceil(horizon / 12));
  const days = [];
  for (let day = step; day < horizon; day += step) days.push(day);
  return [...days, horizon];
}

const RESOURCE_HEADERS: Record<UsageSeries['resource'], string> = { memory_mb: 'memory MB', vcpus: 'vCPUs', disk_gb: 'disk GB', instances: 'instances' };

function usageCell(series: UsageSeries, day: number): string {
  if (day === 0) return countText(Math.round(series.start));
  const index = day - 1;
  return `${countText(Math.round(series.p50[index]))} (${countText(Math.round(series.p10[index]))}–${countText(Math.round(series.p90[index]))})`;
}

function usageColumns(forecast: Forecast): DisplayColumn<number>[] {
  return [
    { header: 'day', value: (day) => day, align: 'right' },
    { header: 'date', value: (day) => dateOfDay(forecast.as_of_day + day) },
    ...forecast.usage.map((series): DisplayColumn<number> => ({ header: `${RESOURCE_HEADERS[series.resource]}\nP50 (P10–P90)`, value: (day) => usageCell(series, day), align: 'right' })),
  ];
}

function capacityLine(forecast: Forecast): string {
  const totals = forecast.usage.filter((series) => series.capacity !== null).map((series) => `${countText(series.capacity!)} ${RESOURCE_HEADERS[series.resource]}`);
  return `Used, reserved included, against the hosts' physical ${totals.join(', ')}; day 0 is the plan's state, the same in every run.`;
}

function howFound({ count, method }: AddedHosts): string {
  if (count === null) return `no count up to the upper bound, ${method.upper_bound}, meets the target`;
  return method.method === 'exact' ? 'exact: every smaller count falls short' : `bisection: ${count - 1} falls short, not every smaller count was tried`;
}

function addedEntries(added: AddedHosts, horizon: number): LabelledValue[] {
  const tried = added.method.replayed.map(({ count, meets }) => `${count} ${meets ? 'yes' : 'no'}`).join(', ');
  return [
    { label: 'hosts to add', value: added.count === null ? `more than ${added.method.upper_bound}` : added.count, tone: added.count === null ? 'bad' : 'plain' },
    { label: `every build claimed to day ${horizon} at P90, counts tried`, value: tried },
    { label: 'how the count was found', value: howFound(added) },
    ...(added.beyond.length > 0 ? [{ label: 'flavors an empty host of the SKU refuses (left out)', value: added.beyond.join(', '), tone: 'warn' as Tone }] : []),
  ];
}

function forecastBlocks(report: ForecastReport): Block[] {
  const { forecast } = report;
  return [
    { kind: 'paragraph', lines: [conclusion(forecast)], emphasis: true },
    { kind: 'table', title: { text: 'Runway per flavor' }, columns: [FLAVOR_COLUMNS[0], ...runwayColumns(forecast), ...FLAVOR_COLUMNS.slice(1)], rows: forecast.flavors, tone: flavorTone, whenEmpty: 'The history has no lifecycle of a flavor the plan has.' },
    { kind: 'table', title: { text: 'Usage' }, columns: usageColumns(forecast), rows: [0, ...sampledDays(forecast.horizon)], footnote: capacityLine(forecast) },
    ...report.added.map((added): Block => ({ kind: 'labelled values', title: { text: `Hosts to add: ${added.sku}` }, entries: addedEntries(added, forecast.horizon), headers: { label: 'answer', value: 'value' } })),
  ];
}

function documentParts(report: ForecastReport): DocumentPart[] {
  const { forecast } = report;
  return [
    { key: 'as_of', value: () => dateOfDay(forecast.as_of_day) },
    { key: 'horizon_days', value: () => forecast.horizon },
    { key: 'runs', value: () => forecast.runs },
    { key: 'seed', value: () => forecast.seed },
    { key: 'window_days', value: () => forecast.window_days },
    { key: 'lifecycles', value: () => report.lifecycles },
    { key: 'first_out', value: () => firstOutJson(forecast) },
    { key: 'cloud_runway', value: () => runwayJson(forecast, forecast.cloud) },
    { key: 'flavors', items: forecast.flavors.map((flavor) => flavorJson(forecast, flavor)) },
    { key: 'usage', items: forecast.usage.map((series) => usageJson(forecast, series)) },
    ...(report.added.length > 0 ? [{ key: 'added', items: report.added.map(addedJson) }] : []),
  ];
}

/** One CSV row: a flavor's runway (days at each quantile) or a resource's usage on a day. */
interface CsvRow {
  record: 'runway' | 'usage';
  flavor: string | null;
  resource: string | null;
  day: number | null;
  date: string | null;
  p10: number | null;
  p50: number | null;
  p90: number | null;
  cause: string | null;
}

const CSV_COLUMNS: readonly CsvColumn<CsvRow>[] = (['record', 'flavor', 'resource', 'day', 'date', 'p10', 'p50', 'p90', 'cause'] as const).map((key) => ({ header: key, value: (row: CsvRow) => row[key] }));

function* csvRows(forecast: Forecast): Generator<CsvRow> {
  for (const f of forecast.flavors) yield { record: 'runway', flavor: f.flavor, resource: null, day: null, date: null, ...f.runway, cause: f.cause };
  for (const series of forecast.usage) {
    for (let index = 0; index < forecast.horizon; index++) {
      yield { record: 'usage', flavor: null, resource: series.resource, day: index + 1, date: dateOfDay(forecast.as_of_day + index + 1), p10: series.p10[index], p50: series.p50[index], p90: series.p90[index], cause: null };
    }
  }
}

function forecastMetrics(report: ForecastReport): MetricFamily[] {
  const samples = report.forecast.flavors.flatMap((flavor) => QUANTILES.map((q) => ({ flavor, q })));
  return [
    ...familiesOver(samples, ({ flavor, q }) => ({ flavor: flavor.flavor, quantile: String(Number(q.slice(1)) / 100) }), [
      {
        name: 'claimplan_runway_days',
        help: "Days from the history's last day to the flavor's first No valid host, at the quantile over the forecast's runs (+Inf: not within the horizon)",
        value: ({ flavor, q }) => unbounded(flavor.runway[q]),
      },
    ]),
    ...familiesOver(report.added, (added) => ({ sku: added.sku }), [
      {
        name: 'claimplan_forecast_hosts_to_add',
        help: 'Hosts of the SKU to add so that every build stays claimed to the horizon at P90 (+Inf: more than the upper bound)',
        value: (added) => unbounded(added.count),
      },
    ]),
  ];
}

export function renderForecast(report: ForecastReport, format: OutputFormat, write: Write, style: RenderStyle): void {
  const { forecast } = report;
  const said = basis(report);
  writeReport(
    {
      document: () => documentParts(report),
      ndjsonLines: () => [
        ...forecast.flavors.map((flavor) => JSON.stringify(flavorJson(forecast, flavor))),
        ...forecast.usage.map((series) => JSON.stringify(usageJson(forecast, series))),
        ...report.added.map((added) => JSON.stringify({ added: addedJson(added) })),
        JSON.stringify({ summary: { as_of: dateOfDay(forecast.as_of_day), horizon_days: forecast.horizon, runs: forecast.runs, seed: forecast.seed, first_out: firstOutJson(forecast), cloud_runway: runwayJson(forecast, forecast.cloud) } }),
      ],
      csv: () => ({ columns: CSV_COLUMNS, rows: csvRows(forecast) }),
      markdown: () => ({ title: { text: 'Forecast' }, blocks: [{ kind: 'paragraph', lines: [`${said[0].toUpperCase()}${said.slice(1)}.`] }, ...forecastBlocks(report)] }),
      terminal: () => ({ title: { text: 'Forecast', detail: `: ${said}` }, blocks: forecastBlocks(report) }),
      metrics: () => forecastMetrics(report),
    },
    format,
    write,
    style,
  );
}

const RESOURCE_COLOURS: Record<UsageSeries['resource'], string> = { memory_mb: '#1f77b4', vcpus: '#ff7f0e', disk_gb: '#2ca02c', instances: '#7f7f7f' };

/**
 * The chart: each resource's use as a share of the hosts' physical total, day by day — the
 * median a line, P10–P90 a band around it — and each flavor's median first No valid host
 * marked. Instances have no total and are left to the tables.
 */
export function forecastSvg(report: ForecastReport): string {
  const { forecast } = report;
  const days = Array.from({ length: forecast.horizon + 1 }, (_, day) => day);
  const percent = (series: UsageSeries, values: readonly number[]) => [series.start, ...values].map((value) => Number(((100 * value) / series.capacity!).toFixed(2)));
  const series: ChartSeries[] = forecast.usage
    .filter((s) => s.capacity !== null && s.capacity > 0)
    .map((s) => ({ label: `${RESOURCE_HEADERS[s.resource]} (P50, P10–P90)`, colour: RESOURCE_COLOURS[s.resource], values: percent(s, s.p50), band: { low: percent(s, s.p10), high: percent(s, s.p90) } }));
  const markers: ChartMarker[] = forecast.flavors
    .filter((flavor) => flavor.runway.p50 !== null)
    .sort((a, b) => a.runway.p50! - b.runway.p50!)
    .map((flavor) => ({ index: flavor.runway.p50!, label: `${flavor.flavor}: No valid host, day ${flavor.runway.p50} (${flavor.cause})` }));
  return lineChartSvg(`claimplan forecast from ${dateOfDay(forecast.as_of_day)}`, 'day', '% of physical capacity', days, series, markers);
}
