// Requests: each plan entry (`build: m1.large`, `count: 10`, `name: web-{n}`) expanded to
// the engine's one-instance requests, and the checks only a walk through the whole stream
// can make: names must be live to be deleted and free to be built.
import type { BuildRequest, MoveEndRequest, MoveOperation, Request } from '../engine/core/model.ts';
import type { CloudIndex } from './cloud.ts';
import { didYouMean } from './did-you-mean.ts';
import type { PlanError } from './errors.ts';
import { DeletedNames } from './deleted-names.ts';
import { isFields, type Fields } from './fields.ts';
import { formatPath, type PathSegment } from './path.ts';
import { LIMITS } from './limits.ts';
import { isValid, schemaErrors } from './schema-check.ts';
import { describeReadFailure, errorAt, type Origin, type Source } from './source.ts';
import { expandName } from './name-templates.ts';
import { flatStringObject } from './flat-json.ts';
import { countOf, readEntry, readValidEntry, type Operation, type PlannedEntry } from './request-entry.ts';
import { TraceLineSource, TraceReader, type TraceLine } from './trace.ts';
import { TOO_DEEP, tooDeepAt } from './nesting.ts';

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

const MOVE_OPERATIONS: readonly Operation[] = ['resize', 'migrate', 'live_migrate', 'evacuate'] satisfies MoveOperation[];
const MOVE_END_OPERATIONS: readonly Operation[] = ['confirm', 'revert'] satisfies MoveEndRequest['op'][];

/** The instance name of copy `n`; a build without a name is `<flavor>-<seq>`, seq its place in the whole stream. */
function instanceName(entry: PlannedEntry, n: number, seq: number): string {
  const { template } = entry;
  if (template === null) return `${entry.flavor}-${seq}`;
  return typeof template === 'string' ? template : expandName(template, n);
}

/** The engine's request for copy `n` of an entry, numbered `seq` in the whole stream. */
function requestFor(entry: PlannedEntry, n: number, seq: number): Request {
  if (entry.operation === 'down' || entry.operation === 'up') return { op: entry.operation, host: entry.host! };
  const instance = instanceName(entry, n, seq);
  if (entry.operation === 'delete') return { op: 'delete', instance };
  if (MOVE_OPERATIONS.includes(entry.operation)) {
    const flavor = entry.operation === 'resize' ? entry.flavor : null;
    return { op: entry.operation as MoveOperation, instance, flavor, host: entry.host, expect: entry.expect };
  }
  if (MOVE_END_OPERATIONS.includes(entry.operation)) return { op: entry.operation as MoveEndRequest['op'], instance, expect: entry.expect };
  const build: BuildRequest = { op: 'build', instance, flavor: entry.flavor, host: entry.host, aggregate: entry.aggregate, expect: entry.expect };
  if (entry.bootFromVolume) build.boot_from_volume = true;
  if (entry.group !== null) build.group = entry.group;
  if (entry.placement !== null) Object.assign(build, entry.placement);
  return build;
}

/**
 * A trace with a systematic mistake (a misspelt key on every line) would otherwise report
 * a million times the same thing; the first hundred show the pattern.
 */
const ERRORS_SHOWN_PER_TRACE = 100;

/**
 * "Did you mean" compares a name with every known one; past this many problems the
 * suggestions stop, so a plan with thousands of unknown names still ends in time.
 */
const PROBLEMS_WITH_SUGGESTIONS = 100;

/**
 * Reports a problem with an entry; the message is made only when it will be shown, and
 * `always` shows it however many came before.
 */
type Report = (key: PathSegment | null, message: () => string, always?: boolean) => void;

/**
 * A trace's problems: the first hundred located in full, the rest only counted, and the
 * last of them located once the trace has ended, so that a trace of a million bad lines
 * costs little more than reading it.
 */
class TraceProblems {
  private readonly shown: PlanError[] = [];
  private more = 0;
  private last: (() => PlanError) | null = null;

  /** Whether a problem added now is shown, and so worth locating in full. */
  get showing(): boolean {
    return this.shown.length < ERRORS_SHOWN_PER_TRACE;
  }

  /** A problem, made only when it is shown or turns out to be the last. */
  add(make: () => PlanError, always = false): void {
    if (always || this.showing) return void this.shown.push(make());
    this.more++;
    this.last = make;
  }

  /** `count` problems past those shown, the last of which `makeLast` makes. */
  addUnshown(count: number, makeLast: () => PlanError): void {
    this.more += count;
    this.last = makeLast;
  }

  all(): PlanError[] {
    if (this.last === null) return this.shown;
    const message = `and ${this.more} more problem${this.more === 1 ? '' : 's'} in this trace, the last one here`;
    return [...this.shown, { ...this.last(), path: '', message, count: this.more }];
  }
}

/** A message already made. */
function madeMessage(message: string): () => string {
  return () => message;
}

/** A problem that is not reported: an entry the schema refused says nothing more. */
const ignoreProblem: Report = () => {};

/**
 * A line too long to be a request. Made apart from the loop over the lines: a function
 * made there would keep the line's index in a context allocated for every line.
 */
function tooLongLine(file: string, line: number, length: number, at: number): () => PlanError {
  const message = `is ${length} characters long; a trace line holds one request, at most ${LIMITS.traceLineLength}`;
  return () => ({ file, line, column: 1, path: formatPath(tracePath(at)), message });
}

/** Where a trace's request K sits in the plan. */
function tracePath(at: number): PathSegment[] {
  return ['requests', at];
}

/** A trace line's place without the column, which takes parsing the line again to find. */
function unlocated(file: string, line: number): Source {
  return { file, locate: () => ({ line, column: 0 }) };
}
/**
 * Walks every request once, as the replay does, and yields the engine's requests for the
 * entries that pass, keeping only what the checks need: the names that are live (built,
 * claimed or not, and not yet deleted) and those deleted. A trace is read only here, as
 * the replay consumes it (docs/plan-format.md, "Request traces").
 */
export class RequestChecker {
  private readonly live: Set<string>;
  /** every name deleted, rebuilt or not: live is asked first */
  private readonly deleted = new DeletedNames();
  /** requests counted across every source, for default names */
  private seq = 0;
  private suggestionsLeft = PROBLEMS_WITH_SUGGESTIONS;
  /** set once the requests would pass the plan's limit: nothing after that entry is read */
  private full = false;

  constructor(
    private readonly index: CloudIndex,
    private readonly errors: PlanError[],
  ) {
    this.live = new Set(index.instances);
  }

  /** How many requests the checked sources expand to. */
  get requestCount(): number {
    return this.seq;
  }

  /** The source's requests that pass every check; problems go to the checker's list. */
  checked(source: RequestSource): Generator<Request> {
    return source.kind === 'trace' ? this.checkedTrace(source) : this.checkedInline(source);
  }

  private *checkedInline(source: Extract<RequestSource, { kind: 'inline' }>): Generator<Request> {
    for (const [index, item] of source.items.entries()) {
      if (this.full) return;
      const path: PathSegment[] = ['requests', index];
      const report: Report = (key, message) => this.errors.push(errorAt(source.source, key === null ? path : [...path, key], message()));
      const firstSeq = this.seq + 1;
      // The plan's schema has reported what is wrong with the item itself.
      const entry = this.checkEntry(item, isValid('request', item), report);
      if (entry !== null) for (let n = 1; n <= entry.count; n++) yield requestFor(entry, n, firstSeq + n - 1);
    }
  }

  private *checkedTrace(trace: Extract<RequestSource, { kind: 'trace' }>): Generator<Request> {
    if (this.full) return;
    const problems = new TraceProblems();
    let reader: TraceReader;
    try {
      reader = new TraceReader(trace.path);
    } catch (error) {
      return this.unreadable(trace, error);
    }
    // A million lines pass here: what only a problem needs (the line kept apart from the
    // reader, its path, its positions) is made when one is reported.
    let index = 0;
    const sourceOf = (traceLine: TraceLine, at: number) => new TraceLineSource(trace.file, traceLine, tracePath(at));
    const report: Report = (key, message, always) => {
      const traceLine = reader.current();
      const at = index - 1;
      problems.add(() => errorAt(sourceOf(traceLine, at), key === null ? tracePath(at) : [...tracePath(at), key], message()), always);
    };
    try {
      while (reader.next()) {
        const at = index++;
        // One request is a few hundred characters; a longer line is not worth parsing (docs/limits.md).
        if (reader.length > LIMITS.traceLineLength) {
          problems.add(tooLongLine(trace.file, reader.line, reader.length, at));
          continue;
        }
        let value: unknown;
        let parsed = true;
        try {
          value = flatStringObject(reader.text) ?? JSON.parse(reader.text);
        } catch {
          parsed = false;
        }
        const firstSeq = this.seq + 1;
        // Nearly every line is a valid request, read in one pass; any other goes the schema's way.
        const read = parsed ? readValidEntry(value) : null;
        let entry: PlannedEntry | null;
        if (read !== null) {
          entry = this.admits(read.count, value as Fields, report) ? this.checkRead(read, true, report) : null;
        } else {
          const valid = parsed && isValid('request', value);
          if (!valid && !this.reportLineProblems(reader.current(), at, parsed, value, trace.file, problems)) continue;
          entry = this.checkEntry(value, valid, report);
        }
        if (entry !== null) for (let n = 1; n <= entry.count; n++) yield requestFor(entry, n, firstSeq + n - 1);
        if (this.full) break;
      }
    } catch (error) {
      return this.unreadable(trace, error);
    } finally {
      reader.close();
    }
    this.errors.push(...problems.all());
  }

  /**
   * What is wrong with a trace line that is not a valid request: too deep or not JSON
   * (then nothing more is read of it: false), or the schema's findings.
   */
  private reportLineProblems(traceLine: TraceLine, at: number, parsed: boolean, value: unknown, file: string, problems: TraceProblems): boolean {
    const { line, text } = traceLine;
    const path = tracePath(at);
    const source = () => new TraceLineSource(file, traceLine, path);
    // A valid request nests one level, so only a line that fails needs the depth scan
    // before the recursive parsers that locate its problems see it.
    const deep = tooDeepAt(text);
    if (deep !== null) {
      problems.add(() => ({ file, line, column: deep + 1, path: formatPath(path), message: TOO_DEEP }));
      return false;
    }
    if (!parsed) {
      problems.add(() => {
        const { column, message } = source().syntaxError();
        return { file, line, column, path: formatPath(path), message };
      });
      return false;
    }
    if (problems.showing) {
      for (const error of schemaErrors('request', value, source(), path)) problems.add(() => error);
    } else {
      const count = schemaErrors('request', value, unlocated(file, line), path).length;
      problems.addUnshown(count, () => schemaErrors('request', value, source(), path).at(-1)!);
    }
    return true;
  }

  /** A trace that cannot be opened or read, reported at the plan's `requests: {file: …}`; any other failure is a bug. */
  private unreadable(trace: Extract<RequestSource, { kind: 'trace' }>, error: unknown): void {
    if ((error as NodeJS.ErrnoException).code === undefined) throw error;
    const { source, path } = trace.origin;
    this.errors.push(errorAt(source, path, `cannot read \`${trace.file}\`: ${describeReadFailure(error)}`));
  }

  /**
   * The entry, when it passes every check: its copies are numbered from the sequence as it
   * was before the call. An entry the schema refused still builds and deletes names (as far
   * as they can be read), so a later delete of one of them is not reported as well; it
   * reports nothing.
   */
  private checkEntry(value: unknown, valid: boolean, report: Report): PlannedEntry | null {
    const reading = isFields(value) ? readEntry(value) : ({ unreadable: true } as const);
    if ('unreadable' in reading) {
      this.seq++;
      return null;
    }
    const count = 'entry' in reading ? reading.entry.count : countOf(value as Fields);
    if (!this.admits(count, value as Fields, report)) return null;
    if ('problem' in reading) {
      if (valid) report(reading.problem.key, () => reading.problem.message);
      this.seq += count;
      return null;
    }
    return this.checkRead(reading.entry, valid, report);
  }

  /**
   * Whether the plan may take `count` more requests, checked before a single name is made:
   * the walk below and the replay grow with it (docs/limits.md). Past the limit nothing
   * more is read.
   */
  private admits(count: number, fields: Fields, report: Report): boolean {
    if (this.seq + count <= LIMITS.requestsPerPlan) return true;
    this.full = true;
    const message = `takes the plan to ${this.seq + count} requests, more than the ${LIMITS.requestsPerPlan} a plan may replay`;
    report('count' in fields ? 'count' : null, madeMessage(message), true);
    return false;
  }

  /**
   * An entry read, checked against the cloud and the names live before it: the entry when
   * it is valid and passes, else null. An entry the schema refused (`valid` false) still
   * walks its names and reports nothing.
   */
  private checkRead(entry: PlannedEntry, valid: boolean, reportProblem: Report): PlannedEntry | null {
    const report = valid ? reportProblem : ignoreProblem;
    if (entry.operation === 'down' || entry.operation === 'up') {
      this.seq++;
      const { aggregatesOf } = this.index;
      if (aggregatesOf.has(entry.host!)) return valid ? entry : null;
      this.unknown(report, entry.operation, 'host', entry.host!, aggregatesOf);
      return null;
    }
    let passed = valid;
    if (entry.operation === 'build') passed = this.checkBuildTarget(entry, report) && passed;
    else if (entry.operation !== 'delete') passed = this.checkMoveTarget(entry, report) && passed;
    const clashes = this.nameClashes(entry);
    if (clashes === null) return passed ? entry : null;
    this.reportClashes(entry, clashes, report);
    return null;
  }

  /** Walks the names an entry makes, live and deleted as the replay will see them: those it cannot take, or null. */
  private nameClashes(entry: PlannedEntry): string[] | null {
    let clashes: string[] | null = null;
    for (let n = 1; n <= entry.count; n++) {
      const name = instanceName(entry, n, ++this.seq);
      if (entry.operation === 'build') {
        const liveBefore = this.live.size;
        this.live.add(name);
        if (this.live.size === liveBefore) (clashes ??= []).push(name);
      } else if (entry.operation !== 'delete') {
        if (!this.live.has(name)) (clashes ??= []).push(name);
      } else if (this.live.delete(name)) {
        this.deleted.add(name);
      } else if (!this.deleted.has(name)) {
        (clashes ??= []).push(name);
      }
    }
    return clashes;
  }

  /** The first name an entry cannot take, and how many more, in the words its operation calls for. */
  private reportClashes(entry: PlannedEntry, clashes: readonly string[], report: Report): void {
    const more = clashes.length > 1 ? ` (and ${clashes.length - 1} more)` : '';
    if (entry.operation === 'build') {
      report(entry.template === null ? 'build' : 'name', () => `builds \`${clashes[0]}\`${more}, which is still live; delete it first or choose another name`);
    } else if (entry.operation === 'delete') {
      report('delete', () => `deletes \`${clashes[0]}\`${more}, which no earlier build or host instance has${this.suggestion(clashes[0], this.live)}`);
    } else {
      const gone = this.deleted.has(clashes[0]) ? ', which an earlier request deleted' : `, which no earlier build or host instance has${this.suggestion(clashes[0], this.live)}`;
      report(entry.operation, () => `names \`${clashes[0]}\`${more}${gone}`);
    }
  }

  /** "; did you mean …?" while suggestions last, and among few enough names to compare quickly. */
  private suggestion(word: string, known: ReadonlySet<string> | ReadonlyMap<string, unknown>): string {
    if (this.suggestionsLeft === 0 || known.size > 5000) return '';
    this.suggestionsLeft--;
    return didYouMean(word, known.keys());
  }

  // The checks below run for every request and make no function unless they report:
  // one made in them would keep what it uses in a context allocated for every call.

  /** A move's new flavor and its destination, when it names them: whether they are known. */
  private checkMoveTarget(entry: PlannedEntry, report: Report): boolean {
    const { flavors, aggregatesOf } = this.index;
    let passed = true;
    if (entry.operation === 'resize' && entry.flavor !== '' && !flavors.has(entry.flavor)) passed = this.unknown(report, 'flavor', 'flavor', entry.flavor, flavors);
    if (entry.host !== null && !aggregatesOf.has(entry.host)) passed = this.unknown(report, 'host', 'host', entry.host, aggregatesOf);
    return passed;
  }

  /** What a build names in the cloud: whether all of it is there. */
  private checkBuildTarget(entry: PlannedEntry, report: Report): boolean {
    const { flavors, aggregatesOf, aggregates, groups, images } = this.index;
    let passed = true;
    if (entry.group !== null && !groups.has(entry.group)) passed = this.unknown(report, 'group', 'server group', entry.group, groups);
    if (!flavors.has(entry.flavor)) passed = this.unknown(report, 'build', 'flavor', entry.flavor, flavors);
    if (entry.host !== null && !aggregatesOf.has(entry.host)) passed = this.unknown(report, 'host', 'host', entry.host, aggregatesOf);
    const image = entry.placement?.image;
    if (image !== undefined && !images.has(image)) passed = this.unknown(report, 'image', 'image', image, images);
    const { aggregate, host } = entry;
    if (aggregate === null) return passed;
    if (!aggregates.has(aggregate)) return this.aggregateProblem(report, `no host carries aggregate \`${aggregate}\``, aggregate);
    if (host !== null && aggregatesOf.has(host) && !aggregatesOf.get(host)!.includes(aggregate)) return this.aggregateProblem(report, `host \`${host}\` is not in aggregate \`${aggregate}\``, null);
    return passed;
  }

  /** Reports `name` unknown among the `known` names of `what`: false, the check failed. */
  private unknown(report: Report, key: string, what: string, name: string, known: ReadonlySet<string> | ReadonlyMap<string, unknown>): false {
    report(key, () => `unknown ${what} \`${name}\`${this.suggestion(name, known)}`);
    return false;
  }

  /** A build's aggregate no host carries (suggesting one of those known), or not its host's: false. */
  private aggregateProblem(report: Report, message: string, suggestFor: string | null): false {
    report('aggregate', () => (suggestFor === null ? message : `${message}${this.suggestion(suggestFor, this.index.aggregates)}`));
    return false;
  }
}
