// claimplan compare PLAN... --set K=V… | compare A.yaml B.yaml : two replays side by side.
import { Command } from 'commander';
import { CommandExit, EXIT_FAILED } from './exit-codes.ts';
import { collect, exitOnUsageProblems, failUsage, withExamples, withOutputOptions, withSettingOverrides, type PlanCommandOptions } from './options.ts';

interface CompareCommandOptions extends PlanCommandOptions {
  flavor: string[];
  failIfWorse: boolean;
}

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
  return command.action(async (paths: string[], options: CompareCommandOptions) => {
    const [{ emit, loadPlansOrExit, unknownFlavorProblems, withOverridesOrExit }, { SummaryCounter }, { CloudState }, { decisionChanges, fitChanges, headroomChanges }, { renderCompare }] =
      await Promise.all([import('./plan-io.ts'), import('../engine/replay.ts'), import('../engine/cloud-state.ts'), import('../engine/compare.ts'), import('../report/compare.ts')]);
    const twoPlans = options.set.length === 0;
    if (twoPlans && paths.length !== 2) failUsage('compare needs --set KEY=VALUE changes, or exactly two plans to compare');
    const before = loadPlansOrExit(twoPlans ? [paths[0]] : paths, []);
    const after = twoPlans ? loadPlansOrExit([paths[1]], []) : withOverridesOrExit(before, options.set);
    const bothFlavors = [...before.cloud.flavors, ...after.cloud.flavors];
    exitOnUsageProblems(unknownFlavorProblems(bothFlavors, options.flavor, 'the plans compared'));
    const flavors = [...new Set(options.flavor.length > 0 ? options.flavor : bothFlavors.map((flavor) => flavor.name))];
    const sides = [before, after].map((plan) => ({
      state: CloudState.start(plan.cloud),
      requests: plan.requests(),
      counter: new SummaryCounter(),
    }));
    const tally = { worse: 0 };
    const changes = decisionChanges(sides[0], sides[1], tally);
    emit(options.output, (sink) =>
      renderCompare(
        {
          before: twoPlans ? paths[0] : paths.join(' + '),
          after: twoPlans ? paths[1] : options.set.join(', '),
          changes,
          summaries: () => ({ before: sides[0].counter.summary, after: sides[1].counter.summary }),
          hosts: () => headroomChanges(sides[0].state.hostUsages(), sides[1].state.hostUsages()),
          fit: () => fitChanges(sides[0].state, sides[1].state, flavors),
        },
        options.format,
        (chunk) => sink.write(chunk),
        { color: sink.color },
      ),
      sides.map((side) => side.requests),
    );
    if (options.failIfWorse && tally.worse > 0) throw new CommandExit(EXIT_FAILED);
  });
}
