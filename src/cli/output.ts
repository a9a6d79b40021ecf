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

class BufferedSink implements Sink {
  private pending: string[] = [];
  private pendingLength = 0;

  constructor(
    protected readonly fd: number,
    readonly color: boolean,
  ) {}

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
    writeAll(this.fd, text);
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
    fd: number,
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
 */
class HeldBackSink implements Sink {
  private held: string[] = [];
  private heldLength = 0;
  private spill: { sink: BufferedSink; fd: number; path: string } | null = null;

  constructor(readonly color: boolean) {}

  write(chunk: string): void {
    if (this.spill !== null) return this.spill.sink.write(chunk);
    this.held.push(chunk);
    this.heldLength += chunk.length;
    if (this.heldLength >= HOLD_IN_MEMORY) this.startSpill();
  }

  finish(): void {
    const stdout = new BufferedSink(1, this.color);
    if (this.spill === null) {
      for (const chunk of this.held) stdout.write(chunk);
    } else {
      this.spill.sink.flush();
      const buffer = Buffer.allocUnsafe(4 << 20);
      for (let offset = 0, read = 0; (read = readSync(this.spill.fd, buffer, 0, buffer.length, offset)) > 0; offset += read) {
        writeAll(1, buffer.subarray(0, read));
      }
    }
    stdout.finish();
    this.abandon();
  }

  abandon(): void {
    this.held = [];
    if (this.spill === null) return;
    closeSync(this.spill.fd);
    rmSync(this.spill.path, { force: true });
    this.spill = null;
  }

  private startSpill(): void {
    const path = join(tmpdir(), `claimplan-${process.pid}-${Date.now()}.tmp`);
    const fd = openSync(path, 'w+', 0o600);
    this.spill = { sink: new BufferedSink(fd, false), fd, path };
    for (const chunk of this.held) this.spill.sink.write(chunk);
    this.held = [];
  }
}

const HOLD_IN_MEMORY = 16 * 2 ** 20;

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
