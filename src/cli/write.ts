// Writing to a file descriptor whole, through pipes that may be non-blocking or closed
// early (`| head`), and diagnostics to standard error.
import { writeSync } from 'node:fs';

/** Thrown when the reader of standard output has gone away (`| head`). */
export class ReaderGone extends Error {}

export function writeAll(fd: number, text: string | Buffer): void {
  let data: Buffer;
  if (typeof text === 'string') {
    // A string goes out as it is, encoded by Node: a Buffer made here for each chunk of a
    // long report cost as much as the write. Only what a pipe did not take becomes one.
    const written = writeSome(fd, text);
    if (written === Buffer.byteLength(text, 'utf8')) return;
    data = Buffer.from(text, 'utf8').subarray(written);
  } else {
    data = text;
  }
  while (data.length > 0) data = data.subarray(writeSome(fd, data));
}

/** What one write took: nothing when a non-blocking pipe is full. */
function writeSome(fd: number, data: string | Buffer): number {
  try {
    return typeof data === 'string' ? writeSync(fd, data) : writeSync(fd, data);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EAGAIN') return 0;
    if (code === 'EPIPE') throw new ReaderGone();
    throw error;
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
