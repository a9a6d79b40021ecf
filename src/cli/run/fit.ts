// What `claimplan fit` does once its options are read: replay, then count each flavor.
import { CloudState } from '../../engine/cloud-state.ts';
import { fitFlavor } from '../../engine/fit.ts';
import { replay } from '../../engine/replay.ts';
import { renderFit } from '../../report/fit.ts';
import type { FitFormat } from '../../report/formats.ts';
import { exitOnUsageProblems, failUsage } from '../options.ts';
import { emit, exitOnStreamProblems, exitOnUnwritableOutputs, loadPlansOrExit, unknownFlavorProblems } from '../plan-io.ts';

export interface FitCommandOptions {
  flavor: string[];
  aggregate?: string;
  availabilityZone?: string;
  set: string[];
  seed: number;
  format: FitFormat;
  output?: string;
}

export function runFit(paths: string[], options: FitCommandOptions): void {
  if (options.flavor.length === 0) failUsage("required option '--flavor <name>' not specified");
  const plan = loadPlansOrExit(paths, options.set, options.seed);
  exitOnUnwritableOutputs(options.output);
  const state = CloudState.start(plan.cloud);
  const zone = options.availabilityZone ?? null;
  const hosts = state.hostNames(options.aggregate ?? null, zone);
  exitOnUsageProblems([
    ...unknownFlavorProblems(plan.cloud.flavors, options.flavor),
    ...(options.aggregate !== undefined && state.hostNames(options.aggregate).length === 0 ? [`--aggregate ${options.aggregate}: no host carries this label`] : []),
    ...(zone !== null && state.hostNames(null, zone).length === 0 ? [`--availability-zone ${zone}: no host is in this zone`] : []),
  ]);
  const requests = plan.requests();
  for (const _decision of replay(state, requests, { audit: false, explain: false }));
  exitOnStreamProblems(requests);
  const counted = new Set(hosts);
  const report = {
    flavors: [...new Set(options.flavor)].map((flavor) => fitFlavor(state, flavor, hosts, zone)),
    hosts: state.hostUsages().filter((usage) => counted.has(usage.host)),
    requests: requests.requestCount,
  };
  emit(options.output, (sink) => renderFit(report, options.format, (chunk) => sink.write(chunk), { color: sink.color }));
}
