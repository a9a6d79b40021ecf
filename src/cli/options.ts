// What the commands share before any work starts: their options, usage errors and help
// examples. Light on purpose: it is loaded for every command, `--help` and `--version`.
import { InvalidArgumentError, Option, type Command } from 'commander';
import { OUTPUT_FORMATS, type OutputFormat } from '../report/formats.ts';
import { CommandExit, EXIT_BAD_INPUT } from './exit-codes.ts';
import { writeStderr } from './write.ts';

/** The options of every command that replays a plan. */
export interface PlanCommandOptions {
  set: string[];
  seed: number;
  format: OutputFormat;
  output?: string;
  verbose: boolean;
}

/** commander's argument parser for a count: 1 or more. */
export function positiveInteger(text: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) throw new InvalidArgumentError('must be a positive whole number');
  return value;
}

/** commander's argument parser for an option that may be given several times. */
export function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** The scheduler's random draws take a 32-bit seed (docs/semantics.md, "Weighing"). */
function parseSeed(text: string): number {
  const value = Number(text);
  if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(value) || value > 0xffffffff) throw new InvalidArgumentError('must be a whole number from 0 to 4294967295');
  return value;
}

/** What shapes a replay beyond its plans: `--set` overrides and the seed of the scheduler's random draws. */
export function withSettingOverrides(command: Command): Command {
  return command
    .option('--set <KEY=VALUE>', 'override a cloud-wide setting for this run (repeatable)', collect, [])
    .option('--seed <N>', 'seed the random choices host_subset_size and shuffle_best_same_weighed_hosts make', parseSeed, 0);
}

export function withOutputOptions(command: Command, formats: readonly string[] = OUTPUT_FORMATS): Command {
  return command
    .addOption(new Option('-f, --format <format>', 'output format').choices(formats).default('table'))
    .option('-o, --output <file>', 'write the report to FILE (whole or not at all)');
}

/** Ends `--help` with real command lines, each with what it answers. */
export function withExamples(command: Command, examples: [commandLine: string, what: string][]): Command {
  const lines = examples.map(([commandLine, what]) => `  # ${what}\n  $ ${commandLine}\n`);
  return command.addHelpText('after', `\nExamples:\n${lines.join('\n')}`);
}

/** Prints each usage problem on its own line and exits 2. */
export function failUsage(...problems: string[]): never {
  writeStderr(problems.map((problem) => `claimplan: ${problem}\n`).join(''));
  throw new CommandExit(EXIT_BAD_INPUT);
}

export function exitOnUsageProblems(problems: string[]): void {
  if (problems.length > 0) failUsage(...problems);
}
