// A plan's requests, checked once on the command's thread and encoded into shared memory,
// so that the threads of sweep and expand replay them without reading or checking the trace
// again (docs/contributing.md, "Sweeps in parallel"). The encoding starts from the engine's
// Request objects the plan's stream yields and decodes back to equal ones: it knows the
// requests' fields, never the trace's lines.
//
// Columns, one row per request: its operation (a byte), and six 32-bit ids — the instance,
// flavor, host, aggregate and expectation as indexes into one table of strings (−1 for
// null, −2 for a field the request does not have), then the index of the request's other
// fields (a build's group, zone, project, image, hints, boot from volume) in a table of
// those sets, each kept once (−1 for none). A million requests take some 25 MB, shared by
// every thread rather than copied.
import type { Request } from '../engine/core/model.ts';
// An operation's code is its place in the plan's list of them: a request yielded has one of these.
import { OPERATIONS } from '../plan/json-schema.ts';

/** The fields with a string (or null) held in a column, in the order a request lists them. */
const COLUMN_FIELDS = ['instance', 'flavor', 'host', 'aggregate', 'expect'] as const;
const COLUMN_FIELD_SET: ReadonlySet<string> = new Set(['op', ...COLUMN_FIELDS]);
const STRIDE = COLUMN_FIELDS.length + 1;
const OTHERS = COLUMN_FIELDS.length;
const NULL_ID = -1;
const ABSENT_ID = -2;

/** The encoded requests; posted to a thread, the columns are shared and the tables copied. */
export interface SharedRequests {
  count: number;
  /** an operation code per request (OPERATIONS) */
  operations: Uint8Array;
  /** STRIDE ids per request */
  ids: Int32Array;
  /** every string, joined */
  strings: string;
  /** where each string of `strings` ends */
  stringEnds: Int32Array;
  /** the sets of other fields, as JSON */
  others: string;
}

type Fields = Record<string, unknown>;

/** Encodes the requests as they pass, so that one walk through a stream (a check, expand's bounds) also encodes it. */
export class RequestEncoder {
  private count = 0;
  private operations = new Uint8Array(1024);
  private ids = new Int32Array(1024 * STRIDE);
  private readonly stringIds = new Map<string, number>();
  private readonly stringList: string[] = [];
  private readonly otherIds = new Map<string, number>();

  /** The requests unchanged, each encoded as it is read. */
  *tap(requests: Iterable<Request>): Generator<Request> {
    for (const request of requests) {
      this.add(request);
      yield request;
    }
  }

  add(request: Request): void {
    if (this.count === this.operations.length) this.grow();
    const fields = request as unknown as Fields;
    const row = this.count * STRIDE;
    this.operations[this.count] = OPERATIONS.indexOf(request.op);
    for (let column = 0; column < COLUMN_FIELDS.length; column++) {
      const field = COLUMN_FIELDS[column];
      this.ids[row + column] = field in fields ? this.stringId(fields[field] as string | null) : ABSENT_ID;
    }
    this.ids[row + OTHERS] = this.othersId(fields);
    this.count++;
  }

  /** The requests encoded so far, in shared memory. */
  finish(): SharedRequests {
    const operations = new Uint8Array(new SharedArrayBuffer(this.count));
    operations.set(this.operations.subarray(0, this.count));
    const ids = new Int32Array(new SharedArrayBuffer(this.count * STRIDE * Int32Array.BYTES_PER_ELEMENT));
    ids.set(this.ids.subarray(0, this.count * STRIDE));
    const stringEnds = new Int32Array(new SharedArrayBuffer(this.stringList.length * Int32Array.BYTES_PER_ELEMENT));
    let end = 0;
    this.stringList.forEach((text, index) => (stringEnds[index] = end += text.length));
    return { count: this.count, operations, ids, strings: this.stringList.join(''), stringEnds, others: `[${[...this.otherIds.keys()].join(',')}]` };
  }

  private grow(): void {
    const operations = new Uint8Array(this.operations.length * 2);
    operations.set(this.operations);
    const ids = new Int32Array(this.ids.length * 2);
    ids.set(this.ids);
    this.operations = operations;
    this.ids = ids;
  }

  private stringId(text: string | null): number {
    if (text === null) return NULL_ID;
    let id = this.stringIds.get(text);
    if (id === undefined) {
      id = this.stringList.push(text) - 1;
      this.stringIds.set(text, id);
    }
    return id;
  }

  private othersId(fields: Fields): number {
    let others: Fields | null = null;
    for (const key in fields) {
      if (COLUMN_FIELD_SET.has(key)) continue;
      (others ??= {})[key] = fields[key];
    }
    if (others === null) return NULL_ID;
    const text = JSON.stringify(others);
    let id = this.otherIds.get(text);
    if (id === undefined) this.otherIds.set(text, (id = this.otherIds.size));
    return id;
  }
}

/** Every request of `requests`, encoded. */
export function encodeRequests(requests: Iterable<Request>): SharedRequests {
  const encoder = new RequestEncoder();
  for (const request of requests) encoder.add(request);
  return encoder.finish();
}

/**
 * The encoded requests as the engine's Request objects, fresh ones each time they are
 * iterated (a replay may keep what it is given); the tables are decoded once.
 */
export class SharedRequestReader implements Iterable<Request> {
  private readonly strings: string[];
  private readonly others: Fields[];

  constructor(private readonly shared: SharedRequests) {
    const { strings, stringEnds } = shared;
    this.strings = new Array<string>(stringEnds.length);
    let start = 0;
    for (let index = 0; index < stringEnds.length; index++) {
      this.strings[index] = strings.slice(start, stringEnds[index]);
      start = stringEnds[index];
    }
    this.others = JSON.parse(shared.others) as Fields[];
  }

  *[Symbol.iterator](): Generator<Request> {
    for (let index = 0; index < this.shared.count; index++) yield this.at(index);
  }

  /** The request at `index`, from 0. */
  private at(index: number): Request {
    const { operations, ids } = this.shared;
    const row = index * STRIDE;
    const request: Fields = { op: OPERATIONS[operations[index]] };
    for (let column = 0; column < COLUMN_FIELDS.length; column++) {
      const id = ids[row + column];
      if (id !== ABSENT_ID) request[COLUMN_FIELDS[column]] = id === NULL_ID ? null : this.strings[id];
    }
    const others = ids[row + OTHERS];
    if (others !== NULL_ID) for (const [key, value] of Object.entries(this.others[others])) request[key] = copied(value);
    return request as unknown as Request;
  }
}

/** A value of the JSON table, copied, so that no two requests share an array or object. */
function copied(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(copied);
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, copied(inner)]));
  return value;
}
