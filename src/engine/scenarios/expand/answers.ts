// The answers `claimplan expand` gives (docs/semantics.md, "Expand"): for each SKU alone
// the fewest hosts that meet the target, and, when every SKU has a cost, the cheapest mix
// of them; then which answer the summary and the gates read. The replays come from a
// replayer the caller supplies (threads or this thread), so the same search runs either way.
import type { CountReplay } from './replay-at-count.ts';
import { CountSearch, type SearchMethod } from './search.ts';
import type { Position, Sku } from './sku.ts';

/** One replay: hosts of the SKUs at `skus` (indexes into the searched SKUs) added `counts` times. */
export interface CountTask {
  skus: number[];
  counts: number[];
  /** stop at the first build short of hosts: enough to know the count falls short */
  stopEarly: boolean;
}

/** Whatever replays the counts: up to `threads` at once. */
export interface CountReplayer {
  readonly threads: number;
  run(task: CountTask): Promise<CountReplay>;
}

/** One answer: the fewest hosts of one SKU (or of a set of SKUs together) that meet the target. */
export interface ExpandAnswer {
  skus: { name: string; cost: number | null }[];
  /** hosts of each SKU to add; null when no count up to the upper bound meets the target */
  count: number[] | null;
  method: SearchMethod;
  /** the upper bound was cut to the hosts a plan may hold (docs/limits.md) */
  capped: boolean;
  /** the replay at the count found, or at the upper bound when none was */
  at: CountReplay;
  /** the replay at one fewer; null when none are needed or none was found */
  fewer: CountReplay | null;
  /** the added hosts' names, in the order they are listed */
  names: string[];
  /** the cheapest mix of several SKUs: every mix replayed, cheapest first, and whether the search was cut short */
  mix?: { tried: { counts: number[]; meets: boolean }[]; cut: boolean };
}

/** What `claimplan expand` found: one answer per `--add`, then the cheapest mix when asked. */
export interface ExpandReport {
  /** requests replayed each time */
  requests: number;
  position: Position;
  /** `--target failover:N`: N; null for builds alone */
  failover: number | null;
  /** one per `--add`, in the order given */
  answers: ExpandAnswer[];
}

/** What the summary says, from the best answer (bestAnswer). */
export interface ExpandSummary {
  /** the answer with the fewest hosts (the cheapest, when every SKU has a cost), by what it adds */
  add: string | null;
  found: boolean;
  /** null when no answer meets the target */
  hosts: number | null;
  cost: number | null;
  /** builds rejected at that count, none of which an added host could take */
  rejected: number;
  method: SearchMethod['method'] | null;
  replays: number;
}

/** Past this many replays, the search for the cheapest mix stops with the cheapest found so far, and says so. */
export const MIX_REPLAY_LIMIT = 400;

function sum(counts: readonly number[]): number {
  return counts.reduce((total, count) => total + count, 0);
}

/** What `counts` hosts of SKUs with these costs cost. */
function costOfCounts(counts: readonly number[], costs: readonly number[]): number {
  return counts.reduce((total, count, index) => total + count * costs[index], 0);
}

/** Hosts an answer adds; null when it found none. */
export function hostsOf(answer: ExpandAnswer): number | null {
  return answer.count === null ? null : sum(answer.count);
}

/** What an answer costs; null when it found none or a SKU has no cost. */
export function costOf(answer: ExpandAnswer): number | null {
  if (answer.count === null || answer.skus.some((sku) => sku.cost === null)) return null;
  return costOfCounts(answer.count, answer.skus.map((sku) => sku.cost!));
}

/** What an answer adds, by SKU: `r640`, or `gen + mem` for a mix. */
export function answerSkus(answer: ExpandAnswer): string {
  return answer.skus.map((sku) => sku.name).join(' + ');
}

/** The answer the summary and `--fail-if` read: the cheapest when every answer has a cost, else the fewest hosts; the first on a tie. */
export function bestAnswer(answers: readonly ExpandAnswer[]): ExpandAnswer | null {
  const found = answers.filter((answer) => answer.count !== null);
  if (found.length === 0) return null;
  const byCost = found.every((answer) => costOf(answer) !== null);
  const figure = (answer: ExpandAnswer) => (byCost ? costOf(answer)! : hostsOf(answer)!);
  return found.reduce((best, answer) => (figure(answer) < figure(best) ? answer : best));
}

export function expandSummary(report: ExpandReport): ExpandSummary {
  const best = bestAnswer(report.answers);
  const replays = report.answers.reduce((total, answer) => total + (answer.mix?.tried.length ?? answer.method.replayed.length), 0);
  if (best === null) return { add: null, found: false, hosts: null, cost: null, rejected: 0, method: null, replays };
  return { add: answerSkus(best), found: true, hosts: hostsOf(best), cost: costOf(best), rejected: best.at.rejected, method: best.method.method, replays };
}

/** The names `count` added hosts of a SKU take, in the order they are listed. */
export function addedNames(sku: Sku, count: number): string[] {
  return Array.from({ length: count }, (_, index) => sku.hostName(index + 1));
}

/** Added hosts must not take a name the plan (or another SKU's added hosts) already has: one problem per SKU that would. */
export function nameClashes(skus: readonly Sku[], hosts: readonly string[], upTo: readonly number[]): string[] {
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

/** Whole replays are kept by the SKUs and counts they add. */
function wholeKey(skus: readonly number[], counts: readonly number[]): string {
  return `${skus.join(',')}:${counts.join(',')}`;
}

/** The searches behind the answers, sharing one replayer. */
export class AnswerSearch {
  /** whole replays asked for or begun ahead, by SKUs and counts */
  private readonly wholes = new Map<string, Promise<CountReplay>>();
  /** whole replays begun ahead and not yet done */
  private wholesAhead = 0;

  constructor(
    private readonly replayer: CountReplayer,
    private readonly skus: readonly Sku[],
    /** replay every count below the answer, so that it is exact even where bisection would stop */
    private readonly exhaustive: boolean,
    /** told how far each search is, for a progress line */
    private readonly onProgress: (text: string) => void = () => {},
  ) {}

  /** The fewest hosts of the SKU at `index` alone, searched between `lower` and `upper`. */
  async alone(index: number, lower: number, upper: number, capped: boolean): Promise<ExpandAnswer> {
    const sku = this.skus[index];
    const search = new CountSearch(lower, upper, this.exhaustive);
    const replayed = await this.searchCounts(search, [index], (count) => [count], sku.name);
    const { count, method } = search.result();
    const whole = (at: number) => this.whole([index], [at], replayed.get(at));
    const [at, fewer] = await Promise.all([whole(count ?? upper), count !== null && count > 0 ? whole(count - 1) : null]);
    return { skus: [{ name: sku.name, cost: sku.cost }], count: count === null ? null : [count], method, capped, at, fewer, names: count === null ? [] : addedNames(sku, count) };
  }

  /**
   * The cheapest mix of every SKU (each must have a cost): each count of the SKUs but the
   * last, in order, from 0 while what they cost stays below the cheapest mix found, and for
   * each the fewest of the last SKU by the same search as alone (starting from the count
   * the mix before needed). Exact when every such search is, and none was cut short.
   */
  async cheapestMix(uppers: readonly number[], capped: boolean): Promise<ExpandAnswer> {
    const mix = new MixSearch(this, this.skus.map((sku) => sku.cost!), uppers, this.exhaustive);
    await mix.visit([], null);
    const indexes = this.skus.map((_, index) => index);
    const skus = this.skus.map((sku) => ({ name: sku.name, cost: sku.cost }));
    const method: SearchMethod = { method: mix.exact && !mix.cut ? 'exact' : 'bisection', lower_bound: 0, upper_bound: sum(uppers), replayed: [], at_least: null };
    const tried = mix.triedCheapestFirst();
    const whole = (counts: readonly number[]) => this.whole(indexes, [...counts], mix.replayOf(counts));
    const found = mix.best;
    if (found === null) return { skus, count: null, method, capped, at: await whole(uppers), fewer: null, names: [], mix: { tried, cut: mix.cut } };
    // One fewer of the last SKU the mix has any of.
    const lastAdded = found.reduce((at, count, index) => (count > 0 ? index : at), -1);
    const fewer = sum(found) > 0 ? await whole(found.map((count, index) => (index === lastAdded ? count - 1 : count))) : null;
    const names = found.flatMap((count, index) => addedNames(this.skus[index], count));
    return { skus, count: found, method, capped, at: await whole(found), fewer, names, mix: { tried, cut: mix.cut } };
  }

  /** The replay at `counts`, whole: the one the search made, or a new one when it stopped early (or one begun while a thread was free). */
  private async whole(skus: number[], counts: number[], known: CountReplay | undefined): Promise<CountReplay> {
    if (known?.complete) return known;
    const key = wholeKey(skus, counts);
    let replay = this.wholes.get(key);
    if (replay === undefined) this.wholes.set(key, (replay = this.replayer.run({ skus, counts, stopEarly: false })));
    return replay;
  }

  /**
   * Runs a search to its end: up to `threads` counts replay at once, each run whole or
   * stopped at its first build short of hosts as the search asks. Results are taken in the order
   * the counts were proposed, whichever thread ends first, so the counts replayed (and
   * the report) depend on the plan and the threads alone.
   */
  async searchCounts(search: CountSearch, skus: number[], countsAt: (count: number) => number[], what: string): Promise<Map<number, CountReplay>> {
    const replayed = new Map<number, CountReplay>();
    const running: { count: number; result: Promise<CountReplay> }[] = [];
    for (;;) {
      while (running.length < this.replayer.threads) {
        const count = search.next(new Set(running.map((run) => run.count)), this.replayer.threads);
        if (count === null) {
          this.replayFewerAhead(skus, countsAt, replayed, running);
          break;
        }
        running.push({ count, result: this.replayer.run({ skus, counts: countsAt(count), stopEarly: !search.replaysWhole(count) }) });
      }
      const oldest = running.shift();
      if (oldest === undefined) return replayed;
      const result = await oldest.result;
      replayed.set(oldest.count, result);
      search.record(oldest.count, result.meets, result.complete ? result.shortfall : null);
      this.onProgress(`${what}: ${replayed.size} counts replayed`);
    }
  }

  /**
   * With nothing for a free thread to search, the whole replay the answer will want as its
   * `fewer` if the count above a count that fell short (and stopped early) meets the
   * target, or is being replayed: begun now, it runs beside the search's last replays
   * rather than after them. What it finds is the same, and the counts the search tries do
   * not change.
   */
  private replayFewerAhead(skus: number[], countsAt: (count: number) => number[], replayed: ReadonlyMap<number, CountReplay>, running: readonly { count: number }[]): void {
    if (running.length === 0 || this.wholesAhead >= this.replayer.threads - running.length) return;
    const above = (count: number) => replayed.get(count + 1)?.meets === true || running.some((run) => run.count === count + 1);
    const candidates = [...replayed].filter(([count, replay]) => !replay.complete && above(count)).sort(([a], [b]) => a - b);
    for (const [count, replay] of candidates) {
      const counts = countsAt(count);
      if (this.wholes.has(wholeKey(skus, counts))) continue;
      this.wholesAhead++;
      // A failure shows where the answer awaits this replay; unused, it is dropped.
      this.whole(skus, counts, replay)
        .finally(() => this.wholesAhead--)
        .catch(() => {});
      return;
    }
  }
}

/** The cheapest mix's walk over the counts of every SKU but the last (AnswerSearch.cheapestMix). */
class MixSearch {
  best: number[] | null = null;
  exact = true;
  cut = false;
  private readonly tried = new Map<string, { counts: number[]; replayed: CountReplay }>();
  private readonly last: number;

  constructor(
    private readonly answers: AnswerSearch,
    private readonly costs: readonly number[],
    private readonly uppers: readonly number[],
    private readonly exhaustive: boolean,
  ) {
    this.last = costs.length - 1;
  }

  replayOf(counts: readonly number[]): CountReplay | undefined {
    return this.tried.get(counts.join(','))?.replayed;
  }

  triedCheapestFirst(): { counts: number[]; meets: boolean }[] {
    return [...this.tried.values()]
      .sort((a, b) => costOfCounts(a.counts, this.costs) - costOfCounts(b.counts, this.costs) || a.counts.join(',').localeCompare(b.counts.join(','), 'en', { numeric: true }))
      .map(({ counts, replayed }) => ({ counts, meets: replayed.meets }));
  }

  private cheaper(counts: number[]): boolean {
    if (this.best === null) return true;
    const [cost, bestCost] = [costOfCounts(counts, this.costs), costOfCounts(this.best, this.costs)];
    return cost < bestCost || (cost === bestCost && sum(counts) < sum(this.best));
  }

  /** The cheapest completion of `prefix` found; null when none meets the target. */
  async visit(prefix: number[], likely: number | null): Promise<number[] | null> {
    if (prefix.length === this.last) return this.lastSku(prefix, likely);
    let cheapestTail: number[] | null = null;
    let previous: number[] | null = null;
    for (let count = 0; count <= this.uppers[prefix.length]; count++) {
      const counts = [...prefix, count];
      if (this.best !== null && costOfCounts(counts, this.costs) >= costOfCounts(this.best, this.costs)) break;
      if (this.tried.size >= MIX_REPLAY_LIMIT) {
        this.cut = true;
        break;
      }
      const tail = await this.visit(counts, prefix.length === this.last - 1 ? previous?.[0] ?? null : null);
      if (tail === null) continue;
      cheapestTail ??= [count, ...tail];
      previous = tail;
      // Nothing more of the SKUs after this one is needed: more of this one only costs more.
      if (tail.every((later) => later === 0)) break;
    }
    return cheapestTail;
  }

  /** The fewest of the last SKU after `prefix`, by the same search as a SKU alone. */
  private async lastSku(prefix: number[], likely: number | null): Promise<number[] | null> {
    const indexes = this.costs.map((_, index) => index);
    const search = new CountSearch(0, this.uppers[this.last], this.exhaustive, likely);
    const replayed = await this.answers.searchCounts(search, indexes, (count) => [...prefix, count], `cheapest mix, ${prefix.join(' + ')} + …`);
    for (const [count, outcome] of replayed) this.tried.set([...prefix, count].join(','), { counts: [...prefix, count], replayed: outcome });
    const { count, method } = search.result();
    if (method.method !== 'exact') this.exact = false;
    if (count === null) return null;
    if (this.cheaper([...prefix, count])) this.best = [...prefix, count];
    return [count];
  }
}
