// claimplan compare PLAN... --set K=V… | compare A.yaml B.yaml : two replays side by side.
import { Command } from 'commander';
import { collect } from './arguments.ts';
import { withExamples, withOutputOptions, withSettingOverrides } from './options.ts';
import { runCompare, type CompareCommandOptions } from './run/compare.ts';

export function compareCommand(): Command {
  const command = new Command('compare')
    .description('replay under the plan as written and under changed settings (or a second plan), and show what changes')
    .argument('<plan...>', 'plan files merged in order, compared with --set changes; or exactly two plans, A and B')
    .option('--flavor <name>', 'flavors whose fit to compare (repeatable; default: every flavor)', collect, [])
    .option('--fail-if-worse', 'exit 1 when a request that was claimed becomes rejected', false);
  withSettingOverrides(command);
  withOutputOptions(command);
  withExamples(command, [
    ['claimplan compare examples/small-cloud.yaml --set cpu_allocation_ratio=4', 'what a lower CPU ratio would have rejected, and the headroom it leaves'],
    ['claimplan compare today.yaml next-quarter.yaml --fail-if-worse', 'two plans side by side; exit 1 when a claim becomes a rejection'],
    ['claimplan compare plan.yaml --set ram_allocation_ratio=1.0 --flavor m1.large -f markdown', 'a report for a change review'],
  ]);
  return command.action((paths: string[], options: CompareCommandOptions) => runCompare(paths, options));
}
