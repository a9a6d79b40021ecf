// What `claimplan fit` does once its options are read: replay, then count each flavor.
import { fitFlavor } from '../../engine/scenarios/fit.ts';
import { renderFit } from '../../report/fit.ts';
import type { FitFormat } from '../../report/formats.ts';
import { exitOnUsageProblems } from '../options.ts';
import { emit, exitOnUnwritableOutputs, loadPlansOrExit, replayedOrExit, unknownFlavorProblems } from '../plan-io.ts';

export interface FitCommandOptions {
  flavor: string[];
  aggregate?: string;
  availabilityZone?: string;
  set: string[];
  novaConf: string[];
  seed: number;
  format: FitFormat;
  output?: string;
}

export function runFit(paths: string[], options: FitCommandOptions): void {
  const plan = loadPlansOrExit(paths, options.set, options.seed, options.novaConf);
  exitOnUnwritableOutputs(options.output);
  const { state, requests } = replayedOrExit(plan);
  const zone = options.availabilityZone ?? null;
  const hosts = state.hostNames(options.aggregate ?? null, zone);
  exitOnUsageProblems([
    ...unknownFlavorProblems(plan.cloud.flavors, options.flavor),
    ...(options.aggregate !== undefined && state.hostNames(options.aggregate).length === 0 ? [`--aggregate ${options.aggregate}: no host carries this label`] : []),
    ...(zone !== null && state.hostNames(null, zone).length === 0 ? [`--availability-zone ${zone}: no host is in this zone`] : []),
  ]);
  const counted = new Set(hosts);
  const report = {
    flavors: [...new Set(options.flavor)].map((flavor) => fitFlavor(state, flavor, hosts, zone)),
    hosts: state.hostUsages().filter((usage) => counted.has(usage.host)),
    requests: requests.requestCount,
  };
  emit(options.output, (sink) => renderFit(report, options.format, (chunk) => sink.write(chunk), { color: sink.color }));
}
