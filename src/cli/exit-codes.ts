// claimplan's exit codes (docs/output.md, "Exit codes").
export const EXIT_OK = 0;
/** an expectation failed, or --fail-on-reject and something was rejected */
export const EXIT_FAILED = 1;
/** bad input or usage */
export const EXIT_BAD_INPUT = 2;
/** a bug in claimplan itself, never the user's input */
export const EXIT_INTERNAL = 70;

// A command's work runs from its own bundle (src/cli/runner.ts), with its own copy of
// this class, so an exit is recognised by a registered symbol, not by `instanceof`.
const COMMAND_EXIT = Symbol.for('claimplan.command-exit');

/** Ends a command with an exit code after its messages were written. */
export class CommandExit extends Error {
  readonly [COMMAND_EXIT] = true;

  constructor(readonly code: number) {
    super(`exit ${code}`);
  }
}

export function isCommandExit(error: unknown): error is CommandExit {
  return typeof error === 'object' && error !== null && COMMAND_EXIT in error;
}
