// Where a command's report goes: standard output, written so that `| head` ends quietly,
// or a file, written whole or not at all.
import { accessSync, closeSync, constants, openSync, readSync, renameSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { supportsColor } from 'chalk';
import { failure, success, type Result } from '../engine/core/result.ts';
import { removeWhenProcessEnds } from './leftovers.ts';
import { writeAll } from './write.ts';

const FLUSH_AT = 64 * 1024;

export interface Sink {
  write(chunk: string): void;
  /** Makes the output final: flushes stdout, or renames the finished file into place. */
  finish(): void;
  /** Drops unfinished output: a file that would look complete is never left behind. */
  abandon(): void;
  readonly color: boolean;
}

/** Joins small chunks before they go out: one write (or one held string) per 64 KiB. */
class BufferedSink implements Sink {
  private pending: string[] = [];
  private pendingLength = 0;
  private readonly out: (text: string) => void;

  constructor(
    target: number | ((text: string) => void),
    readonly color: boolean,
  ) {
    this.out = typeof target === 'number' ? (text) => writeAll(target, text) : target;
  }

  write(chunk: string): void {
    this.pending.push(chunk);
    this.pendingLength += chunk.length;
    if (this.pendingLength >= FLUSH_AT) this.flush();
  }

  flush(): void {
    if (this.pendingLength === 0) return;
    const text = this.pending.join('');
    this.pending = [];
    this.pendingLength = 0;
    this.out(text);
  }

  finish(): void {
    this.flush();
  }

  abandon(): void {
    this.pending = [];
    this.pendingLength = 0;
  }
}

/** A file a report cannot go to is the user's input: a usage error, exit 2 (docs/output.md, "Exit codes"). */
export function cannotWrite(file: string, reason: string): string {
  return `cannot write ${file}: ${reason}`;
}

/** Thrown when the file a report goes to cannot be written after all (a full disk). */
export class CannotWrite extends Error {
  constructor(file: string, reason: string) {
    super(cannotWrite(file, reason));
  }
}

const WRITE_FAILURES: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EISDIR: 'is a directory',
  ENOTDIR: 'a part of its path is not a directory',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  ENAMETOOLONG: 'the name is too long',
  ENOENT: 'no such file or directory',
};

function describeWriteFailure(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  return (code && WRITE_FAILURES[code]) ?? (error as Error).message;
}

function sameFile(a: string, b: string): boolean {
  try {
    const [first, second] = [statSync(a), statSync(b)];
    return first.dev === second.dev && first.ino === second.ino;
  } catch {
    return false;
  }
}

/**
 * Why `file` cannot take a report, or null: its directory is missing or not writable, it
 * is a directory, or it is one of the command's `inputs` (a report written over its own
 * plan). Asked before the work starts, so that a long replay does not end in this.
 */
export function outputFileProblem(file: string, inputs: Iterable<string>): string | null {
  const directory = dirname(file);
  try {
    if (!statSync(directory).isDirectory()) return `${directory} is not a directory`;
    accessSync(directory, constants.W_OK | constants.X_OK);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ENOENT' ? `no such directory ${directory}` : describeWriteFailure(error);
  }
  try {
    if (statSync(file).isDirectory()) return 'is a directory';
  } catch {
    return null;
  }
  for (const input of inputs) if (sameFile(file, input)) return 'it is an input of this command; choose another file';
  return null;
}

function writeOrFail(fd: number, target: string, text: string): void {
  try {
    writeAll(fd, text);
  } catch (error) {
    throw new CannotWrite(target, describeWriteFailure(error));
  }
}

/** Writes beside the target and renames at the end, so readers never see half a report. */
class AtomicFileSink extends BufferedSink {
  private closed = false;

  private constructor(
    private readonly fd: number,
    private readonly temporary: string,
    private readonly target: string,
  ) {
    super((text) => writeOrFail(fd, target, text), false);
  }

  /** Asked after outputFileProblem (src/cli/plan-io.ts): what can still fail is the open itself. */
  static open(target: string): Result<AtomicFileSink> {
    const temporary = join(dirname(target), `.${basename(target)}.${process.pid}.tmp`);
    removeWhenProcessEnds(temporary);
    try {
      return success(new AtomicFileSink(openSync(temporary, 'w'), temporary, target));
    } catch (error) {
      return failure(cannotWrite(target, describeWriteFailure(error)));
    }
  }

  finish(): void {
    super.finish();
    this.close();
    try {
      renameSync(this.temporary, this.target);
    } catch (error) {
      rmSync(this.temporary, { force: true });
      throw new CannotWrite(this.target, describeWriteFailure(error));
    }
  }

  abandon(): void {
    super.abandon();
    this.close();
    rmSync(this.temporary, { force: true });
  }

  private close(): void {
    if (this.closed) return;
    this.closed = true;
    closeSync(this.fd);
  }
}

/**
 * Standard output held back until the report is known to be whole: kept in memory, then
 * in a temporary file past HOLD_IN_MEMORY, and copied out by `finish`. A trace checked
 * as it streams can still turn out bad after thousands of decisions were rendered.
 * Chunks are joined before they are held: a rendered line is a tree of small strings,
 * many times its own size until it is flattened.
 */
class HeldBackSink implements Sink {
  private readonly joined = new BufferedSink((text) => this.hold(text), false);
  private held: string[] = [];
  private heldLength = 0;
  private spill: { fd: number; path: string } | null = null;

  constructor(readonly color: boolean) {}

  write(chunk: string): void {
    this.joined.write(chunk);
  }

  finish(): void {
    this.joined.finish();
    if (this.spill === null) {
      writeAll(1, this.held.join(''));
    } else {
      const buffer = Buffer.allocUnsafe(4 << 20);
      for (let offset = 0, read = 0; (read = readSync(this.spill.fd, buffer, 0, buffer.length, offset)) > 0; offset += read) {
        writeAll(1, buffer.subarray(0, read));
      }
    }
    this.abandon();
  }

  abandon(): void {
    this.joined.abandon();
    this.held = [];
    if (this.spill === null) return;
    closeSync(this.spill.fd);
    rmSync(this.spill.path, { force: true });
    this.spill = null;
  }

  private hold(text: string): void {
    if (this.spill !== null) return writeAll(this.spill.fd, text);
    this.held.push(text);
    this.heldLength += text.length;
    if (this.heldLength < HOLD_IN_MEMORY) return;
    const path = join(tmpdir(), `claimplan-${process.pid}-${Date.now()}.tmp`);
    removeWhenProcessEnds(path);
    this.spill = { fd: openSync(path, 'w+', 0o600), path };
    writeAll(this.spill.fd, this.held.join(''));
    this.held = [];
  }
}

const HOLD_IN_MEMORY = 4 * 2 ** 20;

/** chalk's rules (FORCE_COLOR, TTY detection), plus NO_COLOR when FORCE_COLOR is not set. */
function stdoutWantsColor(env: NodeJS.ProcessEnv = process.env): boolean {
  if (!('FORCE_COLOR' in env) && env.NO_COLOR) return false;
  return supportsColor !== false && supportsColor.level > 0;
}

/** Where a report goes; `holdBack` keeps stdout back until the report is known whole (a file is renamed into place anyway). */
export function openSink(outputFile: string | undefined, holdBack = false): Result<Sink> {
  if (outputFile !== undefined) return AtomicFileSink.open(outputFile);
  return success(holdBack ? new HeldBackSink(stdoutWantsColor()) : new BufferedSink(1, stdoutWantsColor()));
}
