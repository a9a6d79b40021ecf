// Reading all of standard input synchronously. readFileSync(0) fails with EAGAIN when
// the pipe is non-blocking (another Node process upstream sets that on the shared
// pipe), so this reads in chunks and waits briefly whenever no data is ready yet.
import { readSync } from 'node:fs';

const CHUNK = 1 << 16;
const WAIT_MS = 5;
const sleeper = new Int32Array(new SharedArrayBuffer(4));

let stdinText: string | null = null;

/** Standard input's text; read once, so a plan given as `-` can be handed on (sweep threads). */
export function readStdinSync(): string {
  stdinText ??= readAll();
  return stdinText;
}

/** What `readStdinSync` read, or null when nothing asked for standard input. */
export function stdinTextIfRead(): string | null {
  return stdinText;
}

function readAll(): string {
  const chunks: Buffer[] = [];
  const buffer = Buffer.alloc(CHUNK);
  for (;;) {
    let read: number;
    try {
      read = readSync(0, buffer, 0, CHUNK, null);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EAGAIN') {
        Atomics.wait(sleeper, 0, 0, WAIT_MS);
        continue;
      }
      if (code === 'EOF') break;
      throw error;
    }
    if (read === 0) break;
    chunks.push(Buffer.from(buffer.subarray(0, read)));
  }
  return Buffer.concat(chunks).toString('utf8');
}
