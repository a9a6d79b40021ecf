// What dist/claimplan.cjs, the one bundle of claimplan's code and libraries, offers the
// entry that loads it (src/cli/boot.ts) and the build that warms its code cache.
import { COMMANDS } from './commands.ts';

export { main } from './main.ts';
export { startThread } from './threads.ts';

/** The command lines the build runs once, in one process, to keep the code V8 compiled. */
export function warmUpCommandLines(): string[][] {
  return COMMANDS.flatMap((command) => (command.warmUp ? [command.warmUp] : []));
}
