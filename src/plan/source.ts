// Reading plan files (or standard input) into plain values, keeping a way back from a
// path in the value to the line and column it came from.
import { readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node, type YAMLError } from 'yaml';
import type { PlanError } from './errors.ts';
import { findJsonSyntaxError } from './json-syntax.ts';
import { formatPath, type PathSegment } from './path.ts';
import { failure, success, type Result } from '../engine/core/result.ts';
import { LIMITS } from './limits.ts';
import { TOO_DEEP, tooDeepAt } from './nesting.ts';

export interface Position {
  line: number;
  column: number;
}

/** `key` points at a mapping key (unknown keys), `value` at what the key holds. */
export type PositionPart = 'key' | 'value';

/** Where a plan value came from, able to locate any path inside it. */
export interface Source {
  /** the name errors carry: the path as given, or `<stdin>` */
  readonly file: string;
  locate(path: readonly PathSegment[], part: PositionPart): Position;
  /** how a path is named in errors when the source is no plan (nova.conf's `[group] option`); formatPath's otherwise */
  describe?(path: readonly PathSegment[]): string;
}

export function errorAt(source: Source, path: readonly PathSegment[], message: string, part: PositionPart = 'value'): PlanError {
  return { file: source.file, ...source.locate(path, part), path: source.describe?.(path) ?? formatPath(path), message };
}

/** Where an entry of the plan (a host, a request) came from: its file and its path there. */
export interface Origin {
  source: Source;
  path: PathSegment[];
}

/** An error at `subpath` inside an entry. */
export function errorIn(origin: Origin, subpath: PathSegment[], message: string, part: PositionPart = 'value'): PlanError {
  return errorAt(origin.source, [...origin.path, ...subpath], message, part);
}

/** How standard input (`-`) is named in errors and verdicts. */
export const STDIN_NAME = '<stdin>';

export interface PlanDocument {
  source: Source;
  value: unknown;
  /** where relative trace file names start from */
  directory: string;
}

export type ReadResult = Result<PlanDocument, PlanError[]>;

const READ_FAILURES: Record<string, string> = {
  ENOENT: 'no such file',
  EACCES: 'permission denied',
  EISDIR: 'is a directory, not a file',
};

export function describeReadFailure(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  return (code && READ_FAILURES[code]) ?? (error as Error).message;
}

/** Reads one plan: `-` is standard input; a name ending in `.json` takes JSON.parse's fast path. */
export function readPlanDocument(path: string, readStdin: () => string): ReadResult {
  const file = path === '-' ? STDIN_NAME : path;
  let text: string;
  try {
    text = path === '-' ? readStdin() : readFileSync(path, 'utf8');
  } catch (error) {
    return failure([{ file, line: 0, column: 0, path: '', message: `cannot read: ${describeReadFailure(error)}` }]);
  }
  // Checked before any parser runs, whose cost grows far faster than the text (docs/limits.md).
  if (text.length > LIMITS.planFileBytes) {
    return failure([{ file, line: 1, column: 1, path: '', message: `is ${text.length} characters long; a plan holds at most ${LIMITS.planFileBytes} (put long request lists in an NDJSON trace)` }]);
  }
  const deep = tooDeepAt(text);
  if (deep !== null) return failure([{ file, ...positionInText(text, deep), path: '', message: TOO_DEEP }]);
  const directory = path === '-' ? '.' : dirname(path);
  return path.endsWith('.json') ? readJson(file, text, directory) : readYaml(file, text, directory);
}

function readYaml(file: string, text: string, directory: string): ReadResult {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const source = new YamlSource(file, document, lineCounter);
  if (document.errors.length > 0) return failure(syntaxErrors(document.errors, text, source));
  try {
    return success({ source, value: document.toJS(), directory });
  } catch (error) {
    // toJS refuses documents whose aliases expand beyond maxAliasCount (a "billion laughs").
    return failure([{ file, line: 1, column: 1, path: '', message: (error as Error).message }]);
  }
}

/**
 * The yaml package recovers from a syntax error token by token, and what follows the
 * first error is mostly its echo: more errors on the same line, and "Unexpected …
 * token in YAML stream" for everything after the point where it lost the document.
 * Those are left out, so each error shown is one the operator has to fix.
 */
function syntaxErrors(found: YAMLError[], text: string, source: YamlSource): PlanError[] {
  const errors: PlanError[] = [];
  const linesWithErrors = new Set<number>();
  for (const error of found) {
    const position = source.position(error.pos[0]);
    if (linesWithErrors.has(position.line) || (errors.length > 0 && error.message.includes('in YAML stream'))) continue;
    linesWithErrors.add(position.line);
    errors.push({ file: source.file, ...position, path: '', message: error.message + flowTemplateHint(text, error.pos[0]) });
  }
  return errors;
}

/** `{build: m1, name: web-{n}}` is a flow mapping whose `{n}` opens another: the usual slip. */
function flowTemplateHint(text: string, offset: number): string {
  return /^\{n(:0\d+)?\}/.test(text.slice(offset, offset + 8))
    ? '; inside `{…}` a name template needs quotes, e.g. name: "web-{n}"'
    : '';
}

function readJson(file: string, text: string, directory: string): ReadResult {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  try {
    return success({ source: new JsonSource(file, body), value: JSON.parse(body), directory });
  } catch {
    const syntax = findJsonSyntaxError(body) ?? { offset: 0, message: 'not valid JSON' };
    return failure([{ file, ...positionInText(body, syntax.offset), path: '', message: syntax.message }]);
  }
}

/** Line and column (1-based) of an offset, for text read without the yaml package. */
function positionInText(text: string, offset: number): Position {
  let line = 1;
  let lineStart = 0;
  for (let at = text.indexOf('\n'); at !== -1 && at < offset; at = text.indexOf('\n', at + 1)) {
    line++;
    lineStart = at + 1;
  }
  return { line, column: offset - lineStart + 1 };
}

class YamlSource implements Source {
  constructor(
    readonly file: string,
    private readonly document: Document,
    private readonly lineCounter: LineCounter,
  ) {}

  position(offset: number): Position {
    const { line, col } = this.lineCounter.linePos(offset);
    return { line, column: col };
  }

  locate(path: readonly PathSegment[], part: PositionPart): Position {
    return this.position(offsetOf(this.document, path, part));
  }
}

/**
 * A `.json` plan keeps only its text: the yaml package (JSON is YAML) builds the node
 * tree the first time an error needs a position, so valid plans never pay for it.
 */
export class JsonSource implements Source {
  private located: YamlSource | null = null;

  constructor(
    readonly file: string,
    private readonly text: string,
  ) {}

  locate(path: readonly PathSegment[], part: PositionPart): Position {
    if (this.located === null) {
      const lineCounter = new LineCounter();
      this.located = new YamlSource(this.file, parseDocument(this.text, { lineCounter }), lineCounter);
    }
    return this.located.locate(path, part);
  }
}

/**
 * Walks the node tree along `path`. Where the path leaves the tree (a missing key, a
 * key without a value) the deepest node reached stands in, so every error has a place.
 */
export function offsetOf(document: Document, path: readonly PathSegment[], part: PositionPart): number {
  let node: unknown = document.contents;
  let offset = startOf(node) ?? 0;
  for (let index = 0; index < path.length; index++) {
    const segment = path[index];
    if (isMap(node)) {
      const pair = node.items.find((item) => String(isScalar(item.key) ? item.key.value : item.key) === String(segment));
      if (!pair) return offset;
      const keyOffset = startOf(pair.key) ?? offset;
      const valueOffset = isEmpty(pair.value) ? undefined : startOf(pair.value);
      if ((index === path.length - 1 && part === 'key') || valueOffset === undefined) return keyOffset;
      node = pair.value;
      offset = valueOffset;
    } else if (isSeq(node) && typeof segment === 'number' && segment < node.items.length) {
      node = node.items[segment];
      offset = startOf(node) ?? offset;
    } else {
      return offset;
    }
  }
  return offset;
}

/** `memory_mb:` with nothing after it: a null of no width, best shown at its key. */
function isEmpty(node: unknown): boolean {
  const range = (node as Node | null | undefined)?.range;
  return !range || range[0] === range[1];
}

function startOf(node: unknown): number | undefined {
  const range = (node as Node | null | undefined)?.range;
  return range ? range[0] : undefined;
}
