// claimplan replay PLAN... : every decision, in the chosen format.
import { Command } from 'commander';
import { withExamples, withOutputOptions, withSettingOverrides } from './options.ts';
import { runReplay, type ReplayCommandOptions } from './run/replay.ts';

export function replayCommand(): Command {
  const command = new Command('replay')
    .description("replay the plan's requests and print every decision")
    .argument('<plan...>', "plan files, merged in order ('-' reads standard input)")
    .option('--explain', 'list every host tried, with its reasons, on each scheduled build', false)
    .option('--verbose', "print Nova's audit lines for each claim to standard error (implies --explain)", false)
    .option('--fail-on-reject', 'exit 1 when any build is rejected', false);
  withSettingOverrides(command);
  withOutputOptions(command);
  withExamples(command, [
    ['claimplan replay examples/small-cloud.yaml', 'every decision, host usage and the summary, as tables'],
    ['claimplan replay plan.yaml --set cpu_allocation_ratio=4 -f ndjson -o decisions.ndjson', 'one JSON decision per line, under a changed ratio'],
    ['claimplan replay plan.yaml --fail-on-reject', 'a CI gate: exit 1 when any build is rejected'],
  ]);
  return command.action((paths: string[], options: ReplayCommandOptions) => runReplay(paths, options));
}
