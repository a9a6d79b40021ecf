// What `claimplan expand` does once its options are read: bounds from one walk through
// the requests, then per SKU a search over counts, each count a whole replay, on threads
// when the plan has a trace; the report; the --fail-if gate.
import { countBounds } from '../../engine/scenarios/expand/bounds.ts';
import { AnswerSearch, expandSummary, nameClashes, type ExpandAnswer, type ExpandReport } from '../../engine/scenarios/expand/answers.ts';
import { SkuProbe, type Position, type Sku } from '../../engine/scenarios/expand/sku.ts';
import { skuNamed } from '../../plan/host-templates.ts';
import { LIMITS } from '../../plan/limits.ts';
import { renderExpand } from '../../report/expand.ts';
import type { OutputFormat } from '../../report/formats.ts';
import { gateFails, type Gate } from '../arguments.ts';
import { exitOnFailedGates } from '../gates.ts';
import { workerReplayer } from '../expand-pool.ts';
import { ExpandReplays, InProcessReplayer } from '../expand-replays.ts';
import { exitOnUsageProblems } from '../options.ts';
import { emit, exitOnStreamProblems, exitOnUnwritableOutputs, loadPlansOrExit } from '../plan-io.ts';
import { Progress } from '../progress.ts';
import { RequestEncoder, SharedRequestReader } from '../encoded-requests.ts';

export interface ExpandCommandOptions {
  add: string[];
  /** null: builds; N: failover:N */
  target: number | null;
  position: Position;
  failIf: Gate<GateMetric>[];
  exact: boolean;
  jobs?: number;
  set: string[];
  novaConf: string[];
  seed: number;
  format: OutputFormat;
  output?: string;
}

/** What `--fail-if` reads of the summary. */
export const EXPAND_GATE_METRICS = ['hosts', 'cost', 'rejected'] as const;
type GateMetric = (typeof EXPAND_GATE_METRICS)[number];

export async function runExpand(paths: string[], options: ExpandCommandOptions): Promise<void> {
  exitOnUsageProblems([
    ...(options.add.length === 0 ? ['give at least one --add SKU: a host template, a host group or a host of the plan'] : []),
    ...options.add.filter((name, index) => options.add.indexOf(name) !== index).map((name) => `--add ${name}: given twice`),
  ]);
  const { target: failoverHosts, position } = options;
  const plan = loadPlansOrExit(paths, options.set, options.seed, options.novaConf);
  exitOnUnwritableOutputs(options.output);
  const named = options.add.map((name) => skuNamed(name, plan.cloud.hosts, plan.hostTemplates, (plan.cloud.aggregates ?? []).map((aggregate) => aggregate.name)));
  exitOnUsageProblems(named.flatMap((sku) => (sku.ok ? [] : [sku.error])));
  const skus = named.map((sku) => (sku as { value: Sku }).value);

  const requests = plan.requests();
  // One walk through the requests both finds the bounds and encodes them, so that every
  // replay after it, on threads or here, reads no trace (docs/contributing.md, "Sweeps in parallel").
  const encoder = new RequestEncoder();
  const bounds = countBounds(plan.cloud, encoder.tap(requests), new SkuProbe(plan.cloud, skus), failoverHosts);
  exitOnStreamProblems(requests);
  const shared = encoder.finish();
  // A thread costs a start: worth it for a trace, not for a plan written by hand. How many
  // counts replay at once decides which counts the search tries, so the default is the
  // same on every machine (docs/output.md, "expand").
  const threads = options.jobs ?? (requests.checksWhileStreaming ? DEFAULT_TRACE_THREADS : 1);
  const replayer =
    threads > 1
      ? workerReplayer({ cloud: plan.cloud, hostTemplates: plan.hostTemplates.map(({ name, spec, cost }) => ({ name, spec, cost })), requests: shared, skus: options.add, position, failoverHosts }, threads)
      : new InProcessReplayer(new ExpandReplays(plan.cloud, new SharedRequestReader(shared), skus, { position, failoverHosts }));
  const progress = Progress.forReport(options.output);
  const answers: ExpandAnswer[] = [];
  try {
    // A plan holds at most so many hosts (docs/limits.md): the search stays within them.
    const room = LIMITS.hostsPerPlan - plan.cloud.hosts.length;
    const uppers = bounds.map((bound) => Math.min(bound.upper, room));
    exitOnUsageProblems(nameClashes(skus, plan.cloud.hosts.map((host) => host.name), uppers));
    const searcher = new AnswerSearch(replayer, skus, options.exact, (text) => progress.update(() => `expand: ${text}`));
    for (const [index, bound] of bounds.entries()) answers.push(await searcher.alone(index, Math.min(bound.lower, uppers[index]), uppers[index], bound.upper > room));
    // The cheapest mix, when every SKU says what it costs (docs/semantics.md, "Expand").
    if (skus.length > 1 && skus.every((sku) => sku.cost !== null)) answers.push(await searcher.cheapestMix(uppers, bounds.some((bound, index) => bound.upper > uppers[index])));
  } finally {
    replayer.close();
    progress.done();
  }
  const report: ExpandReport = { requests: requests.requestCount, position, failover: failoverHosts, answers };
  emit(options.output, (sink) => renderExpand(report, options.format, (chunk) => sink.write(chunk), { color: sink.color }));
  const summary = expandSummary(report);
  const figures = { hosts: summary.hosts ?? Infinity, cost: summary.cost ?? (summary.found ? 0 : Infinity), rejected: summary.rejected };
  exitOnFailedGates(options.failIf.filter((gate) => gateFails(gate, figures)).map((gate) => `--fail-if ${gate.text}: ${gateFigureText(gate.metric, figures[gate.metric])}`));
}

/** What the summary's answer says of a gate's metric, for the line of a gate that failed. */
function gateFigureText(metric: GateMetric, figure: number): string {
  if (figure === Infinity) return 'no answer meets the target';
  switch (metric) {
    case 'hosts':
      return `the answer adds ${figure} host${figure === 1 ? '' : 's'}`;
    case 'cost':
      return `the answer costs ${figure}`;
    case 'rejected':
      return `${figure} build${figure === 1 ? '' : 's'} no added host could take ${figure === 1 ? 'is' : 'are'} rejected`;
  }
}

/** Counts replayed at once for a plan with a trace, unless --jobs says otherwise. */
const DEFAULT_TRACE_THREADS = 2;
