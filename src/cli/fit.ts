// claimplan fit PLAN... --flavor F : how many more of each flavor fit, per host and in total.
import { Command } from 'commander';
import { fitFlavor } from '../engine/fit.ts';
import { CloudState, replay } from '../engine/replay.ts';
import { FIT_FORMATS, renderFit, type FitFormat } from '../report/fit.ts';
import { collect, emit, loadPlansOrExit, withOutputOptions, withSettingOverrides } from './common.ts';
import { CommandExit, EXIT_BAD_INPUT } from './exit-codes.ts';
import { writeStderr } from './output.ts';

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
    const known = new Set(plan.cloud.flavors.map((flavor) => flavor.name));
    const unknown = options.flavor.filter((name) => !known.has(name));
    const hosts = CloudState.start(plan.cloud).hostNames(options.aggregate ?? null);
    const problems = [
      ...unknown.map((name) => `--flavor ${name}: no such flavor in the plan`),
      ...(options.aggregate !== undefined && hosts.length === 0 ? [`--aggregate ${options.aggregate}: no host carries this label`] : []),
    ];
    if (problems.length > 0) {
      writeStderr(problems.map((problem) => `claimplan: ${problem}\n`).join(''));
      throw new CommandExit(EXIT_BAD_INPUT);
    }
    const state = CloudState.start(plan.cloud);
    let requests = 0;
    for (const _decision of replay(state, plan.requests(), { audit: false })) requests++;
    const report = {
      flavors: [...new Set(options.flavor)].map((flavor) => fitFlavor(state, flavor, hosts)),
      hosts: state.hostUsages().filter((usage) => hosts.includes(usage.host)),
      requests,
    };
    emit(options.output, (sink) => renderFit(report, options.format, (chunk) => sink.write(chunk), { color: sink.color }));
  });
}
