// Where a command's report goes: standard output, written so that `| head` ends quietly,
// or a file, written whole or not at all.
import { closeSync, openSync, readSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { supportsColor } from 'chalk';
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

/** Writes beside the target and renames at the end, so readers never see half a report. */
class AtomicFileSink extends BufferedSink {
  private constructor(
    private readonly fd: number,
    private readonly temporary: string,
    private readonly target: string,
  ) {
    super(fd, false);
  }

  static open(target: string): AtomicFileSink {
    const temporary = join(dirname(target), `.${basename(target)}.${process.pid}.tmp`);
    return new AtomicFileSink(openSync(temporary, 'w'), temporary, target);
  }

  finish(): void {
    super.finish();
    closeSync(this.fd);
    renameSync(this.temporary, this.target);
  }

  abandon(): void {
    super.abandon();
    closeSync(this.fd);
    rmSync(this.temporary, { force: true });
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
export function openSink(outputFile: string | undefined, holdBack = false): Sink {
  if (outputFile !== undefined) return AtomicFileSink.open(outputFile);
  return holdBack ? new HeldBackSink(stdoutWantsColor()) : new BufferedSink(1, stdoutWantsColor());
}
