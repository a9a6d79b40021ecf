// What `claimplan compare` does once its options are read: two replays in lockstep.
import { CloudState } from '../../engine/cloud-state.ts';
import { decisionChanges, fitChanges, headroomChanges } from '../../engine/compare.ts';
import { SummaryCounter } from '../../engine/replay.ts';
import { renderCompare } from '../../report/compare.ts';
import { CommandExit, EXIT_FAILED } from '../exit-codes.ts';
import { exitOnUsageProblems, failUsage, type PlanCommandOptions } from '../options.ts';
import { emit, exitOnUnwritableOutputs, loadPlansOrExit, unknownFlavorProblems, withOverridesOrExit } from '../plan-io.ts';

export interface CompareCommandOptions extends PlanCommandOptions {
  flavor: string[];
  failIfWorse: boolean;
}

export function runCompare(paths: string[], options: CompareCommandOptions): void {
  const twoPlans = options.set.length === 0;
  if (twoPlans && paths.length !== 2) failUsage('compare needs --set KEY=VALUE changes, or exactly two plans to compare');
  const before = loadPlansOrExit(twoPlans ? [paths[0]] : paths, []);
  const after = twoPlans ? loadPlansOrExit([paths[1]], []) : withOverridesOrExit(before, options.set);
  exitOnUnwritableOutputs(options.output);
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
  emit(
    options.output,
    (sink) =>
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
}
