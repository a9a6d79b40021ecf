// Writing to a file descriptor whole, through pipes that may be non-blocking or closed
// early (`| head`), and diagnostics to standard error.
import { writeSync } from 'node:fs';

/** Thrown when the reader of standard output has gone away (`| head`). */
export class ReaderGone extends Error {}

export function writeAll(fd: number, text: string | Buffer): void {
  let data = typeof text === 'string' ? Buffer.from(text, 'utf8') : text;
  while (data.length > 0) {
    try {
      data = data.subarray(writeSync(fd, data));
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EAGAIN') continue;
      if (code === 'EPIPE') throw new ReaderGone();
      throw error;
    }
  }
}

/** Diagnostics (errors, warnings, audit lines) go to standard error unbuffered. */
export function writeStderr(text: string): void {
  try {
    writeAll(2, text);
  } catch (error) {
    if (!(error instanceof ReaderGone)) throw error;
  }
}
