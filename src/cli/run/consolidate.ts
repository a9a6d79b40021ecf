// What `claimplan consolidate` does once its options are read: replay, then empty hosts
// by live migration, and the report.
import { CloudState } from '../../engine/cloud-state.ts';
import { consolidate } from '../../engine/consolidate.ts';
import { replay } from '../../engine/replay.ts';
import { renderConsolidate } from '../../report/consolidate.ts';
import type { OutputFormat } from '../../report/formats.ts';
import { failUsage } from '../options.ts';
import { emit, exitOnStreamProblems, exitOnUnwritableOutputs, loadPlansOrExit } from '../plan-io.ts';

export interface ConsolidateCommandOptions {
  keep?: string;
  set: string[];
  novaConf: string[];
  seed: number;
  format: OutputFormat;
  output?: string;
}

export function runConsolidate(paths: string[], options: ConsolidateCommandOptions): void {
  let keep: number | null = null;
  if (options.keep !== undefined) {
    const match = /^failover:(\d+)$/.exec(options.keep);
    if (!match || Number(match[1]) < 1) failUsage(`--keep ${options.keep}: must be failover:N, N a whole number of hosts, at least 1`);
    keep = Number(match[1]);
  }
  const plan = loadPlansOrExit(paths, options.set, options.seed, options.novaConf);
  exitOnUnwritableOutputs(options.output);
  const state = CloudState.start(plan.cloud);
  const requests = plan.requests();
  for (const _decision of replay(state, requests, { audit: false, explain: false }));
  exitOnStreamProblems(requests);
  const consolidation = consolidate(state, keep);
  const report = {
    requests: requests.requestCount,
    hosts: state.hostNames(),
    emptied: consolidation.emptied,
    kept: consolidation.kept,
    failover: consolidation.failover,
    search: consolidation.search,
    usage: consolidation.state.hostUsages(),
  };
  emit(options.output, (sink) => renderConsolidate(report, options.format, (chunk) => sink.write(chunk), { color: sink.color }));
}
