// What the commands share before any work starts: their options, usage errors and help
// examples. Light on purpose: it is loaded for every command, `--help` and `--version`.
import { Option, type Command } from 'commander';
import { collect, seed } from './arguments.ts';
import { OUTPUT_FORMATS, type OutputFormat } from '../report/formats.ts';
import { CommandExit, EXIT_BAD_INPUT } from './exit-codes.ts';
import { writeStderr } from './write.ts';

/** The options of every command that replays a plan. */
export interface PlanCommandOptions {
  set: string[];
  /** `--nova-conf FILE`s, in the order given */
  novaConf: string[];
  seed: number;
  format: OutputFormat;
  output?: string;
  verbose: boolean;
}


/** What shapes a replay beyond its plans: nova.conf files, `--set` overrides and the seed of the scheduler's random draws. */
export function withSettingOverrides(command: Command): Command {
  return command
    .option('--nova-conf <FILE>', "read cloud settings from a nova.conf, under the plan's own (repeatable; later files win)", collect, [])
    .option('--set <KEY=VALUE>', 'override a cloud-wide setting for this run (repeatable)', collect, [])
    .option('--seed <N>', 'seed the random choices host_subset_size and shuffle_best_same_weighed_hosts make', seed, 0);
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
