// The claimplan command line: commander wiring only; each command lives in its own file
// and loads what its work needs only when it runs, so `--help` and `--version` start fast.
import { Command, CommanderError, Help, type Option } from 'commander';
import packageJson from '../../package.json' with { type: 'json' };
import { compareCommand } from './compare.ts';
import { consolidateCommand } from './consolidate.ts';
import { expandCommand } from './expand.ts';
import { failoverCommand } from './failover.ts';
import { forecastCommand } from './forecast.ts';
import { EXIT_BAD_INPUT, EXIT_INTERNAL, EXIT_OK, isCommandExit } from './exit-codes.ts';
import { fitCommand } from './fit.ts';
import { importCommand } from './import.ts';
import { replayCommand } from './replay.ts';
import { sweepCommand } from './sweep.ts';
import { validateCommand } from './validate.ts';
import { ReaderGone, writeAll, writeStderr } from './write.ts';

/**
 * What every command shares: errors as return values, output that ends quietly when its
 * reader goes away (`--version | head -0`, docs/output.md, "Pipes"), usage errors under
 * the one prefix claimplan's own use, and no `(default: [])` on repeatable options (their
 * description says "repeatable").
 */
function configured(command: Command): Command {
  return command
    .exitOverride()
    .configureOutput({
      writeOut: writeStdout,
      writeErr: writeStderr,
      outputError: (text, write) => write(text.replace(/^error: /, 'claimplan: ')),
    })
    .configureHelp({
      optionDescription(option: Option): string {
        const repeatable = Array.isArray(option.defaultValue) && option.defaultValue.length === 0;
        const shown = repeatable ? Object.assign(Object.create(option) as Option, { defaultValue: undefined }) : option;
        return Help.prototype.optionDescription.call(this, shown);
      },
    });
}

function writeStdout(text: string): void {
  try {
    writeAll(1, text);
  } catch (error) {
    if (!(error instanceof ReaderGone)) throw error;
  }
}

function program(): Command {
  const root = configured(new Command('claimplan'))
    .description('Capacity planner for OpenStack compute clouds: replays builds and deletes through a model of Nova\'s claim engine')
    .version(packageJson.version)
    .showHelpAfterError('(run with --help for usage)');
  for (const command of [replayCommand(), fitCommand(), compareCommand(), sweepCommand(), validateCommand(), importCommand(), failoverCommand(), expandCommand(), consolidateCommand(), forecastCommand()]) {
    root.addCommand(configured(command));
  }
  return root;
}

/** Runs the command line and returns the exit code; never lets a stack trace reach the user. */
export async function main(argv: string[]): Promise<number> {
  try {
    await program().parseAsync(argv, { from: 'user' });
    return EXIT_OK;
  } catch (error) {
    if (isCommandExit(error)) return error.code;
    // Help asked for, and the version, exit 0; help shown for a missing command exits 2,
    // like every other usage error.
    if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT_OK : EXIT_BAD_INPUT;
    // Anything a plan can contain is reported as located input errors; reaching here is
    // a bug in claimplan, so say where to report it and what to attach.
    const message = error instanceof Error ? error.message : String(error);
    writeStderr(
      `claimplan: internal error (a bug in claimplan ${packageJson.version}, not in your input): ${message}\n` +
        'claimplan: please report it (docs/contributing.md, "Reporting a bug") with the command line and the plan; CLAIMPLAN_DEBUG=1 prints the stack\n',
    );
    if (process.env.CLAIMPLAN_DEBUG && error instanceof Error) writeStderr(`${error.stack}\n`);
    return EXIT_INTERNAL;
  }
}
