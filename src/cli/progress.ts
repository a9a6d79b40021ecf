// Progress for long work, on standard error only when a person is watching it there:
// never in a pipe, a file or CI logs, and never over a report on the same terminal.
import { writeStderr } from './write.ts';

const REDRAW_EVERY_MS = 200;

export class Progress {
  private lastDraw = 0;
  private drawn = false;

  constructor(private readonly enabled: boolean) {}

  /** For a report written to `outputFile` (or stdout when undefined). */
  static forReport(outputFile: string | undefined): Progress {
    return new Progress(process.stderr.isTTY === true && (outputFile !== undefined || process.stdout.isTTY !== true));
  }

  update(text: () => string): void {
    if (!this.enabled) return;
    const now = Date.now();
    if (now - this.lastDraw < REDRAW_EVERY_MS) return;
    this.lastDraw = now;
    this.drawn = true;
    writeStderr(`\r${text()}\x1b[K`);
  }

  done(): void {
    if (this.drawn) writeStderr('\r\x1b[K');
    this.drawn = false;
  }
}
