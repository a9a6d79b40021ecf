// What `claimplan expand` does once its options are read: bounds from one walk through
// the requests, then per SKU a search over counts, each count a whole replay, on threads
// when the plan has a trace; the report; the --fail-if gate.
import { countBounds } from '../../engine/expand/bounds.ts';
import type { CountReplay } from '../../engine/expand/replay-at-count.ts';
import { CountSearch } from '../../engine/expand/search.ts';
import type { Position, Sku } from '../../engine/expand/sku.ts';
import { skuNamed } from '../../plan/host-templates.ts';
import { LIMITS } from '../../plan/plan-schema.ts';
import { renderExpand, expandSummary, type ExpandAnswer, type ExpandReport } from '../../report/expand.ts';
import type { OutputFormat } from '../../report/formats.ts';
import { exitOnFailedGates } from '../gates.ts';
import { workerReplayer, type ExpandResult, type ExpandTask, type Replayer } from '../expand-pool.ts';
import { ExpandReplays, InProcessReplayer } from '../expand-replays.ts';
import { exitOnUsageProblems } from '../options.ts';
import { emit, exitOnLateProblems, exitOnStreamProblems, exitOnUnwritableOutputs, loadPlansOrExit } from '../plan-io.ts';
import { Progress } from '../progress.ts';
import { stdinTextIfRead } from '../stdin.ts';

export interface ExpandCommandOptions {
  add: string[];
  target: string;
  position: string;
  failIf: string[];
  exact: boolean;
  jobs?: number;
  set: string[];
  seed: number;
  format: OutputFormat;
  output?: string;
}

/** `--fail-if METRIC OP NUMBER`: what the gate reads of the summary. */
const GATE_METRICS = ['hosts', 'cost', 'rejected'] as const;
type GateMetric = (typeof GATE_METRICS)[number];
const GATE_OPERATORS = ['>=', '<=', '>', '<', '='] as const;

interface Gate {
  text: string;
  metric: GateMetric;
  operator: (typeof GATE_OPERATORS)[number];
  value: number;
}

function parseGate(text: string): Gate | string {
  const match = /^\s*([a-z]+)\s*(>=|<=|>|<|=)\s*(-?[0-9.]+)\s*$/.exec(text);
  const usage = `--fail-if ${text}: must be METRIC OP NUMBER, e.g. 'hosts>10' (quoted: > is a shell redirect); METRIC is ${GATE_METRICS.join(', ')} and OP one of ${GATE_OPERATORS.join(' ')}`;
  if (!match || !Number.isFinite(Number(match[3]))) return usage;
  if (!(GATE_METRICS as readonly string[]).includes(match[1])) return usage;
  return { text, metric: match[1] as GateMetric, operator: match[2] as Gate['operator'], value: Number(match[3]) };
}

function gateFails(gate: Gate, figures: Record<GateMetric, number>): boolean {
  const figure = figures[gate.metric];
  switch (gate.operator) {
    case '>':
      return figure > gate.value;
    case '>=':
      return figure >= gate.value;
    case '<':
      return figure < gate.value;
    case '<=':
      return figure <= gate.value;
    case '=':
      return figure === gate.value;
  }
}

/** `builds`, or `failover:N`: also no loss of N hosts strands an instance an added host could take. */
function parseTarget(text: string): number | null | string {
  if (text === 'builds') return null;
  const match = /^failover:(\d+)$/.exec(text);
  if (!match || Number(match[1]) < 1) return `--target ${text}: must be builds or failover:N, N a whole number of hosts, at least 1`;
  return Number(match[1]);
}

export async function runExpand(paths: string[], options: ExpandCommandOptions): Promise<void> {
  const target = parseTarget(options.target);
  const gates = options.failIf.map(parseGate);
  exitOnUsageProblems([
    ...(options.add.length === 0 ? ['give at least one --add SKU: a host template, a host group or a host of the plan'] : []),
    ...(typeof target === 'string' ? [target] : []),
    ...gates.filter((gate): gate is string => typeof gate === 'string'),
    ...(options.position === 'first' || options.position === 'last' ? [] : [`--position ${options.position}: must be first or last`]),
    ...options.add.filter((name, index) => options.add.indexOf(name) !== index).map((name) => `--add ${name}: given twice`),
  ]);
  const failoverHosts = target as number | null;
  const position = options.position as Position;
  const plan = loadPlansOrExit(paths, options.set, options.seed);
  exitOnUnwritableOutputs(options.output);
  const named = options.add.map((name) => skuNamed(name, plan.cloud.hosts, plan.hostTemplates, (plan.cloud.aggregates ?? []).map((aggregate) => aggregate.name)));
  exitOnUsageProblems(named.flatMap((sku) => (sku.ok ? [] : [sku.error])));
  const skus = named.map((sku) => (sku as { value: Sku }).value);

  const replays = new ExpandReplays(plan, skus, { position, failoverHosts });
  const requests = plan.requests();
  // A thread costs a start and a plan load: worth it for a trace, not for a plan written by
  // hand. How many counts replay at once decides which counts the search tries, so the
  // default is the same on every machine (docs/output.md, "expand"). The threads load the
  // plan while this one walks the requests for the bounds.
  const threads = options.jobs ?? (requests.checksWhileStreaming ? DEFAULT_TRACE_THREADS : 1);
  const replayer =
    threads > 1
      ? workerReplayer({ paths, stdin: stdinTextIfRead(), settingOverrides: options.set, skus: options.add, position, failoverHosts }, threads)
      : new InProcessReplayer(replays);
  const progress = Progress.forReport(options.output);
  const answers: ExpandAnswer[] = [];
  try {
    const bounds = countBounds(plan.cloud, requests, replays.probe(skus.map((_, index) => index)), failoverHosts);
    exitOnStreamProblems(requests);
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
  exitOnFailedGates((gates as Gate[]).filter((gate) => gateFails(gate, figures)).map((gate) => `--fail-if ${gate.text}: ${gateFigureText(gate.metric, figures[gate.metric])}`));
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

/** Past this many replays, the search for the cheapest mix stops with the cheapest found so far, and says so. */
const MIX_REPLAY_LIMIT = 400;

/** The searches behind the answers, sharing the replayer. */
class AnswerSearch {
  constructor(
    private readonly replayer: Replayer,
    private readonly skus: readonly Sku[],
    private readonly exhaustive: boolean,
    private readonly show: (text: string) => void,
  ) {}

  /** The fewest hosts of one SKU. */
  async alone(index: number, lower: number, upper: number, capped: boolean): Promise<ExpandAnswer> {
    const sku = this.skus[index];
    const search = new CountSearch(lower, upper, this.exhaustive);
    const replayed = await this.searchCounts(search, [index], (count) => [count], sku.name);
    const { count, method } = search.result();
    const whole = (at: number) => this.whole([index], [at], replayed.get(at));
    const at = await whole(count ?? upper);
    const fewer = count !== null && count > 0 ? await whole(count - 1) : null;
    return { skus: [{ name: sku.name, cost: sku.cost }], count: count === null ? null : [count], method, capped, at, fewer, names: count === null ? [] : addedNames(sku, count) };
  }

  /**
   * The cheapest mix of every SKU: each count of the SKUs but the last, in order, from 0
   * while what they cost stays below the cheapest mix found, and for each the fewest of
   * the last SKU by the same search as alone (starting from the count the mix before
   * needed). Exact when every such search is, and none was cut short.
   */
  async cheapestMix(uppers: readonly number[], capped: boolean): Promise<ExpandAnswer> {
    const indexes = this.skus.map((_, index) => index);
    const costs = this.skus.map((sku) => sku.cost!);
    const costOf = (counts: readonly number[]) => counts.reduce((sum, count, index) => sum + count * costs[index], 0);
    const total = (counts: readonly number[]) => counts.reduce((sum, count) => sum + count, 0);
    const tried = new Map<string, { counts: number[]; replayed: CountReplay }>();
    let best: number[] | null = null;
    let exact = true;
    let cut = false;
    const cheaper = (counts: number[]) => {
      if (best === null) return true;
      const [cost, bestCost] = [costOf(counts), costOf(best)];
      return cost < bestCost || (cost === bestCost && total(counts) < total(best));
    };
    const last = indexes.length - 1;
    /** The cheapest completion of `prefix` found; null when none meets the target. */
    const visit = async (prefix: number[], likely: number | null): Promise<number[] | null> => {
      if (prefix.length === last) {
        const search = new CountSearch(0, uppers[last], this.exhaustive, likely);
        const replayed = await this.searchCounts(search, indexes, (count) => [...prefix, count], `cheapest mix, ${prefix.join(' + ')} + …`);
        for (const [count, outcome] of replayed) tried.set([...prefix, count].join(','), { counts: [...prefix, count], replayed: outcome });
        const { count, method } = search.result();
        if (method.method !== 'exact') exact = false;
        if (count === null) return null;
        if (cheaper([...prefix, count])) best = [...prefix, count];
        return [count];
      }
      let cheapestTail: number[] | null = null;
      let previous: number[] | null = null;
      for (let count = 0; count <= uppers[prefix.length]; count++) {
        const counts = [...prefix, count];
        if (best !== null && costOf(counts) >= costOf(best)) break;
        if (tried.size >= MIX_REPLAY_LIMIT) {
          cut = true;
          break;
        }
        const tail = await visit(counts, prefix.length === last - 1 ? previous?.[0] ?? null : null);
        if (tail === null) continue;
        cheapestTail ??= [count, ...tail];
        previous = tail;
        // Nothing more of the SKUs after this one is needed: more of this one only costs more.
        if (tail.every((later) => later === 0)) break;
      }
      return cheapestTail;
    };
    await visit([], null);
    const list = [...tried.values()].sort((a, b) => costOf(a.counts) - costOf(b.counts) || a.counts.join(',').localeCompare(b.counts.join(','), 'en', { numeric: true }));
    const method = { method: exact && !cut ? ('exact' as const) : ('bisection' as const), lower_bound: 0, upper_bound: total(uppers), replayed: [], at_least: null };
    const mix = { tried: list.map(({ counts, replayed }) => ({ counts, meets: replayed.meets })), cut };
    const names = (counts: readonly number[]) => counts.flatMap((count, index) => addedNames(this.skus[index], count));
    const skus = this.skus.map((sku) => ({ name: sku.name, cost: sku.cost }));
    const whole = (counts: readonly number[]) => this.whole(indexes, [...counts], tried.get(counts.join(','))?.replayed);
    if (best === null) {
      const at = await whole(uppers);
      return { skus, count: null, method, capped, at, fewer: null, names: [], mix };
    }
    const found: number[] = best;
    const at = await whole(found);
    // One fewer of the last SKU the mix has any of.
    const lastAdded = found.reduce((at, count, index) => (count > 0 ? index : at), -1);
    const reduced = found.map((count, index) => (index === lastAdded ? count - 1 : count));
    const fewer = total(found) > 0 ? await whole(reduced) : null;
    return { skus, count: found, method, capped, at, fewer, names: names(found), mix };
  }

  /** The replay at `counts`, whole: the one the search made, or a new one when it stopped early. */
  private async whole(skus: number[], counts: number[], known: CountReplay | undefined): Promise<CountReplay> {
    return known?.complete ? known : (await this.replayer.run({ skus, counts, stopEarly: false })).replayed;
  }

  /**
   * Runs a search to its end: up to `threads` counts replay at once, and the replays that
   * fall short stop at their first build short of hosts. Results are taken in the order
   * the counts were proposed, whichever thread ends first, so the counts replayed (and
   * the report) depend on the plan and --jobs alone.
   */
  private async searchCounts(search: CountSearch, skus: number[], countsAt: (count: number) => number[], what: string): Promise<Map<number, CountReplay>> {
    const replayed = new Map<number, CountReplay>();
    const running: { count: number; result: Promise<ExpandResult> }[] = [];
    for (;;) {
      while (running.length < this.replayer.threads) {
        const count = search.next(new Set(running.map((run) => run.count)), this.replayer.threads);
        if (count === null) break;
        const task: ExpandTask = { skus, counts: countsAt(count), stopEarly: true };
        running.push({ count, result: this.replayer.run(task) });
      }
      const oldest = running.shift();
      if (oldest === undefined) return replayed;
      const result = await oldest.result;
      exitOnLateProblems(result.problems);
      replayed.set(oldest.count, result.replayed);
      search.record(oldest.count, result.replayed.meets);
      this.show(`${what}: ${replayed.size} counts replayed`);
    }
  }
}

function addedNames(sku: Sku, count: number): string[] {
  return Array.from({ length: count }, (_, index) => sku.hostName(index + 1));
}

/** Added hosts must not take a name the plan (or another SKU's added hosts) already has. */
function nameClashes(skus: readonly Sku[], hosts: readonly string[], upTo: readonly number[]): string[] {
  const taken = new Map(hosts.map((host) => [host, 'a host of the plan']));
  const problems: string[] = [];
  skus.forEach((sku, index) => {
    for (let n = 1; n <= upTo[index]; n++) {
      const name = sku.hostName(n);
      const holder = taken.get(name);
      if (holder !== undefined) {
        problems.push(`--add ${sku.name}: its added host ${name} would have the name of ${holder}`);
        return;
      }
      taken.set(name, `a host --add ${sku.name} adds`);
    }
  });
  return problems;
}
