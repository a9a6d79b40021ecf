// claimplan fit PLAN... --flavor F : how many more of each flavor fit, per host and in total.
import { Command } from 'commander';
import { fitFlavor } from '../engine/fit.ts';
import { CloudState, replay } from '../engine/replay.ts';
import { FIT_FORMATS, renderFit, type FitFormat } from '../report/fit.ts';
import { collect, emit, exitOnUsageProblems, loadPlansOrExit, unknownFlavorProblems, withOutputOptions, withSettingOverrides } from './common.ts';

interface FitCommandOptions {
  flavor: string[];
  aggregate?: string;
  set: string[];
  format: FitFormat;
  output?: string;
}

export function fitCommand(): Command {
  const command = new Command('fit')
    .description('replay the plan, then count how many more of each flavor every host accepts, one claim after another')
    .argument('<plan...>', "plan files, merged in order ('-' reads standard input)")
    .requiredOption('--flavor <name>', 'a flavor to count (repeatable)', collect, [])
    .option('--aggregate <label>', 'only the hosts carrying this label');
  withSettingOverrides(command);
  withOutputOptions(command, FIT_FORMATS);
  return command.action((paths: string[], options: FitCommandOptions) => {
    const plan = loadPlansOrExit(paths, options.set);
    const state = CloudState.start(plan.cloud);
    const hosts = state.hostNames(options.aggregate ?? null);
    exitOnUsageProblems([
      ...unknownFlavorProblems(plan.cloud.flavors, options.flavor),
      ...(options.aggregate !== undefined && hosts.length === 0 ? [`--aggregate ${options.aggregate}: no host carries this label`] : []),
    ]);
    for (const _decision of replay(state, plan.requests(), { audit: false }));
    const counted = new Set(hosts);
    const report = {
      flavors: [...new Set(options.flavor)].map((flavor) => fitFlavor(state, flavor, hosts)),
      hosts: state.hostUsages().filter((usage) => counted.has(usage.host)),
      requests: plan.requestCount,
    };
    emit(options.output, (sink) => renderFit(report, options.format, (chunk) => sink.write(chunk), { color: sink.color }));
  });
}
