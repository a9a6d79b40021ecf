// A plan's requests, checked once and encoded into shared memory in chunks, so that other
// threads replay them without reading or checking the trace again: sweep's and expand's
// threads, from requests the command checked; the command's own thread, from requests a
// reading thread checks while it replays (docs/contributing.md, "Sweeps in parallel" and
// "Reading a trace on its own thread"). The encoding starts from the engine's Request
// objects the plan's stream yields and decodes back to equal ones: it knows the requests'
// fields, never the trace's lines.
//
// Columns, one row per request: its operation (a byte), and six 32-bit ids — the instance
// as an index into its chunk's names; the flavor, host, aggregate and expectation as
// indexes into one table of strings (−1 for null, −2 for a field the request does not
// have); then the index of the request's other fields (a build's group, zone, project,
// image, hints, boot from volume) in a table of those sets, each kept once (−1 for none).
// Each chunk carries the strings and sets it is the first to use, so a reader builds the
// tables as it reads the chunks in order. A million requests take some 25 MB of columns,
// shared by every thread rather than copied, and their names.
import type { Request } from '../engine/core/model.ts';
// An operation's code is its place in the plan's list of them: a request yielded has one of these.
import { OPERATIONS } from '../plan/json-schema.ts';

/** The fields with a string (or null) held in a column, in the order a request lists them; the first, the instance, is each request's own. */
const COLUMN_FIELDS = ['instance', 'flavor', 'host', 'aggregate', 'expect'] as const;
const COLUMN_FIELD_SET: ReadonlySet<string> = new Set(['op', ...COLUMN_FIELDS]);
const STRIDE = COLUMN_FIELDS.length + 1;
const OTHERS = COLUMN_FIELDS.length;
const NULL_ID = -1;
const ABSENT_ID = -2;

/** Requests per chunk: a reading thread hands the replay one chunk at a time. */
export const CHUNK_REQUESTS = 8192;

/** Some requests encoded; posted to a thread, the columns are shared and the strings copied. */
export interface RequestChunk {
  count: number;
  /** an operation code per request (OPERATIONS) */
  operations: Uint8Array;
  /** STRIDE ids per request */
  ids: Int32Array;
  /** the instances' names, joined, and where each ends */
  names: string;
  nameEnds: Int32Array;
  /** the strings of the table this chunk is the first to use, joined, and where each ends */
  strings: string;
  stringEnds: Int32Array;
  /** the sets of other fields this chunk is the first to use, as a JSON array */
  others: string;
}

/** Every request of a plan, encoded. */
export interface SharedRequests {
  count: number;
  chunks: RequestChunk[];
}

type Fields = Record<string, unknown>;

/** Where each chunk goes as it fills, and whether it is also kept for `finish`. */
export interface EncoderOptions {
  onChunk?: (chunk: RequestChunk) => void;
  keep?: boolean;
}

/**
 * Encodes requests as they pass, so that one walk through a stream (a check, expand's
 * bounds) also encodes it. Each chunk, once full, goes to `onChunk` and is kept for
 * `finish`, unless `keep` is false (a thread that posts them on).
 */
export class RequestEncoder {
  private count = 0;
  private readonly chunks: RequestChunk[] = [];
  private operations: Uint8Array;
  private ids: Int32Array;
  /** requests in the chunk being filled */
  private rows = 0;
  private names: string[] = [];
  private newStrings: string[] = [];
  private newOthers: string[] = [];
  private readonly stringIds = new Map<string, number>();
  private readonly otherIds = new Map<string, number>();

  private readonly onChunk: (chunk: RequestChunk) => void;
  private readonly keep: boolean;

  constructor({ onChunk = () => {}, keep = true }: EncoderOptions = {}) {
    this.onChunk = onChunk;
    this.keep = keep;
    [this.operations, this.ids] = chunkColumns();
  }

  /** The requests unchanged, each encoded as it is read. */
  *tap(requests: Iterable<Request>): Generator<Request> {
    for (const request of requests) {
      this.add(request);
      yield request;
    }
  }

  add(request: Request): void {
    const fields = request as unknown as Fields;
    const row = this.rows * STRIDE;
    this.operations[this.rows] = OPERATIONS.indexOf(request.op);
    this.ids[row] = 'instance' in fields ? this.names.push(fields.instance as string) - 1 : ABSENT_ID;
    for (let column = 1; column < COLUMN_FIELDS.length; column++) {
      const field = COLUMN_FIELDS[column];
      this.ids[row + column] = field in fields ? this.stringId(fields[field] as string | null) : ABSENT_ID;
    }
    this.ids[row + OTHERS] = this.othersId(fields);
    this.count++;
    if (++this.rows === CHUNK_REQUESTS) this.flush();
  }

  /** Ends the chunk being filled, if it holds any request. */
  private flush(): void {
    if (this.rows === 0) return;
    // A short chunk (the last) has its columns copied to shared memory of their size.
    const full = this.rows === CHUNK_REQUESTS;
    const chunk: RequestChunk = {
      count: this.rows,
      operations: full ? this.operations : inSharedMemory(this.operations.subarray(0, this.rows), Uint8Array),
      ids: full ? this.ids : inSharedMemory(this.ids.subarray(0, this.rows * STRIDE), Int32Array),
      names: this.names.join(''),
      nameEnds: endsOf(this.names),
      strings: this.newStrings.join(''),
      stringEnds: endsOf(this.newStrings),
      others: `[${this.newOthers.join(',')}]`,
    };
    if (full) [this.operations, this.ids] = chunkColumns();
    this.rows = 0;
    this.names = [];
    this.newStrings = [];
    this.newOthers = [];
    if (this.keep) this.chunks.push(chunk);
    this.onChunk(chunk);
  }

  /** The requests encoded, in shared memory (their chunks, when kept). */
  finish(): SharedRequests {
    this.flush();
    return { count: this.count, chunks: this.chunks };
  }

  private stringId(text: string | null): number {
    if (text === null) return NULL_ID;
    let id = this.stringIds.get(text);
    if (id === undefined) {
      id = this.stringIds.size;
      this.stringIds.set(text, id);
      this.newStrings.push(text);
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
    if (id === undefined) {
      this.otherIds.set(text, (id = this.otherIds.size));
      this.newOthers.push(text);
    }
    return id;
  }
}

/** A chunk's columns, in shared memory, to be filled. */
function chunkColumns(): [Uint8Array, Int32Array] {
  return [new Uint8Array(new SharedArrayBuffer(CHUNK_REQUESTS)), new Int32Array(new SharedArrayBuffer(CHUNK_REQUESTS * STRIDE * Int32Array.BYTES_PER_ELEMENT))];
}

/** Where each text ends once they are joined. */
function endsOf(texts: readonly string[]): Int32Array {
  const ends = new Int32Array(texts.length);
  let end = 0;
  texts.forEach((text, index) => (ends[index] = end += text.length));
  return ends;
}

function inSharedMemory<Column extends Uint8Array | Int32Array>(column: Column, type: { new (buffer: SharedArrayBuffer): Column; BYTES_PER_ELEMENT: number }): Column {
  const shared = new type(new SharedArrayBuffer(column.length * type.BYTES_PER_ELEMENT));
  shared.set(column);
  return shared;
}

/** Every request of `requests`, encoded; each chunk also handed to `onChunk` as it fills (and not kept when `keep` is false). */
export function encodeRequests(requests: Iterable<Request>, options: EncoderOptions = {}): SharedRequests {
  const encoder = new RequestEncoder(options);
  for (const request of requests) encoder.add(request);
  return encoder.finish();
}

/**
 * Chunks read in order as the engine's Request objects, fresh ones each time (a replay may
 * keep what it is given), the tables growing with each chunk's first strings and sets.
 */
export class RequestChunkDecoder {
  private readonly strings: string[] = [];
  private readonly others: Fields[] = [];

  *decode(chunk: RequestChunk): Generator<Request> {
    sliceInto(this.strings, chunk.strings, chunk.stringEnds);
    this.others.push(...(JSON.parse(chunk.others) as Fields[]));
    const names = sliceInto([], chunk.names, chunk.nameEnds);
    const { operations, ids } = chunk;
    for (let index = 0; index < chunk.count; index++) {
      const row = index * STRIDE;
      const request: Fields = { op: OPERATIONS[operations[index]] };
      if (ids[row] !== ABSENT_ID) request.instance = names[ids[row]];
      for (let column = 1; column < COLUMN_FIELDS.length; column++) {
        const id = ids[row + column];
        if (id !== ABSENT_ID) request[COLUMN_FIELDS[column]] = id === NULL_ID ? null : this.strings[id];
      }
      const others = ids[row + OTHERS];
      if (others !== NULL_ID) for (const [key, value] of Object.entries(this.others[others])) request[key] = copied(value);
      yield request as unknown as Request;
    }
  }
}

function sliceInto(into: string[], text: string, ends: Int32Array): string[] {
  let start = 0;
  for (const end of ends) {
    into.push(text.slice(start, end));
    start = end;
  }
  return into;
}

/** The encoded requests as the engine's Request objects, read again from the first each time they are iterated. */
export class SharedRequestReader implements Iterable<Request> {
  constructor(private readonly shared: SharedRequests) {}

  *[Symbol.iterator](): Generator<Request> {
    const decoder = new RequestChunkDecoder();
    for (const chunk of this.shared.chunks) yield* decoder.decode(chunk);
  }
}

/** A value of the JSON table, copied, so that no two requests share an array or object. */
function copied(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(copied);
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, copied(inner)]));
  return value;
}
