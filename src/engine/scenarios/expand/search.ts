// The search over counts of one SKU (docs/semantics.md, "Expand"): from the lower bound
// toward the upper (bounds.ts), led by estimates from how far the counts replayed fell
// short, else doubling then bisecting, with the smaller counts checked when few are left.
// Pure: the command drives it and runs the replays, on threads when it likes
// (src/cli/run/expand.ts).

/** How the search found its count. */
export interface SearchMethod {
  /**
   * exact: every smaller count is known to fall short, by arithmetic (below the lower
   * bound) or by a replay; bisection: the count meets the target and one fewer does not,
   * but some smaller counts were not replayed (docs/semantics.md, "Expand")
   */
  method: 'exact' | 'bisection';
  lower_bound: number;
  upper_bound: number;
  /** the counts replayed, ascending, and whether each met the target */
  replayed: { count: number; meets: boolean }[];
  /**
   * How far the count found may be from the fewest hosts that meet the target: every count
   * below this one is known to fall short, so the fewest lie between it and the count
   * found (the count itself when exact; with bisection, the smallest count from the lower
   * bound not replayed). Null when none was found.
   */
  at_least: number | null;
}

/** When no more than this many counts below the answer are unreplayed, they are replayed, to make it exact. */
export const EXACT_CHECK_LIMIT = 4;

/**
 * How many counts a search proposes from estimates; after them it doubles and bisects, so
 * that estimates which keep missing cost a bounded number of replays.
 */
export const ESTIMATED_COUNTS = 8;

const ESTIMATE_PENDING = 'pending';

/** An estimate at most this many counts above the last count that fell short is near enough that the counts next to it are replayed beside it. */
export const NEAR_ESTIMATE = 4;

/**
 * The search over counts of one SKU, as a state machine the command drives: it proposes
 * a count to replay whenever a thread is free, is told whether each met the target (and,
 * for a replay run to its end, its shortfall: how many added hosts' worth of instances
 * found no host at the worst moment), and ends with the smallest count it found that
 * does, one fewer replayed too.
 *
 * From the lower bound (fewer cannot hold the peak demand), each count that fell short
 * with a shortfall gives an estimate: where the shortfall of the last two such counts,
 * taken as a straight line, reaches zero, or, with one, that count plus its shortfall
 * once, twice, … (each added host taking one host's worth, a half, …), one estimate per
 * thread. With no estimate to make, it doubles the count until one meets the target, the
 * upper bound (past which one surely does) at most, then bisects between the last count
 * that fell short and the first that met it, splitting the widest gap left between the
 * counts known or being replayed. Adding hosts is not monotone under Nova's weighers, so
 * the search finds a count that meets the target with one fewer that does not, which is
 * the smallest only if no count below meets it. That is known when the count is the
 * lower bound, or when every count from the lower bound up was replayed; otherwise up to
 * EXACT_CHECK_LIMIT unreplayed counts below are replayed (all of them with `exhaustive`),
 * else the method says `bisection`.
 */
export class CountSearch {
  private readonly known = new Map<number, boolean>();
  /** per count replayed to its end that fell short: its shortfall, in added hosts */
  private readonly shortfalls = new Map<number, number>();
  /** the counts proposed whose replay must run to its end: for an estimate, or to be reported */
  private readonly wholeWanted = new Set<number>();
  private estimatesLeft = ESTIMATED_COUNTS;
  /** the counts proposed as estimates, and the estimates made last, from which free threads take theirs */
  private readonly estimated = new Set<number>();
  private batch: number[] = [];

  constructor(
    readonly lower: number,
    readonly upper: number,
    private readonly exhaustive = false,
    /** a count likely to meet the target, replayed first (a mix's answer for one host fewer of another SKU) */
    private readonly likely: number | null = null,
  ) {}

  /** What the replay at `count` found; `shortfall` when it ran to its end and fell short. */
  record(count: number, meets: boolean, shortfall: number | null = null): void {
    this.known.set(count, meets);
    if (!meets && shortfall !== null) this.shortfalls.set(count, shortfall);
  }

  /** Whether the replay at a count this search proposed must run to its end, rather than stop at its first build short of hosts. */
  replaysWhole(count: number): boolean {
    return this.wholeWanted.has(count);
  }

  /** The smallest count known to meet the target; the upper bound, unreplayed, when none is. */
  private get hi(): number {
    let best = Infinity;
    for (const [count, meets] of this.known) if (meets && count < best) best = count;
    return Number.isFinite(best) ? best : this.upper;
  }

  /** The largest count below `hi` known to fall short: by a replay, or below the lower bound. */
  private loBelow(hi: number): number {
    let lo = this.lower - 1;
    for (const [count, meets] of this.known) if (!meets && count < hi && count > lo) lo = count;
    return lo;
  }

  /**
   * The count to replay next, with `pending` those being replayed and `threads` how many
   * may run at once; null when none is worth replaying until they end (or, with none
   * pending, when the search is over).
   */
  next(pending: ReadonlySet<number> = new Set(), threads = 1): number | null {
    const count = this.proposal(pending, threads);
    // While estimates lead, a replay that falls short is worth its shortfall, so it runs to
    // its end; so does the one below a count that meets, which the report shows whole.
    if (count !== null && (this.estimatesLeft > 0 || this.known.get(count + 1) === true)) this.wholeWanted.add(count);
    return count;
  }

  private proposal(pending: ReadonlySet<number>, threads: number): number | null {
    const hi = this.hi;
    if (this.known.get(hi) === false) return null;
    const lo = this.loBelow(hi);
    const wanted = (count: number) => !this.known.has(count) && !pending.has(count);
    if (this.likely !== null && this.likely > lo && this.likely < hi && wanted(this.likely)) return this.likely;
    if (hi - lo > 1) {
      // From the lower bound first: fewer hosts cannot hold the peak demand.
      if (this.lower > lo && this.lower < hi && wanted(this.lower)) return this.lower;
      const estimate = this.estimate(lo, hi, pending, threads);
      if (estimate !== null) return estimate === ESTIMATE_PENDING ? null : estimate;
    }
    if (!this.known.has(hi) && hi - lo > 1) {
      // Nothing met the target yet: doubling, up to the upper bound.
      const reached = Math.max(lo, this.lower, ...[...pending]);
      const count = Math.min(hi, Math.max(2 * reached, reached + 1));
      return wanted(count) ? count : null;
    }
    if (hi - lo > 1) {
      // With `threads` replays at once, the gap is best cut in threads + 1 even parts: the
      // first such point no replay running is near, else the middle of the widest gap left.
      const inside = [...pending].filter((count) => count > lo && count < hi).sort((a, b) => a - b);
      const part = (hi - lo) / (threads + 1);
      for (let k = 1; k <= threads; k++) {
        const point = lo + Math.round(k * part);
        if (point > lo && point < hi && inside.every((count) => Math.abs(count - point) > part / 2)) return point;
      }
      const marks = [lo, ...inside, hi];
      let widest = 0;
      for (let i = 1; i < marks.length; i++) if (marks[i] - marks[i - 1] > marks[widest + 1] - marks[widest]) widest = i - 1;
      const gap = marks[widest + 1] - marks[widest];
      return gap > 1 ? marks[widest] + Math.floor(gap / 2) : null;
    }
    // The upper bound itself is replayed only when nothing below it met the target.
    if (!this.known.has(hi)) return wanted(hi) ? hi : null;
    // The count found; one fewer is replayed for the report, below the lower bound too.
    if (hi > 0 && !this.known.has(hi - 1)) return wanted(hi - 1) ? hi - 1 : null;
    const unknown = this.unreplayedBelow(hi);
    if (this.exhaustive || unknown.length <= EXACT_CHECK_LIMIT) return unknown.find(wanted) ?? null;
    return null;
  }

  /**
   * A count between `lo` and `hi` the shortfalls point to, not yet known or being replayed;
   * ESTIMATE_PENDING when the estimates made last are still being replayed (what they find
   * will say more than any count proposed beside them); null when there is none, or the
   * search has made its estimates.
   */
  private estimate(lo: number, hi: number, pending: ReadonlySet<number>, threads: number): number | typeof ESTIMATE_PENDING | null {
    if (this.estimatesLeft === 0) return null;
    const waiting = [...pending].some((count) => this.estimated.has(count));
    if (!waiting) this.batch = this.estimates(lo, hi, threads);
    const count = this.batch.find((candidate) => candidate > lo && candidate < hi && !this.known.has(candidate) && !pending.has(candidate));
    if (count === undefined) return waiting ? ESTIMATE_PENDING : null;
    this.estimated.add(count);
    this.estimatesLeft--;
    return count;
  }

  /**
   * The counts the shortfalls point to, best first, up to one per thread. With two counts
   * or more that fell short, by less the more hosts they had: where the line through the
   * shortfalls of the first and the last reaches zero. Adding hosts helps less as the cloud
   * nears enough (the new hosts share the builds with room left on the others), so this
   * line is steeper than the last stretch and the estimate errs low. When it is near
   * (NEAR_ESTIMATE), the counts next to it follow, the one below first: with it replayed,
   * an estimate that meets is the answer. With one count, or a shortfall that did not
   * shrink: the last count plus its shortfall once, twice, … (each added host taking one
   * host's worth, a half, …).
   */
  private estimates(lo: number, hi: number, threads: number): number[] {
    const points = [...this.shortfalls].filter(([count, shortfall]) => count <= lo && shortfall > 0).sort(([a], [b]) => a - b);
    if (points.length === 0) return [];
    const [first, firstShortfall] = points[0];
    const [last, shortfall] = points.at(-1)!;
    const inRange = (count: number) => Math.min(hi - 1, Math.max(lo + 1, count));
    if (last > first && firstShortfall > shortfall) {
      const perHost = (firstShortfall - shortfall) / (last - first);
      const zero = inRange(last + Math.ceil(shortfall / perHost - 1e-9));
      const counts = [zero];
      if (zero - last <= NEAR_ESTIMATE) for (let step = 1; counts.length < threads && step <= NEAR_ESTIMATE; step++) counts.push(zero - step, zero + step);
      return counts.map(inRange);
    }
    return Array.from({ length: threads }, (_, share) => inRange(last + Math.ceil((share + 1) * shortfall - 1e-9)));
  }

  private unreplayedBelow(count: number): number[] {
    const unknown: number[] = [];
    for (let below = Math.max(this.lower, 0); below < count; below++) if (!this.known.has(below)) unknown.push(below);
    return unknown;
  }

  /** The count found (null when even the upper bound fell short) and how. */
  result(): { count: number | null; method: SearchMethod } {
    const hi = this.hi;
    const found = this.known.get(hi) === true ? hi : null;
    const replayed = [...this.known].map(([count, meets]) => ({ count, meets })).sort((a, b) => a.count - b.count);
    const unreplayed = found === null ? [] : this.unreplayedBelow(found);
    const method = unreplayed.length === 0 ? 'exact' : 'bisection';
    return { count: found, method: { method, lower_bound: this.lower, upper_bound: this.upper, replayed, at_least: found === null ? null : (unreplayed[0] ?? found) } };
  }
}
