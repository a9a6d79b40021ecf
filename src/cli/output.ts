// Where a command's report goes: standard output, written so that `| head` ends quietly,
// or a file, written whole or not at all.
import { closeSync, openSync, renameSync, rmSync } from 'node:fs';
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

/** chalk's rules (FORCE_COLOR, TTY detection), plus NO_COLOR when FORCE_COLOR is not set. */
function stdoutWantsColor(env: NodeJS.ProcessEnv = process.env): boolean {
  if (!('FORCE_COLOR' in env) && env.NO_COLOR) return false;
  return supportsColor !== false && supportsColor.level > 0;
}

export function openSink(outputFile: string | undefined): Sink {
  return outputFile === undefined ? new BufferedSink(1, stdoutWantsColor()) : AtomicFileSink.open(outputFile);
}
