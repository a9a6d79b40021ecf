// `forecast --history FILE…` (docs/plan-format.md, "History"): instance lifecycles, each
// file recognised by its content — Nova's `os-simple-tenant-usage` body (import/
// nova-tenant-usage.ts), NDJSON lifecycles one a line, or CSV with a header row — into the
// engine's lifecycles, with a located error for each bad one and a warning naming the
// flavors the plan lacks, whose lifecycles are left out.
import { readFileSync } from 'node:fs';
import type { Lifecycle } from '../engine/scenarios/forecast/history-model.ts';
import { failure, success, type Result } from '../engine/core/result.ts';
import { didYouMean } from './did-you-mean.ts';
import type { PlanError } from './errors.ts';
import { isFields, type Fields } from './fields.ts';
import { novaTenantUsage, tenantUsageLifecycles } from './import/nova-tenant-usage.ts';
import type { PathSegment } from './path.ts';
import { describeReadFailure, errorAt, JsonSource, STDIN_NAME, type Source } from './source.ts';
import { TraceLineSource } from './trace.ts';

/** A lifecycle's fields, in the order a CSV header would list them. */
const LIFECYCLE_FIELDS = ['instance', 'flavor', 'start', 'end', 'project', 'availability_zone'] as const;
type LifecycleField = (typeof LIFECYCLE_FIELDS)[number];
const REQUIRED: readonly LifecycleField[] = ['instance', 'flavor', 'start'];
const OWN_KEYS = Object.fromEntries(LIFECYCLE_FIELDS.map((field) => [field, field])) as Record<LifecycleField, string>;

export interface LoadedHistory {
  /** lifecycles of the plan's flavors, every file's in order */
  lifecycles: Lifecycle[];
  /** one per file: the flavors the plan lacks, named, at the first lifecycle of one */
  warnings: PlanError[];
  files: string[];
}

/**
 * ISO 8601 as Nova and the usual exports write it: a date, or a date and time (`T` or a
 * space, seconds and fractions optional), in UTC unless an offset says otherwise — Nova's
 * `started_at` has none and is UTC. Milliseconds since the epoch, or null.
 */
export function parseIsoTime(text: string): number | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?(Z|[+-]\d{2}:?\d{2})?$/.exec(text.trim());
  if (!match) return null;
  const [, year, month, day, hour = '0', minute = '0', second = '0', fraction = '0', zone = 'Z'] = match;
  const time = Date.UTC(+year, +month - 1, +day, +hour, +minute, +second, Math.floor(Number(`0.${fraction}`) * 1000));
  const date = new Date(time);
  if (date.getUTCDate() !== +day || date.getUTCMonth() !== +month - 1 || +hour > 23 || +minute > 59 || +second > 59) return null;
  if (zone === 'Z') return time;
  const sign = zone.startsWith('-') ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  return time - sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2))) * 60_000;
}

/** Collects one file's lifecycles: the errors of bad ones, and the first place each unknown flavor appears. */
export class HistoryCollector {
  readonly lifecycles: Lifecycle[] = [];
  readonly errors: PlanError[] = [];
  private readonly unknown = new Map<string, { count: number; at: () => PlanError }>();

  constructor(private readonly planFlavors: ReadonlySet<string>) {}

  /** Checks one lifecycle given under the lifecycle's own keys, unknown ones refused when `strictKeys`. */
  add(fields: Fields, source: Source, base: readonly PathSegment[], strictKeys: boolean): void {
    if (strictKeys) {
      for (const key of Object.keys(fields)) {
        if (!(LIFECYCLE_FIELDS as readonly string[]).includes(key)) this.errors.push(errorAt(source, [...base, key], `unknown key${didYouMean(key, LIFECYCLE_FIELDS)}`, 'key'));
      }
    }
    this.addFrom(fields, source, base, OWN_KEYS);
  }

  /**
   * Checks one lifecycle whose fields sit under other keys (`keys`: Nova's `started_at` for
   * `start`), each error located at the key as written.
   */
  addFrom(fields: Fields, source: Source, base: readonly PathSegment[], keys: Readonly<Partial<Record<LifecycleField, string>>>): void {
    const before = this.errors.length;
    const at = (field: LifecycleField, message: string) => this.errors.push(errorAt(source, [...base, keys[field]!], message));
    const text = (field: LifecycleField): string | null => {
      const value = keys[field] === undefined ? undefined : fields[keys[field]];
      if (value === undefined || value === null || value === '') {
        if (REQUIRED.includes(field) && !(field === 'flavor' && value === '')) at(field, 'is required');
        return null;
      }
      if (typeof value === 'string') return value;
      at(field, 'must be a string');
      return null;
    };
    const time = (field: 'start' | 'end'): number | null => {
      const value = text(field);
      if (value === null) return null;
      const parsed = parseIsoTime(value);
      if (parsed === null) at(field, `must be an ISO 8601 time (2026-03-01T12:00:00Z), not ${JSON.stringify(value)}`);
      return parsed;
    };
    const instance = text('instance');
    // Nova lists a server whose flavor is gone with an empty flavor: a flavor the plan lacks.
    const flavor = text('flavor') ?? (fields[keys.flavor!] === '' ? '' : null);
    const start = time('start');
    const end = time('end');
    if (start !== null && end !== null && end < start) at('end', `is before ${keys.start}`);
    const project = text('project');
    const zone = text('availability_zone');
    if (this.errors.length > before || instance === null || flavor === null || start === null) return;
    if (!this.planFlavors.has(flavor)) {
      const seen = this.unknown.get(flavor);
      if (seen) seen.count++;
      else this.unknown.set(flavor, { count: 1, at: () => errorAt(source, [...base, keys.flavor!], '') });
      return;
    }
    this.lifecycles.push({ instance, flavor, start, end, project, availability_zone: zone });
  }

  /** The file's one warning about flavors the plan lacks, at the first such lifecycle; none when there are none. */
  warning(): PlanError[] {
    if (this.unknown.size === 0) return [];
    const named = [...this.unknown].map(([flavor, { count }]) => `${flavor === '' ? 'a deleted flavor ("")' : flavor} (${count})`).join(', ');
    const lifecycles = [...this.unknown.values()].reduce((sum, { count }) => sum + count, 0);
    const first = [...this.unknown.values()][0].at();
    return [{ ...first, message: `${lifecycles} lifecycle${lifecycles === 1 ? '' : 's'} of flavors the plan lacks left out of the forecast: ${named}` }];
  }
}

/** Splits one CSV line (RFC 4180 quoting, no line breaks inside a field); the offset each field starts at. */
function csvFields(line: string): { value: string; offset: number }[] | null {
  const fields: { value: string; offset: number }[] = [];
  let at = 0;
  for (;;) {
    const offset = at;
    let value = '';
    if (line[at] === '"') {
      at++;
      for (;;) {
        const quote = line.indexOf('"', at);
        if (quote < 0) return null;
        value += line.slice(at, quote);
        at = quote + 1;
        if (line[at] !== '"') break;
        value += '"';
        at++;
      }
    } else {
      const comma = line.indexOf(',', at);
      value = line.slice(at, comma < 0 ? line.length : comma);
      at = comma < 0 ? line.length : comma;
    }
    fields.push({ value: value.trim(), offset });
    if (at >= line.length) return fields;
    if (line[at] !== ',') return null;
    at++;
  }
}

/** A CSV row as a place: each field's column. */
class CsvRowSource implements Source {
  constructor(
    readonly file: string,
    private readonly line: number,
    private readonly columns: ReadonlyMap<string, number>,
  ) {}

  locate(path: readonly PathSegment[]): { line: number; column: number } {
    return { line: this.line, column: (this.columns.get(String(path.at(-1))) ?? 0) + 1 };
  }
}

function readCsv(file: string, lines: string[], collector: HistoryCollector): void {
  const header = csvFields(lines[0]);
  if (header === null) {
    collector.errors.push({ file, line: 1, column: 1, path: '', message: 'is neither NDJSON lifecycles, a CSV header row nor an os-simple-tenant-usage body' });
    return;
  }
  const names = header.map((field) => field.value);
  const unknown = header.filter((field) => !(LIFECYCLE_FIELDS as readonly string[]).includes(field.value));
  for (const field of unknown) collector.errors.push({ file, line: 1, column: field.offset + 1, path: '', message: `unknown column ${JSON.stringify(field.value)}${didYouMean(field.value, LIFECYCLE_FIELDS)}; a history's columns are ${LIFECYCLE_FIELDS.join(', ')}` });
  for (const key of REQUIRED) if (!names.includes(key)) collector.errors.push({ file, line: 1, column: 1, path: '', message: `has no ${key} column` });
  if (collector.errors.length > 0) return;
  let index = 0;
  lines.forEach((text, lineIndex) => {
    if (lineIndex === 0 || text.trim() === '') return;
    const row = csvFields(text);
    const base = ['lifecycles', index++];
    if (row === null || row.length !== names.length) {
      collector.errors.push({ file, line: lineIndex + 1, column: 1, path: `lifecycles[${index - 1}]`, message: `has ${row === null ? 'an unclosed quote' : `${row.length} fields`}; the header has ${names.length}` });
      return;
    }
    const fields: Fields = {};
    const columns = new Map<string, number>();
    names.forEach((name, column) => {
      fields[name] = row[column].value;
      columns.set(name, row[column].offset);
    });
    collector.add(fields, new CsvRowSource(file, lineIndex + 1, columns), base, false);
  });
}

function readNdjson(file: string, lines: string[], collector: HistoryCollector): void {
  let index = 0;
  lines.forEach((text, lineIndex) => {
    if (text.trim() === '') return;
    const base = ['lifecycles', index++];
    const source = new TraceLineSource(file, { line: lineIndex + 1, text, length: text.length }, base);
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      const { column, message } = source.syntaxError();
      collector.errors.push({ file, line: lineIndex + 1, column, path: '', message });
      return;
    }
    if (!isFields(value)) collector.errors.push(errorAt(source, base, 'must be an object: {instance, flavor, start, end?, project?, availability_zone?}'));
    else collector.add(value, source, base, true);
  });
}

function parsedOrNull(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/** One history file, its form recognised by its content. */
function readHistoryFile(path: string, readStdin: () => string, collector: HistoryCollector): void {
  const file = path === '-' ? STDIN_NAME : path;
  let text: string;
  try {
    text = path === '-' ? readStdin() : readFileSync(path, 'utf8');
  } catch (error) {
    collector.errors.push({ file, line: 0, column: 0, path: '', message: `cannot read: ${describeReadFailure(error)}` });
    return;
  }
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const lines = body.split('\n').map((line) => (line.endsWith('\r') ? line.slice(0, -1) : line));
  const firstLine = lines.findIndex((line) => line.trim() !== '');
  if (firstLine < 0) return;
  if (lines[firstLine].trimStart().startsWith('{')) {
    // One JSON document (a tenant-usage body, however it is laid out) or one object a line.
    const whole = parsedOrNull(body);
    if (isFields(whole) && novaTenantUsage.recognise(whole)) return tenantUsageLifecycles(whole, new JsonSource(file, body), collector);
    return readNdjson(file, lines, collector);
  }
  readCsv(file, lines.slice(firstLine), collector);
}

export function loadHistory(paths: readonly string[], planFlavors: Iterable<string>, readStdin: () => string): Result<LoadedHistory, PlanError[]> {
  const known = new Set(planFlavors);
  const loaded: LoadedHistory = { lifecycles: [], warnings: [], files: paths.filter((path) => path !== '-') };
  const errors: PlanError[] = [];
  for (const path of paths) {
    const collector = new HistoryCollector(known);
    readHistoryFile(path, readStdin, collector);
    errors.push(...collector.errors);
    loaded.lifecycles.push(...collector.lifecycles);
    loaded.warnings.push(...collector.warning());
  }
  return errors.length > 0 ? failure(errors) : success(loaded);
}
