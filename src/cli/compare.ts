// claimplan compare PLAN... --set K=V… | compare A.yaml B.yaml : two replays side by side.
import { Command } from 'commander';
import { decisionChanges, fitChanges, headroomChanges, isWorse, type DecisionChange } from '../engine/compare.ts';
import { CloudState, SummaryCounter } from '../engine/replay.ts';
import { renderCompare } from '../report/compare.ts';
import { collect, emit, exitOnUsageProblems, failUsage, loadPlansOrExit, unknownFlavorProblems, withOutputOptions, withOverridesOrExit, withSettingOverrides, type PlanCommandOptions } from './common.ts';
import { CommandExit, EXIT_FAILED } from './exit-codes.ts';

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
  return command.action((paths: string[], options: CompareCommandOptions) => {
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
    let worse = 0;
    const changes = (function* (): Generator<DecisionChange> {
      for (const change of decisionChanges(sides[0], sides[1])) {
        if (isWorse(change)) worse++;
        yield change;
      }
    })();
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
    );
    if (options.failIfWorse && worse > 0) throw new CommandExit(EXIT_FAILED);
  });
}
