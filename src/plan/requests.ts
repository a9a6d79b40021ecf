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

/** Counts requests across every source, for default names. */
interface Sequence {
  seq: number;
}

/** The engine's requests for an entry whose copies were numbered from `firstSeq`. */
function* expandEntry(entry: PlannedEntry, firstSeq: number): Generator<Request> {
  for (let n = 1; n <= entry.count; n++) {
    const instance = instanceName(entry, n, firstSeq + n - 1);
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

/**
 * A trace with a systematic mistake (a misspelt key on every line) would otherwise report
 * a million times the same thing; the first hundred show the pattern.
 */
const ERRORS_SHOWN_PER_TRACE = 100;

/**
 * Walks every request once, as the replay does, and yields the engine's requests for the
 * entries that pass, keeping only what the checks need: the names that are live (built,
 * claimed or not, and not yet deleted) and those deleted. A trace is read only here, as
 * the replay consumes it (docs/plan-format.md, "Request traces").
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

  /** The source's requests that pass every check; problems go to the checker's list. */
  *checked(source: RequestSource): Generator<Request> {
    if (source.kind === 'trace') return yield* this.checkedTrace(source);
    for (const [index, item] of source.items.entries()) {
      // The plan's schema has reported what is wrong with the item itself.
      yield* this.checkEntry(item, isValid('request', item), source.source, ['requests', index], this.errors);
    }
  }

  private *checkedTrace(trace: Extract<RequestSource, { kind: 'trace' }>): Generator<Request> {
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
        yield* this.checkEntry(value, problems.length === 0, source, path, found);
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
  private *checkEntry(value: unknown, valid: boolean, source: Source, path: PathSegment[], errors: PlanError[]): Generator<Request> {
    let passed = valid;
    const report = (key: PathSegment | null, message: string) => {
      if (valid) errors.push(errorAt(source, key === null ? path : [...path, key], message));
      passed = false;
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
    const firstSeq = this.sequence.seq + 1;
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
    if (clashes.length === 0) {
      if (passed) yield* expandEntry(entry, firstSeq);
      return;
    }
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
