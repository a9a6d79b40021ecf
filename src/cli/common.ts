// What every command that reads plans shares: the options, loading with located errors,
// and running a report into its sink.
import { readStdinSync } from './stdin.ts';
import { Option, type Command } from 'commander';
import { formatPlanError, loadPlan, type LoadedPlan } from '../plan/load.ts';
import { OUTPUT_FORMATS, type OutputFormat } from '../report/index.ts';
import { CommandExit, EXIT_BAD_INPUT } from './exit-codes.ts';
import { openSink, ReaderGone, writeStderr, type Sink } from './output.ts';

export interface PlanCommandOptions {
  set: string[];
  format: OutputFormat;
  output?: string;
  verbose: boolean;
}

/** commander's argument parser for an option that may be given several times. */
export function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

export function withSettingOverrides(command: Command): Command {
  return command.option('--set <KEY=VALUE>', 'override a cloud-wide setting for this run (repeatable)', collect, []);
}

export function withOutputOptions(command: Command, formats: readonly string[] = OUTPUT_FORMATS): Command {
  return command
    .addOption(new Option('-f, --format <format>', 'output format').choices(formats).default('table'))
    .option('-o, --output <file>', 'write the report to FILE (whole or not at all)');
}

/** Loads and validates the plans, or prints every located error and exits 2. */
export function loadPlansOrExit(paths: string[], settingOverrides: string[]): LoadedPlan {
  const result = loadPlan(paths, { readStdin: readStdinSync, settingOverrides });
  if (!result.ok) {
    writeStderr(result.errors.map((error) => `${formatPlanError(error)}\n`).join(''));
    writeStderr(`claimplan: ${result.errors.length} problem${result.errors.length === 1 ? '' : 's'} found; nothing was replayed\n`);
    throw new CommandExit(EXIT_BAD_INPUT);
  }
  return result.plan;
}

/**
 * Runs `render` into the chosen sink. A reader that goes away (`| head`) ends the
 * command quietly; any other failure leaves no half-written file behind.
 */
export function emit(outputFile: string | undefined, render: (sink: Sink) => void): void {
  const sink = openSink(outputFile);
  try {
    render(sink);
    sink.finish();
  } catch (error) {
    sink.abandon();
    if (error instanceof ReaderGone) throw new CommandExit(0);
    throw error;
  }
}
