// claimplan fit PLAN... --flavor F : how many more of each flavor fit, per host and in total.
import { Command } from 'commander';
import { FIT_FORMATS, type FitFormat } from '../report/formats.ts';
import { collect, exitOnUsageProblems, failUsage, withExamples, withOutputOptions, withSettingOverrides } from './options.ts';

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
    .option('--flavor <name>', 'a flavor to count (repeatable, at least one)', collect, [])
    .option('--aggregate <label>', 'only the hosts carrying this label');
  withSettingOverrides(command);
  withOutputOptions(command, FIT_FORMATS);
  withExamples(command, [
    ['claimplan fit examples/small-cloud.yaml --flavor m1.medium', 'how many more m1.medium fit on each host, and what stops the next one'],
    ['claimplan fit plan.yaml --flavor gpu.large --aggregate gpu -f json', 'the same for the gpu aggregate only, as JSON'],
    ['claimplan fit plan.yaml --flavor m1.small -f openmetrics > fit.prom', 'gauges for a Prometheus textfile collector'],
  ]);
  return command.action(async (paths: string[], options: FitCommandOptions) => {
    const [{ emit, exitOnStreamProblems, loadPlansOrExit, unknownFlavorProblems }, { replay }, { CloudState }, { fitFlavor }, { renderFit }] = await Promise.all([
      import('./plan-io.ts'),
      import('../engine/replay.ts'),
      import('../engine/cloud-state.ts'),
      import('../engine/fit.ts'),
      import('../report/fit.ts'),
    ]);
    if (options.flavor.length === 0) failUsage("required option '--flavor <name>' not specified");
    const plan = loadPlansOrExit(paths, options.set);
    const state = CloudState.start(plan.cloud);
    const hosts = state.hostNames(options.aggregate ?? null);
    exitOnUsageProblems([
      ...unknownFlavorProblems(plan.cloud.flavors, options.flavor),
      ...(options.aggregate !== undefined && hosts.length === 0 ? [`--aggregate ${options.aggregate}: no host carries this label`] : []),
    ]);
    const requests = plan.requests();
    for (const _decision of replay(state, requests, { audit: false, explain: false }));
    exitOnStreamProblems(requests);
    const counted = new Set(hosts);
    const report = {
      flavors: [...new Set(options.flavor)].map((flavor) => fitFlavor(state, flavor, hosts)),
      hosts: state.hostUsages().filter((usage) => counted.has(usage.host)),
      requests: requests.requestCount,
    };
    emit(options.output, (sink) => renderFit(report, options.format, (chunk) => sink.write(chunk), { color: sink.color }));
  });
}
