// The claimplan command line: commander wiring only; each command lives in its own file.
import { Command, CommanderError } from 'commander';
import { CommandExit, EXIT_BAD_INPUT, EXIT_INTERNAL, EXIT_OK } from './exit-codes.ts';
import { writeStderr } from './output.ts';
import { compareCommand } from './compare.ts';
import { fitCommand } from './fit.ts';
import { importCommand } from './import.ts';
import { replayCommand } from './replay.ts';
import { sweepCommand } from './sweep.ts';
import { validateCommand } from './validate.ts';

function program(): Command {
  const root = new Command('claimplan')
    .description('Capacity planner for OpenStack compute clouds: replays builds and deletes through a model of Nova\'s claim engine')
    .version('0.1.0')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  for (const command of [replayCommand(), fitCommand(), compareCommand(), sweepCommand(), validateCommand(), importCommand()]) {
    root.addCommand(command.exitOverride());
  }
  return root;
}

/** Runs the command line and returns the exit code; never lets a stack trace reach the user. */
export function main(argv: string[]): number {
  try {
    program().parse(argv, { from: 'user' });
    return EXIT_OK;
  } catch (error) {
    if (error instanceof CommandExit) return error.code;
    if (error instanceof CommanderError) {
      const informational = ['commander.helpDisplayed', 'commander.version', 'commander.help'];
      return informational.includes(error.code) ? EXIT_OK : EXIT_BAD_INPUT;
    }
    writeStderr(`claimplan: internal error: ${error instanceof Error ? error.message : String(error)}\n`);
    if (process.env.CLAIMPLAN_DEBUG && error instanceof Error) writeStderr(`${error.stack}\n`);
    return EXIT_INTERNAL;
  }
}
