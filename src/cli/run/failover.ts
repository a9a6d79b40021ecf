// What `claimplan failover` does once its options are read: replay, then lose hosts per scenario.
import { Failover } from '../../engine/scenarios/failover.ts';
import { renderFailover, type FailoverReport } from '../../report/failover.ts';
import { plural } from '../../report/text.ts';
import type { OutputFormat } from '../../report/formats.ts';
import { exitOnFailedGates, namedList } from '../gates.ts';
import { exitOnUsageProblems, failUsage } from '../options.ts';
import { emit, exitOnUnwritableOutputs, loadPlansOrExit, replayedOrExit } from '../plan-io.ts';

export interface FailoverCommandOptions {
  lose: string[];
  each?: 'host' | 'aggregate';
  k?: number;
  failIfStranded: boolean;
  set: string[];
  novaConf: string[];
  seed: number;
  format: OutputFormat;
  output?: string;
}

const AGGREGATE_PREFIX = 'aggregate:';

export function runFailover(paths: string[], options: FailoverCommandOptions): void {
  const chosen = [options.lose.length > 0 && '--lose', options.each !== undefined && '--each', options.k !== undefined && '--k'].filter(Boolean);
  if (chosen.length !== 1) failUsage('give one of --lose HOST|aggregate:NAME, --each host|aggregate or --k N');
  const k = options.k ?? null;
  const plan = loadPlansOrExit(paths, options.set, options.seed, options.novaConf);
  exitOnUnwritableOutputs(options.output);
  const { state, requests } = replayedOrExit(plan);
  const hosts = state.hostNames();
  const lost = lostHosts(options.lose, new Set(hosts), state.aggregateMembers());
  exitOnUsageProblems([
    ...lost.problems,
    ...(k !== null && k > hosts.length ? [`--k ${k}: the plan has only ${plural(hosts.length, 'host')}`] : []),
  ]);
  const failover = new Failover(state);
  let losses: Pick<FailoverReport, 'scenarios' | 'method'>;
  if (k !== null) {
    const { scenario, search } = failover.worstLoss(hosts, k);
    losses = { scenarios: [scenario], method: search };
  } else if (options.each === 'host') {
    losses = { scenarios: failover.each(hosts.map((host) => [host])), method: 'each host' };
  } else if (options.each === 'aggregate') {
    losses = { scenarios: failover.eachAggregate(), method: 'each aggregate' };
  } else {
    losses = { scenarios: [failover.lose(lost.hosts)], method: 'lose' };
  }
  const report: FailoverReport = { ...losses, requests: requests.requestCount };
  emit(options.output, (sink) => renderFailover(report, options.format, (chunk) => sink.write(chunk), { color: sink.color }));
  const stranding = report.scenarios.filter((scenario) => scenario.stranded.length > 0);
  exitOnFailedGates(options.failIfStranded && stranding.length > 0 ? [`--fail-if-stranded: ${strandingText(stranding)}`] : []);
}

/** `2 of 7 scenarios strand instances: losing gen-01 strands web-1, web-2; losing …` */
function strandingText(stranding: readonly FailoverReport['scenarios'][number][]): string {
  const scenarios = stranding.map((scenario) => `losing ${namedList(scenario.lost)} strands ${namedList(scenario.stranded.map((stranded) => stranded.instance))}`);
  const what = stranding.length === 1 ? '1 scenario strands instances' : `${stranding.length} scenarios strand instances`;
  return `${what}: ${namedList(scenarios, '; ')}`;
}

/** The hosts `--lose` names, each once, in inventory order; or what it names that the plan lacks. */
function lostHosts(lose: readonly string[], known: ReadonlySet<string>, aggregates: ReadonlyMap<string, string[]>): { hosts: string[]; problems: string[] } {
  const named = new Set<string>();
  const problems: string[] = [];
  for (const target of lose) {
    if (target.startsWith(AGGREGATE_PREFIX)) {
      const label = target.slice(AGGREGATE_PREFIX.length);
      const members = aggregates.get(label);
      if (members) for (const host of members) named.add(host);
      else problems.push(`--lose ${target}: no host carries aggregate ${label}`);
    } else if (known.has(target)) {
      named.add(target);
    } else {
      problems.push(`--lose ${target}: the plan has no host ${target}`);
    }
  }
  return { hosts: [...known].filter((host) => named.has(host)), problems };
}
