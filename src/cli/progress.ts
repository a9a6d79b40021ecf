// Progress for long work, on standard error only when a person is watching it there:
// never in a pipe, a file or CI logs, and never over a report on the same terminal.
import { countText } from '../report/text.ts';
import { writeStderr } from './write.ts';

/** `1,234 of 10,000 requests decided (12%)` when the total is known, else `1,234 requests decided`. */
export function doneOfTotal(done: number, total: number | null, what: string): string {
  if (total === null || total === 0) return `${countText(done)} ${what}`;
  return `${countText(done)} of ${countText(total)} ${what} (${Math.floor((100 * done) / total)}%)`;
}

const REDRAW_EVERY_MS = 200;

export class Progress {
  private lastDraw = 0;
  private drawn = false;

  /** Whether anything is drawn: when not, a caller need not even make the text's function. */
  constructor(readonly enabled: boolean) {}

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
