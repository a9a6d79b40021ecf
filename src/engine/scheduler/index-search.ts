// One scheduled request's search of the host indexes (host-index.ts; docs/semantics.md,
// "Weighing"): each index weigher's highest and lowest raw weight among the hosts that pass,
// which normalise it, then the best-weighed hosts that pass. Each host the indexes propose is
// tested once, by the filters that read usage and by its capacity model, and set aside for
// the rest of the request when it fails; the indexes take every host set aside back after it.
//
// A scheduler decides one request at a time, so one search serves all of its requests, its
// working sets emptied for each: a replay schedules up to a million builds, and the closures,
// sets and maps made afresh for each were a fifth of all it allocated (docs/contributing.md,
// "Scale").
import type { HostTest } from '../core/host-test.ts';
import type { ComputeNode } from '../core/compute-node.ts';
import type { ClaimAudit, CloudSettings } from '../core/model.ts';
import type { RequestSpec } from '../core/request-spec.ts';
import type { CapacityModel } from '../models/capacity-model.ts';
import type { HostIndex, Threshold, WeighingTerm } from './host-index.ts';
import { clampedWeight, hostWeight, normalizerOf, NOTHING_WEIGHED, type Normalizer, type Weighed } from './weighing.ts';
import { NO_GROUP, type HostWeigher } from './weighers/index.ts';

/** A host whose test passed, and that test. */
export interface Passed {
  node: ComputeNode;
  test: HostTest;
}

/** An index that proposes hosts for a request, and what the request needs of each host's room. */
export interface IndexDemand {
  index: HostIndex;
  demand: readonly number[];
}

export interface SearchRequest {
  spec: RequestSpec;
  indexes: readonly IndexDemand[];
  /** per index weigher: whether some host in scope gives it a multiplier other than 0 */
  active: readonly boolean[];
  /** the filters that read usage, as one check of a host: why it is refused, or null; null without such filters */
  usage: ((node: ComputeNode) => string | null) | null;
  /** a move's source (ignore_hosts), set aside from the start as a refused host is; null for a build */
  ignored: ComputeNode | null;
  /** whether each host's test keeps Nova's audit lines (`--verbose`) */
  audit: boolean;
}

export interface SearchResult {
  /** best first: the first host_subset_size hosts that pass and, when shuffling, every host tied with the first */
  ranked: Weighed<Passed>[];
  /** whether a host tested was an allocation candidate, which decides Nova's reason when none passes */
  candidateFound: boolean;
  /** each tested host's audit lines, when asked for */
  audit: ClaimAudit[];
}

export class IndexSearch {
  private readonly hostSubsetSize: number;
  private readonly keepTies: boolean;
  /** per term of weight_classes, its normalizer this request: an index weigher's, or null for a weigher every host weighs alike */
  private readonly termNormalizers: (Normalizer | null)[];
  /** per index weigher, its normalizer this request */
  private readonly normalizers: (Normalizer | null)[];

  // What the request being searched has found so far.
  private request: SearchRequest | null = null;
  /** by plan position, the test the request made of each host it tested (emptied host by host after it: clearing a map costs more than a request) */
  private readonly testOf: (HostTest | null)[];
  private readonly tested: ComputeNode[] = [];
  private readonly refused: ComputeNode[] = [];
  private candidateFound = false;
  private audit: ClaimAudit[] = [];
  /** the hosts found at an extreme that pass: the ranking starts from them */
  private readonly found: ComputeNode[] = [];
  private ranked: Weighed<Passed>[] = [];
  /** by plan position, 1 for each host in `ranked` while the request ranks them */
  private readonly inRanked: Uint8Array;
  /** what a host must beat to be kept, raised as hosts are ranked */
  private readonly threshold: Threshold = { weight: -Infinity, position: Infinity };

  constructor(
    /** weight_classes, in order */
    private readonly weighers: readonly HostWeigher[],
    /** the weighers the indexes keep raw weights for */
    private readonly indexWeighers: readonly HostWeigher[],
    /** weight_classes as the indexes' searches read them */
    private readonly terms: readonly WeighingTerm[],
    private readonly modelOf: (node: ComputeNode) => CapacityModel,
    settings: CloudSettings,
    /** how many hosts the plan has */
    hostCount: number,
  ) {
    this.testOf = new Array<HostTest | null>(hostCount).fill(null);
    this.inRanked = new Uint8Array(hostCount);
    this.hostSubsetSize = settings.host_subset_size;
    this.keepTies = settings.shuffle_best_same_weighed_hosts;
    this.termNormalizers = terms.map(() => null);
    this.normalizers = indexWeighers.map(() => null);
  }

  /** The best-weighed hosts that pass for `request`, in Nova's order; none when no host passes. */
  search(request: SearchRequest): SearchResult {
    this.begin(request);
    if (request.ignored !== null) this.setAside(request.ignored);
    let anyPasses = true;
    for (let at = 0; at < this.indexWeighers.length && anyPasses; at++) {
      if (!request.active[at]) continue;
      const weigher = this.indexWeighers[at];
      const highest = this.extreme(at, 1);
      const lowest = highest === null || weigher.minval !== null ? highest : this.extreme(at, -1);
      if (highest === null || lowest === null) anyPasses = false;
      else {
        this.normalizers[at] = normalizerOf(weigher, clampedWeight(weigher, lowest, NO_GROUP), clampedWeight(weigher, highest, NO_GROUP));
        this.addFound(highest);
        this.addFound(lowest);
      }
    }
    if (anyPasses) this.rankBest();
    for (const node of this.refused) for (const { index } of request.indexes) index.update(node);
    this.end();
    return { ranked: this.ranked, candidateFound: this.candidateFound, audit: this.audit };
  }

  /** Starts a request with nothing found. */
  private begin(request: SearchRequest): void {
    this.request = request;
    this.ranked = [];
    this.refused.length = 0;
    this.candidateFound = false;
    this.audit = [];
    this.found.length = 0;
    this.normalizers.fill(null);
  }

  /** Takes back the marks by plan position, so that the next request starts without them, and holds on to no test. */
  private end(): void {
    for (const node of this.tested) this.testOf[node.index] = null;
    this.tested.length = 0;
    for (const { candidate } of this.ranked) this.inRanked[candidate.node.index] = 0;
    this.request = null;
  }

  /** Whether the host passes the request's filters and its model's test, tested once; a host that fails is set aside. */
  private passes(node: ComputeNode): boolean {
    const known = this.testOf[node.index];
    if (known !== null) return known.reasons.length === 0;
    const { spec, usage, audit } = this.request!;
    if (usage !== null && usage(node) !== null) {
      // The model is still asked whether Placement lists the host, which decides Nova's reason.
      this.candidateFound ||= this.modelOf(node).testForScheduler(node, spec, false).candidate;
      this.setAside(node);
      return false;
    }
    const test = this.modelOf(node).testForScheduler(node, spec, audit);
    this.testOf[node.index] = test;
    this.tested.push(node);
    if (test.audit) this.audit.push({ host: node.name, lines: test.audit });
    this.candidateFound ||= test.candidate;
    if (test.reasons.length === 0) return true;
    this.setAside(node);
    return false;
  }

  private setAside(node: ComputeNode): void {
    this.refused.push(node);
    for (const { index } of this.request!.indexes) index.exclude(node);
  }

  /** The passing host with the highest (or lowest) weight for index weigher `at`, or null when none passes. */
  private extreme(at: number, direction: 1 | -1): ComputeNode | null {
    const weigher = this.indexWeighers[at];
    for (;;) {
      let found: ComputeNode | null = null;
      for (const { index, demand } of this.request!.indexes) {
        const node = index.extreme(at, direction, demand);
        if (node !== null && (found === null || direction * clampedWeight(weigher, node, NO_GROUP) > direction * clampedWeight(weigher, found, NO_GROUP))) {
          found = node;
        }
      }
      if (found === null || this.passes(found)) return found;
    }
  }

  private addFound(node: ComputeNode): void {
    if (!this.found.includes(node)) this.found.push(node);
  }

  /**
   * The hosts found at an extreme set the bar the indexes' searches must beat from their
   * first step; their totals are hostWeight's, which equal the index's to the last bit
   * (host-index.ts). Then each index proposes the hosts that can still rank.
   */
  private rankBest(): void {
    const { terms, termNormalizers, normalizers, threshold } = this;
    for (let position = 0; position < terms.length; position++) {
      const { at } = terms[position];
      termNormalizers[position] = at === null ? null : normalizers[at];
    }
    for (const node of this.found) this.rank(node, hostWeight(this.weighers, termNormalizers, node, NO_GROUP, null));
    for (const { index, demand } of this.request!.indexes) {
      threshold.weight = -Infinity;
      threshold.position = Infinity;
      this.raiseThreshold();
      index.search(demand, terms, termNormalizers, threshold, this.offer);
    }
  }

  /** What an index's search hands each host it visits: ranked when it passes and still counts, and the bar raised. */
  private readonly offer = (node: ComputeNode, weight: number): void => {
    this.rank(node, weight);
    this.raiseThreshold();
  };

  private rank(node: ComputeNode, weight: number): void {
    if (this.inRanked[node.index] === 1 || !this.kept(weight, node) || !this.passes(node)) return;
    this.inRanked[node.index] = 1;
    const { ranked } = this;
    // In order, shifting by hand: splice would make an array of what it removed.
    let at = ranked.length;
    for (; at > 0 && ranksBefore(weight, node, ranked[at - 1]); at--) ranked[at] = ranked[at - 1];
    ranked[at] = { candidate: { node, test: this.testOf[node.index]! }, weight, shares: NOTHING_WEIGHED };
    // Trim what no longer counts: past host_subset_size, only ties with the best stay when shuffling.
    while (ranked.length > this.hostSubsetSize && !(this.keepTies && ranked[ranked.length - 1].weight === ranked[0].weight)) {
      this.inRanked[ranked.pop()!.candidate.node.index] = 0;
    }
  }

  /** Whether a host of this weight would be kept: among the first host_subset_size, or tied with the best when shuffling. */
  private kept(weight: number, node: ComputeNode): boolean {
    const { ranked, hostSubsetSize } = this;
    return ranked.length < hostSubsetSize || ranksBefore(weight, node, ranked[hostSubsetSize - 1]) || (this.keepTies && weight === ranked[0].weight);
  }

  /** A host must come before the last one kept; with shuffling, every tie with the best is kept too. */
  private raiseThreshold(): void {
    const { ranked, hostSubsetSize, threshold } = this;
    if (ranked.length < hostSubsetSize) return;
    const last = ranked[hostSubsetSize - 1];
    threshold.weight = last.weight;
    threshold.position = this.keepTies && last.weight === ranked[0].weight ? Infinity : last.candidate.node.index;
  }
}

/** Nova's order: a higher total first, equal totals in plan order. */
function ranksBefore(weight: number, node: ComputeNode, other: Weighed<Passed>): boolean {
  return weight > other.weight || (weight === other.weight && node.index < other.candidate.node.index);
}
