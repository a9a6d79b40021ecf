// Temporary files removed however this process ends (docs/output.md, "--output: whole or
// not at all"). A replay runs synchronously from its first decision to its last, and Node
// runs a signal handler only between such stretches: Ctrl-C would wait for the whole
// replay, and SIGKILL runs no handler at all. So a small shell, in a session of its own
// (a terminal's Ctrl-C does not reach it), reads a pipe from this process to its end,
// which comes when this process ends, by any means, and then removes the file. A file
// renamed into place, or removed already, is no longer there to remove.
import { spawn } from 'node:child_process';
import type { Socket } from 'node:net';

export function removeWhenProcessEnds(path: string): void {
  const remover = spawn('/bin/sh', ['-c', 'cat >/dev/null; rm -f -- "$0"', path], { detached: true, stdio: ['pipe', 'ignore', 'ignore'] });
  // Without a shell the file is still removed on every ending but a signal.
  remover.on('error', () => {});
  remover.unref();
  (remover.stdin as Socket).unref();
}
