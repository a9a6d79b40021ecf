// What `claimplan consolidate` does once its options are read: replay, then empty hosts
// by live migration, and the report.
import { consolidate } from '../../engine/scenarios/consolidate.ts';
import { renderConsolidate } from '../../report/consolidate.ts';
import type { OutputFormat } from '../../report/formats.ts';
import { emit, exitOnUnwritableOutputs, loadPlansOrExit, replayedOrExit } from '../plan-io.ts';

export interface ConsolidateCommandOptions {
  /** failover:N's N */
  keep?: number;
  set: string[];
  novaConf: string[];
  seed: number;
  format: OutputFormat;
  output?: string;
}

export function runConsolidate(paths: string[], options: ConsolidateCommandOptions): void {
  const keep = options.keep ?? null;
  const plan = loadPlansOrExit(paths, options.set, options.seed, options.novaConf);
  exitOnUnwritableOutputs(options.output);
  const { state, requests } = replayedOrExit(plan);
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
