// NDJSON request traces (`requests: {file: trace.ndjson}`): read line by line in fixed
// chunks with fs.readSync, so a million-request trace never sits in memory whole, and
// JSON.parse per line, some 30 times faster than the yaml package (issue 2).
import { closeSync, openSync, readSync } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import { LineCounter, parseDocument, type Document } from 'yaml';
import { findJsonSyntaxError } from './json-syntax.ts';
import type { PathSegment } from './path.ts';
import { offsetOf, type Position, type PositionPart, type Source } from './source.ts';
import { LIMITS } from './limits.ts';

const CHUNK_BYTES = 1 << 20;

interface TraceLine {
  /** 1-based line number in the file */
  line: number;
  /** the line, cut after LIMITS.traceLineLength characters */
  text: string;
  /** the line's whole length */
  length: number;
}

/** The file's non-blank lines, read lazily; the file stays open only while iterating. */
export function* traceLines(path: string): Generator<TraceLine> {
  const descriptor = openSync(path, 'r');
  try {
    const buffer = Buffer.allocUnsafe(CHUNK_BYTES);
    const decoder = new StringDecoder('utf8');
    let pending = '';
    // What a line too long to be a request had past its cut: counted, not kept, so a file
    // with no newline costs its length once (docs/limits.md).
    let dropped = 0;
    let line = 0;
    for (;;) {
      const bytes = readSync(descriptor, buffer, 0, CHUNK_BYTES, null);
      pending += bytes === 0 ? decoder.end() : decoder.write(buffer.subarray(0, bytes));
      const lines = pending.split('\n');
      pending = bytes === 0 ? '' : lines.pop()!;
      for (const raw of lines) {
        line++;
        // endsWith and charCodeAt look at one character; a regular expression would scan each line.
        const unmarked = line === 1 && raw.charCodeAt(0) === 0xfeff ? raw.slice(1) : raw;
        const text = unmarked.endsWith('\r') ? unmarked.slice(0, -1) : unmarked;
        if (text.trim() !== '' || dropped > 0) yield { line, text, length: text.length + dropped };
        dropped = 0;
      }
      if (pending.length > LIMITS.traceLineLength) {
        dropped += pending.length - LIMITS.traceLineLength - 1;
        pending = pending.slice(0, LIMITS.traceLineLength + 1);
      }
      if (bytes === 0) return;
    }
  } finally {
    closeSync(descriptor);
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
