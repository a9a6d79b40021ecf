// NDJSON request traces (`requests: {file: trace.ndjson}`): read line by line in fixed
// chunks with fs.readSync, so a million-request trace never sits in memory whole. The
// request checker parses each line (src/plan/requests.ts) with JSON.parse, some 30 times
// faster than the yaml package, or the faster reading of a flat line (src/plan/flat-json.ts).
import { closeSync, openSync, readSync } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import { LineCounter, parseDocument, type Document } from 'yaml';
import { findJsonSyntaxError } from './json-syntax.ts';
import type { PathSegment } from './path.ts';
import { offsetOf, type Position, type PositionPart, type Source } from './source.ts';
import { LIMITS } from './limits.ts';

/**
 * Small enough that a chunk's lines are gone before the next young-generation collection:
 * lines kept past one would be copied into the old generation, and a long trace would
 * leave its whole text there as garbage.
 */
const CHUNK_BYTES = 1 << 16;

export interface TraceLine {
  /** 1-based line number in the file */
  line: number;
  /** the line, cut after LIMITS.traceLineLength characters */
  text: string;
  /** the line's whole length */
  length: number;
}

/**
 * The file's non-blank lines, read in fixed chunks as they are asked for: `next()` moves
 * to the following line and the reader's own fields describe it, so a million lines make
 * no object each. The file stays open until `close()`.
 */
export class TraceReader implements TraceLine {
  line = 0;
  text = '';
  length = 0;
  private readonly descriptor: number;
  private readonly buffer = Buffer.allocUnsafe(CHUNK_BYTES);
  private readonly decoder = new StringDecoder('utf8');
  /** the last chunk's complete lines, and the next of them to read */
  private lines: string[] = [];
  private nextLine = 0;
  /** the start of a line the chunks read so far have not ended */
  private pending = '';
  /**
   * What a line too long to be a request had past its cut: counted, not kept, so a file
   * with no newline costs its length once (docs/limits.md). `pendingDropped` is the
   * unfinished line's, `dropped` the first complete line's of the chunk.
   */
  private pendingDropped = 0;
  private dropped = 0;
  private ended = false;

  constructor(path: string) {
    this.descriptor = openSync(path, 'r');
  }

  /** Moves to the next non-blank line; false at the end of the file. */
  next(): boolean {
    for (;;) {
      while (this.nextLine < this.lines.length) {
        const raw = this.lines[this.nextLine++];
        this.line++;
        // endsWith and charCodeAt look at one character; a regular expression would scan each line.
        const unmarked = this.line === 1 && raw.charCodeAt(0) === 0xfeff ? raw.slice(1) : raw;
        const text = unmarked.endsWith('\r') ? unmarked.slice(0, -1) : unmarked;
        const dropped = this.dropped;
        this.dropped = 0;
        if (text.trim() !== '' || dropped > 0) {
          this.text = text;
          this.length = text.length + dropped;
          return true;
        }
      }
      if (this.ended) return false;
      this.readChunk();
    }
  }

  /** The current line, kept apart from the reader for a problem located later. */
  current(): TraceLine {
    return { line: this.line, text: this.text, length: this.length };
  }

  close(): void {
    closeSync(this.descriptor);
  }

  private readChunk(): void {
    const bytes = readSync(this.descriptor, this.buffer, 0, CHUNK_BYTES, null);
    this.ended = bytes === 0;
    const pending = this.pending + (this.ended ? this.decoder.end() : this.decoder.write(this.buffer.subarray(0, bytes)));
    this.lines = pending.split('\n');
    this.nextLine = 0;
    this.pending = this.ended ? '' : this.lines.pop()!;
    // The chunk's first line, if it ended one, is the one that was unfinished.
    if (this.lines.length > 0) {
      this.dropped = this.pendingDropped;
      this.pendingDropped = 0;
    }
    if (this.pending.length > LIMITS.traceLineLength) {
      this.pendingDropped += this.pending.length - LIMITS.traceLineLength - 1;
      this.pending = this.pending.slice(0, LIMITS.traceLineLength + 1);
    }
  }
}

/**
 * One trace line as a place in the plan: its request reads as `requests[K]` (K counts
 * the trace's requests from 0), and positions inside it come from the yaml package's
 * nodes, built only when an error needs one (JSON is YAML).
 */
export class TraceLineSource implements Source {
  private document: Document | null = null;

  constructor(
    readonly file: string,
    private readonly traceLine: TraceLine,
    private readonly base: readonly PathSegment[],
  ) {}

  locate(path: readonly PathSegment[], part: PositionPart): Position {
    const inLine = path.slice(this.base.length);
    this.document ??= parseDocument(this.traceLine.text, { lineCounter: new LineCounter() });
    return { line: this.traceLine.line, column: offsetOf(this.document, inLine, part) + 1 };
  }

  /** Where JSON.parse gave up on this line, and why. */
  syntaxError(): { column: number; message: string } {
    const found = findJsonSyntaxError(this.traceLine.text) ?? { offset: 0, message: 'not valid JSON' };
    return { column: found.offset + 1, message: found.message };
  }
}
