// What `claimplan compare` does once its options are read: two replays in lockstep.
import { CloudState } from '../../engine/core/cloud-state.ts';
import { Comparison } from '../../engine/scenarios/compare.ts';
import { SummaryCounter } from '../../engine/core/replay.ts';
import { renderCompare } from '../../report/compare.ts';
import { exitOnFailedGates, GateFailures } from '../gates.ts';
import { exitOnUsageProblems, failUsage, type PlanCommandOptions } from '../options.ts';
import { emit, exitOnUnwritableOutputs, loadPlansOrExit, unknownFlavorProblems, withOverridesOrExit } from '../plan-io.ts';

export interface CompareCommandOptions extends PlanCommandOptions {
  flavor: string[];
  failIfWorse: boolean;
}

export function runCompare(paths: string[], options: CompareCommandOptions): void {
  const twoPlans = options.set.length === 0;
  if (twoPlans && paths.length !== 2) failUsage('compare needs --set KEY=VALUE changes, or exactly two plans to compare');
  const before = loadPlansOrExit(twoPlans ? [paths[0]] : paths, [], options.seed, options.novaConf);
  const after = twoPlans ? loadPlansOrExit([paths[1]], [], options.seed, options.novaConf) : withOverridesOrExit(before, options.set);
  exitOnUnwritableOutputs(options.output);
  const bothFlavors = [...before.cloud.flavors, ...after.cloud.flavors];
  exitOnUsageProblems(unknownFlavorProblems(bothFlavors, options.flavor, 'the plans compared'));
  const flavors = [...new Set(options.flavor.length > 0 ? options.flavor : bothFlavors.map((flavor) => flavor.name))];
  const sides = [before, after].map((plan) => ({
    state: CloudState.start(plan.cloud),
    requests: plan.requests(),
    counter: new SummaryCounter(),
  }));
  const lost = new GateFailures();
  const comparison = new Comparison(sides[0], sides[1], (change) => lost.note(() => `${change.instance} (seq ${change.seq})`));
  emit(
    options.output,
    (sink) =>
      renderCompare(
        {
          before: twoPlans ? paths[0] : paths.join(' + '),
          after: twoPlans ? paths[1] : options.set.join(', '),
          changes: comparison.changes,
          summaries: () => comparison.summaries(),
          hosts: () => comparison.headroom(),
          fit: () => comparison.fit(flavors),
        },
        options.format,
        (chunk) => sink.write(chunk),
        { color: sink.color },
      ),
    sides.map((side) => side.requests),
  );
  comparison.finish();
  exitOnFailedGates(options.failIfWorse && lost.count > 0 ? [`--fail-if-worse: ${lost.line('claim lost', 'claims lost')}`] : []);
}
