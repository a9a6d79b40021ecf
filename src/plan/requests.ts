// Requests: each plan entry (`build: m1.large`, `count: 10`, `name: web-{n}`) expanded to
// the engine's one-instance requests, and the checks only a walk through the whole stream
// can make: names must be live to be deleted and free to be built.
import type { BuildRequest, Expectation, Request } from '../engine/model.ts';
import type { CloudIndex } from './cloud.ts';
import { didYouMean } from './did-you-mean.ts';
import type { PlanError } from './errors.ts';
import { fieldsOf, integerOf, isFields, stringOf, type Fields } from './fields.ts';
import type { Origin } from './hosts.ts';
import { formatPath, type PathSegment } from './path.ts';
import { isValid, schemaErrors } from './schema.ts';
import { describeReadFailure, errorAt, type Source } from './source.ts';
import { expandName, templateForCopies, type NameTemplate } from './templates.ts';
import { TraceLineSource, traceLines } from './trace.ts';

/** Where a plan's requests come from, in the order they are replayed. */
export type RequestSource =
  | { kind: 'inline'; source: Source; items: unknown[] }
  | {
      kind: 'trace';
      /** the path to open */
      path: string;
      /** the name errors carry */
      file: string;
      /** the plan's `requests: {file: …}`, for a trace that cannot be read */
      origin: Origin;
    };

/** One entry of a request list, read; `template` null means the default name. */
interface PlannedEntry {
  operation: 'build' | 'delete' | 'resize';
  count: number;
  template: NameTemplate | null;
  flavor: string;
  host: string | null;
  aggregate: string | null;
  expect: Expectation | null;
}

type EntryReading = { entry: PlannedEntry } | { problem: { key: string; message: string } } | { unreadable: true };

function readEntry(fields: Fields): EntryReading {
  const operation = (['build', 'delete', 'resize'] as const).find((key) => stringOf(fields[key]) !== null);
  if (operation === undefined) return { unreadable: true };
  const count = integerOf(fields.count, 1, 1);
  const nameKey = operation === 'build' ? 'name' : operation;
  const nameText = stringOf(fields[nameKey]);
  let template: NameTemplate | null = null;
  if (nameText !== null) {
    const parsed = templateForCopies(nameText, count);
    if ('error' in parsed) return { problem: { key: nameKey, message: parsed.error } };
    template = parsed;
  }
  const expect = fields.expect === 'claimed' || fields.expect === 'rejected' ? fields.expect : null;
  return {
    entry: {
      operation,
      count,
      template,
      flavor: stringOf(fields[operation === 'resize' ? 'flavor' : 'build']) ?? '',
      host: stringOf(fields.host),
      aggregate: stringOf(fields.aggregate),
      expect,
    },
  };
}

/** The instance name of copy `n`; a build without a name is `<flavor>-<seq>`, seq its place in the whole stream. */
function instanceName(entry: PlannedEntry, n: number, seq: number): string {
  return entry.template === null ? `${entry.flavor}-${seq}` : expandName(entry.template, n);
}

/** Counts decisions across every source, for default names. */
interface Sequence {
  seq: number;
}

function* expandEntry(entry: PlannedEntry, sequence: Sequence): Generator<Request> {
  if (entry.operation === 'resize') throw new Error('a resize request reached the replay; loading refuses them');
  for (let n = 1; n <= entry.count; n++) {
    const instance = instanceName(entry, n, ++sequence.seq);
    if (entry.operation === 'delete') {
      yield { op: 'delete', instance };
    } else {
      const build: BuildRequest = {
        op: 'build',
        instance,
        flavor: entry.flavor,
        host: entry.host,
        aggregate: entry.aggregate,
        expect: entry.expect,
      };
      yield build;
    }
  }
}

function* traceValues(source: Extract<RequestSource, { kind: 'trace' }>): Generator<unknown> {
  for (const { line, text } of traceLines(source.path)) {
    try {
      yield JSON.parse(text);
    } catch {
      // Every line parsed when the plan was loaded; only a file changed since can fail here.
      throw new Error(`${source.file}:${line}: the trace changed after it was validated`);
    }
  }
}

/** The engine's requests, lazily, from the start each time it is called. */
export function* streamRequests(sources: readonly RequestSource[]): Generator<Request> {
  const sequence: Sequence = { seq: 0 };
  for (const source of sources) {
    const values = source.kind === 'inline' ? source.items : traceValues(source);
    for (const value of values) {
      const reading = readEntry(fieldsOf(value));
      if (!('entry' in reading)) throw new Error('a request that failed validation reached the replay');
      yield* expandEntry(reading.entry, sequence);
    }
  }
}

/**
 * A trace with a systematic mistake (a misspelt key on every line) would otherwise report
 * a million times the same thing; the first hundred show the pattern.
 */
const ERRORS_SHOWN_PER_TRACE = 100;

/**
 * Walks every request once, as the replay will, keeping only what the checks need: the
 * names that are live (built, claimed or not, and not yet deleted) and those deleted.
 */
export class RequestChecker {
  private readonly live: Set<string>;
  private readonly deleted = new Set<string>();
  private readonly sequence: Sequence = { seq: 0 };

  constructor(
    private readonly index: CloudIndex,
    private readonly errors: PlanError[],
  ) {
    this.live = new Set(index.instances);
  }

  /** How many requests the checked sources expand to. */
  get requestCount(): number {
    return this.sequence.seq;
  }

  check(source: RequestSource): void {
    if (source.kind === 'inline') {
      source.items.forEach((item, index) => {
        // The plan's schema has reported what is wrong with the item itself.
        this.checkEntry(item, isValid('request', item), source.source, ['requests', index], this.errors);
      });
    } else {
      this.checkTrace(source);
    }
  }

  private checkTrace(trace: Extract<RequestSource, { kind: 'trace' }>): void {
    const found: PlanError[] = [];
    let index = 0;
    try {
      for (const traceLine of traceLines(trace.path)) {
        const path: PathSegment[] = ['requests', index++];
        const source = new TraceLineSource(trace.file, traceLine, path);
        let value: unknown;
        try {
          value = JSON.parse(traceLine.text);
        } catch {
          const { column, message } = source.syntaxError();
          found.push({ file: trace.file, line: traceLine.line, column, path: formatPath(path), message });
          continue;
        }
        const problems = schemaErrors('request', value, source, path);
        found.push(...problems);
        this.checkEntry(value, problems.length === 0, source, path, found);
      }
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === undefined) throw error;
      const { source, path } = trace.origin;
      this.errors.push(errorAt(source, path, `cannot read \`${trace.file}\`: ${describeReadFailure(error)}`));
      return;
    }
    this.errors.push(...found.slice(0, ERRORS_SHOWN_PER_TRACE));
    if (found.length > ERRORS_SHOWN_PER_TRACE) {
      const last = found[found.length - 1];
      const more = found.length - ERRORS_SHOWN_PER_TRACE;
      this.errors.push({ ...last, path: '', message: `and ${more} more problem${more === 1 ? '' : 's'} in this trace, the last one here` });
    }
  }

  /**
   * An entry the schema refused still builds and deletes names (as far as they can be
   * read), so a later delete of one of them is not reported as well; it reports nothing.
   */
  private checkEntry(value: unknown, valid: boolean, source: Source, path: PathSegment[], errors: PlanError[]): void {
    const report = (key: PathSegment | null, message: string) => {
      if (valid) errors.push(errorAt(source, key === null ? path : [...path, key], message));
    };
    const reading = isFields(value) ? readEntry(value) : ({ unreadable: true } as const);
    if ('unreadable' in reading) return void this.sequence.seq++;
    if ('problem' in reading) {
      report(reading.problem.key, reading.problem.message);
      this.sequence.seq += integerOf(fieldsOf(value).count, 1, 1);
      return;
    }
    const { entry } = reading;
    if (entry.operation === 'resize') {
      report('resize', 'resize is not supported yet');
      return void this.sequence.seq++;
    }
    if (entry.operation === 'build') this.checkBuildTarget(entry, report);
    const clashes: string[] = [];
    for (let n = 1; n <= entry.count; n++) {
      const name = instanceName(entry, n, ++this.sequence.seq);
      if (entry.operation === 'build') {
        if (this.live.has(name)) clashes.push(name);
        this.live.add(name);
        this.deleted.delete(name);
      } else if (this.live.delete(name)) {
        this.deleted.add(name);
      } else if (!this.deleted.has(name)) {
        clashes.push(name);
      }
    }
    if (clashes.length === 0) return;
    const more = clashes.length > 1 ? ` (and ${clashes.length - 1} more)` : '';
    if (entry.operation === 'build') {
      report(entry.template === null ? 'build' : 'name', `builds \`${clashes[0]}\`${more}, which is still live; delete it first or choose another name`);
    } else {
      const hint = this.live.size <= 5000 ? didYouMean(clashes[0], this.live) : '';
      report('delete', `deletes \`${clashes[0]}\`${more}, which no earlier build or host instance has${hint}`);
    }
  }

  private checkBuildTarget(entry: PlannedEntry, report: (key: PathSegment, message: string) => void): void {
    const { flavors, aggregatesOf, aggregates } = this.index;
    if (!flavors.has(entry.flavor)) report('build', `unknown flavor \`${entry.flavor}\`${didYouMean(entry.flavor, flavors)}`);
    if (entry.host !== null && !aggregatesOf.has(entry.host)) {
      report('host', `unknown host \`${entry.host}\`${aggregatesOf.size <= 5000 ? didYouMean(entry.host, aggregatesOf.keys()) : ''}`);
    }
    if (entry.aggregate === null) return;
    if (!aggregates.has(entry.aggregate)) {
      report('aggregate', `no host carries aggregate \`${entry.aggregate}\`${didYouMean(entry.aggregate, aggregates)}`);
    } else if (entry.host !== null && aggregatesOf.has(entry.host) && !aggregatesOf.get(entry.host)!.includes(entry.aggregate)) {
      report('aggregate', `host \`${entry.host}\` is not in aggregate \`${entry.aggregate}\``);
    }
  }
}
