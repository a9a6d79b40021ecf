// claimplan's exit codes (docs/output.md, "Exit codes").
export const EXIT_OK = 0;
/** an expectation failed, or --fail-on-reject and something was rejected */
export const EXIT_FAILED = 1;
/** bad input or usage */
export const EXIT_BAD_INPUT = 2;
/** a bug in claimplan itself, never the user's input */
export const EXIT_INTERNAL = 70;

/** Ends a command with an exit code after its messages were written. */
export class CommandExit extends Error {
  constructor(readonly code: number) {
    super(`exit ${code}`);
  }
}
