// The scheduler's index over the hosts a request may land on (docs/semantics.md, "Weighing").
// A cloud may have tens of thousands of hosts, so choosing one must not weigh every host per
// request. HostIndex is a segment tree over hosts, those of one kind (the same vCPUs, memory,
// disk and devices) side by side, so that a subtree mostly holds hosts whose weights rise and
// fall together and its bounds stay close to its best host. For each demand it is asked
// about (one per flavor and scope), it keeps per node, over the hosts below it that are live
// (compute service up, not set aside by this request), shown (the first live one of their
// twins, below) and have room for the demand in every
// dimension the capacity model names (memory, disk and vcpu headroom; or capacity − used per
// resource class): whether there is any, and each weigher's highest and lowest clamped raw
// weight among them. A full cloud, where most hosts lack room in one dimension or another,
// is then never searched host by host, and no host without room loosens a bound.
//
// Nova normalises each weigher over the hosts that passed, so a request first asks the index
// for each weigher's highest (and, without a fixed minval, lowest) weight among those hosts;
// then a host's total is a sum of its raw weights' shares, which the per-node figures bound,
// and a branch-and-bound descent finds the best hosts while skipping every subtree that
// cannot reach them, equal totals settled by plan order (each node keeps the first plan
// position below it). What room cannot summarise (NUMA,
// PCI) the model's test decides: the scheduler tests each host the index proposes and sets
// aside the ones that fail, which changes no bound already found from passing hosts.
// Multipliers are the cloud's, the same for every host; per-host ones (aggregate metadata)
// would need each node's range of multipliers too.
//
// Hosts alike to the last bit (host-twins.ts) weigh the same under any normalisation, and plan
// order settles them, so only the first of them in plan order is a leaf the figures count; the
// search hands the others to `visit` after it, in plan order, while they still rank before the
// bar. Without that, each of them would hold its subtree's bound at the bar, and a levelled
// cloud's search would walk down to every one.
import type { ComputeNode } from '../core/compute-node.ts';
import { WEIGHER_NAMES } from '../core/model.ts';
import type { Normalizer } from './weighing.ts';
import { NO_GROUP, type HostWeigher } from './weighers/index.ts';
import { clampedWeight } from './weighing.ts';
import { HostTwins, SHOWN_UNCHANGED, type Twins } from './host-twins.ts';

export type RoomReader = (node: ComputeNode, into: Float64Array, at: number) => void;


/** How many demands an index keeps figures for; past it, the least recently asked is dropped and counted again when asked. */
const DEMANDS_KEPT = 32;

/** One weigher of weight_classes, as a search bounds it: the index weigher it reads (null: the same weight on every host), and its multiplier. */
export interface WeighingTerm {
  readonly at: number | null;
  readonly multiplier: number;
}

/**
 * What a host must beat to be visited: a total above `weight`, or equal to it and listed
 * at or before plan position `position` (ComputeNode.index; Infinity keeps every host tied with `weight`).
 */
export interface Threshold {
  weight: number;
  position: number;
}

/**
 * Per slot, over the live, shown hosts below it with room for one demand: whether any (1 or
 * 0; a count would change up to the root each time a host fills, where this stops at the
 * first node with another such host), each weigher's highest and lowest raw weight, and the highest blend — Σ coefficient × signed raw weight,
 * with the coefficients of the search that last set them (see `search`).
 */
interface DemandFigures {
  demand: readonly number[];
  /** when it was last asked for, by the index's count of questions: the one asked longest ago is dropped first */
  asked: number;
  any: Uint8Array;
  rawHigh: Float64Array;
  rawLow: Float64Array;
  blend: Float64Array;
  /** per weigher, ≥ 0: what a share weighs per unit of raw weight, multiplier ÷ range, when the blend was last counted */
  coefficients: Float64Array;
  /** per weigher: +1 where a higher raw weight weighs more, −1 where it weighs less */
  signs: Int8Array;
  /** the positions changed since the figures were last brought up to date, each listed once (1 in `listed`) */
  changed: Int32Array;
  changedCount: number;
  listed: Uint8Array;
}

/** Far above the rounding of a blend's sums, whose terms add up to `magnitude` at most. */
function margin(magnitude: number): number {
  return magnitude * 1e-9;
}

/** The blend is counted again once the coefficients it was counted with, scaled, would loosen the root's bound by this share of its reach. */
const BLEND_LOOSENESS = 0.5;

/** How far a weigher's raw weight ranges over the hosts below slot `at` ÷ stride (0 when none). */
function rawSpread({ rawHigh, rawLow }: DemandFigures, at: number): number {
  return rawHigh[at] > rawLow[at] ? rawHigh[at] - rawLow[at] : 0;
}

/** Hosts by kind (in the order kinds first appear), then plan order. */
function inIndexOrder(members: readonly ComputeNode[]): ComputeNode[] {
  const kinds = new Map<string, number>();
  const rank = new Map<ComputeNode, number>();
  for (const node of members) {
    const kind = kindOf(node);
    if (!kinds.has(kind)) kinds.set(kind, kinds.size);
    rank.set(node, kinds.get(kind)!);
  }
  return [...members].sort((a, b) => rank.get(a)! - rank.get(b)! || a.index - b.index);
}

/** What makes hosts weigh alike as they fill: their size, ratios and devices. */
function kindOf(node: ComputeNode): string {
  const { spec, settings } = node;
  const devices = spec.pci.reduce((count, pool) => count + pool.count, 0);
  return `${spec.vcpus}/${spec.memory_mb}/${spec.local_gb}/${settings.cpu_allocation_ratio}/${settings.ram_allocation_ratio}/${settings.disk_allocation_ratio}/${devices}`;
}

/** A search's terms and its second bound's coefficients as flat arrays, which each search refills. */
interface SearchScratch {
  termAt: Int32Array;
  termMultiplier: Float64Array;
  termMin: Float64Array;
  termRange: Float64Array;
  /** per index weigher: the search's coefficient, its sign, and the corrections of the weighers whose coefficient moved */
  wanted: Float64Array;
  signs: Int8Array;
  movedAt: Int32Array;
  movedDelta: Float64Array;
  movedReadsHigh: Uint8Array;
  /** the search's terms with a share other than ±0 */
  termCount: number;
  /** the second bound: the blend's scale λ, the constant added to it, and how many weighers' corrections it reads */
  blendScale: number;
  blendConstant: number;
  movedCount: number;
  /** per index weigher with a kept coefficient: the search's coefficient ÷ the kept one, and its weight in the weighted median */
  ratios: Float64Array;
  ratioWeights: Float64Array;
  /** the descents' pending slots, and the search's bound of each: a tree's depth at most */
  stackSlots: Int32Array;
  stackBounds: Float64Array;
}

/** Room for a descent's pending slots: one sibling per level and the two children last pushed, and a tree over as many hosts as an array holds is under 32 levels deep. */
const DESCENT_DEPTH = 64;

function searchScratch(terms: number, weighers: number): SearchScratch {
  return {
    termAt: new Int32Array(terms),
    termMultiplier: new Float64Array(terms),
    termMin: new Float64Array(terms),
    termRange: new Float64Array(terms),
    termCount: 0,
    blendScale: 1,
    blendConstant: 0,
    movedCount: 0,
    wanted: new Float64Array(weighers),
    signs: new Int8Array(weighers),
    movedAt: new Int32Array(weighers),
    movedDelta: new Float64Array(weighers),
    movedReadsHigh: new Uint8Array(weighers),
    ratios: new Float64Array(weighers),
    ratioWeights: new Float64Array(weighers),
    stackSlots: new Int32Array(DESCENT_DEPTH),
    stackBounds: new Float64Array(DESCENT_DEPTH),
  };
}

export class HostIndex {
  private readonly leaves: number;
  /** the hosts in index order: by kind, then plan order */
  private readonly nodes: readonly ComputeNode[];
  private readonly leafOf = new Map<ComputeNode, number>();
  /** per slot, the first plan position (ComputeNode.index) below it, which settles equal totals */
  private readonly firstIndex: Float64Array;
  /** per position: whether the host is live (its service up, not set aside for this request) */
  private readonly live: Uint8Array;
  /** per position: whether the figures count it (live, and the first live one of its twins) */
  private readonly shown: Uint8Array;
  /** the hosts alike to each position */
  private readonly twins: HostTwins;
  /** `dimensions` rooms per position */
  private readonly room: Float64Array;
  /** each weigher's clamped raw weight per position */
  private readonly raw: Float64Array;
  /** per demand asked about (the same array for every request of one flavor and scope) */
  private readonly figures = new Map<readonly number[], DemandFigures>();
  private questions = 0;
  private scratch: SearchScratch;
  /** bringing figures up to date: the nodes of one level to pull, the next level's, and whether a node is queued */
  private readonly levelSlots: Int32Array;
  private readonly nextLevelSlots: Int32Array;
  private readonly queued: Uint8Array;

  constructor(
    members: readonly ComputeNode[],
    /** the weighers whose raw weights come from the host's own figures */
    readonly weighers: readonly HostWeigher[],
    private readonly dimensions: number,
    private readonly readRooms: RoomReader,
    /** an index over the same hosts, weighing as `members` do now, in its order: its figures are copied rather than read */
    copyOf: HostIndex | null = null,
  ) {
    const nodes = copyOf === null ? inIndexOrder(members) : members;
    this.nodes = nodes;
    let leaves = 1;
    while (leaves < nodes.length) leaves *= 2;
    this.leaves = leaves;
    this.levelSlots = new Int32Array(leaves);
    this.nextLevelSlots = new Int32Array(leaves);
    this.queued = new Uint8Array(2 * leaves);
    // Sized for a weight_classes that lists each weigher once; a longer one grows it at its first search.
    this.scratch = searchScratch(WEIGHER_NAMES.length, weighers.length);
    nodes.forEach((node, position) => this.leafOf.set(node, position));
    if (copyOf !== null) {
      this.firstIndex = copyOf.firstIndex;
      this.live = copyOf.live.slice();
      this.shown = copyOf.shown.slice();
      this.room = copyOf.room.slice();
      this.raw = copyOf.raw.slice();
      this.twins = new HostTwins(this.firstIndex.subarray(leaves, leaves + nodes.length), this.raw, weighers.length, this.room, dimensions, this.live, copyOf.twins);
      return;
    }
    this.firstIndex = new Float64Array(2 * leaves).fill(Infinity);
    nodes.forEach((node, position) => (this.firstIndex[leaves + position] = node.index));
    for (let slot = leaves - 1; slot >= 1; slot--) this.firstIndex[slot] = Math.min(this.firstIndex[2 * slot], this.firstIndex[2 * slot + 1]);
    this.live = new Uint8Array(nodes.length);
    this.shown = new Uint8Array(nodes.length);
    this.room = new Float64Array(nodes.length * dimensions);
    this.raw = new Float64Array(nodes.length * weighers.length);
    nodes.forEach((node, position) => this.read(position, node));
    this.twins = new HostTwins(this.firstIndex.subarray(leaves, leaves + nodes.length), this.raw, weighers.length, this.room, dimensions, this.live);
    for (const twins of this.twins.all()) this.settle(twins, -1);
  }

  /**
   * This index over a cloned state's copies of its hosts (`copies`, by plan position), which
   * weigh as its hosts do now: a failover scenario starts from a clone, and copying the
   * index's figures costs far less than reading every host and ordering them again. The
   * figures per demand are counted again as asked, since a clone asks with its own requests.
   */
  copyOver(copies: readonly ComputeNode[]): HostIndex {
    return new HostIndex(
      this.nodes.map((node) => copies[node.index]),
      this.weighers,
      this.dimensions,
      this.readRooms,
      this,
    );
  }

  /** The hosts it indexes. */
  members(): readonly ComputeNode[] {
    return this.nodes;
  }

  /** Re-reads a node's figures after a claim, a delete or a change of its service state; a node set aside is live again. */
  update(node: ComputeNode): void {
    const position = this.leafOf.get(node);
    if (position === undefined) return;
    this.read(position, node);
    const left = this.twins.regroup(position);
    if (left !== null) this.settle(left, position);
    this.settle(this.twins.of(position), position);
    this.noteChanged(position);
  }

  /** Sets a node aside until `update` restores it. */
  exclude(node: ComputeNode): void {
    const position = this.leafOf.get(node);
    if (position === undefined) return;
    this.live[position] = 0;
    this.settle(this.twins.of(position), -1);
  }

  /**
   * The live host with room for `demand` whose clamped raw weight for weigher `at` is the
   * highest (direction 1) or the lowest (−1); null when no live host has room.
   */
  extreme(at: number, direction: 1 | -1, demand: readonly number[]): ComputeNode | null {
    const { any, rawHigh, rawLow } = this.figuresFor(demand);
    const bound = direction === 1 ? rawHigh : rawLow;
    const stride = this.weighers.length;
    let best = -Infinity;
    let found = -1;
    // Depth first, the more promising child first, on a stack of slots rather than by
    // recursion: a recursive call would box the numbers it passes, in every request's descents.
    const stack = this.scratch.stackSlots;
    let top = 0;
    stack[top++] = 1;
    while (top > 0) {
      const slot = stack[--top];
      if (any[slot] === 0 || direction * bound[slot * stride + at] <= best) continue;
      if (slot >= this.leaves) {
        best = direction * bound[slot * stride + at];
        found = slot - this.leaves;
        continue;
      }
      const left = 2 * slot;
      const rightFirst = direction * bound[(left + 1) * stride + at] > direction * bound[left * stride + at];
      stack[top++] = rightFirst ? left : left + 1;
      stack[top++] = rightFirst ? left + 1 : left;
    }
    return found < 0 ? null : this.nodes[found];
  }

  /**
   * Visits live hosts with room for `demand`, most promising subtree first, skipping every
   * subtree that cannot hold a host ranked before `threshold`, which `visit` may raise: one
   * whose bound on the total weight is below it, or equal to it with every host listed
   * after its host in the plan.
   *
   * The bound is a host's total computed as weighing.ts `hostWeight` computes it, in the
   * same order, from the subtree's highest raw weight for each positive multiplier and its
   * lowest for each negative one; at a leaf it is the host's total, which `visit` gets.
   * Rounding to nearest is monotone in every step (a subtraction, a division by a positive
   * range, a product, a sum), so the bound is never below any host's total, to the last
   * bit, and equals it when the subtree's hosts weigh alike — which lets equal totals be
   * settled by plan order without visiting every tie. `terms` lists weight_classes in order,
   * `normalizers` each term's normalizer this request (null for a term that weighs every
   * host alike).
   */
  search(demand: readonly number[], terms: readonly WeighingTerm[], normalizers: readonly (Normalizer | null)[], threshold: Threshold, visit: (node: ComputeNode, weight: number) => void): void {
    const figures = this.figuresFor(demand);
    const { any } = figures;
    const stride = this.weighers.length;
    // The terms as flat arrays, kept from search to search: this is the inner loop of every
    // scheduled build. A term whose share is ±0 on every host never changes a total (the sum
    // starts at +0.0 and adding ±0 leaves any sum as it is), so only the others are added.
    if (this.scratch.termAt.length < terms.length) this.scratch = searchScratch(terms.length, stride);
    const { termAt, termMultiplier, termMin, termRange } = this.scratch;
    let termCount = 0;
    for (let position = 0; position < terms.length; position++) {
      const { at, multiplier } = terms[position];
      const normalizer = normalizers[position];
      if (at === null || normalizer === null || multiplier === 0) continue;
      termAt[termCount] = at;
      termMultiplier[termCount] = multiplier;
      termMin[termCount] = normalizer.min;
      termRange[termCount++] = normalizer.range;
    }
    this.scratch.termCount = termCount;
    this.setLinearBound(figures);
    // Depth first, the more promising child first, on a stack of slots and their bounds rather
    // than by recursion, which would box each bound it passes.
    const { stackSlots: slots, stackBounds: bounds } = this.scratch;
    let top = 0;
    slots[top] = 1;
    bounds[top++] = this.upper(figures, 1);
    while (top > 0) {
      const slot = slots[--top];
      const bound = bounds[top];
      if (any[slot] === 0) continue;
      if (bound < threshold.weight || (bound === threshold.weight && this.firstIndex[slot] > threshold.position)) continue;
      if (slot >= this.leaves) {
        this.visitTwins(slot - this.leaves, bound, threshold, visit);
        continue;
      }
      const left = 2 * slot;
      const leftBound = this.upper(figures, left);
      const rightBound = this.upper(figures, left + 1);
      // The child popped first is pushed last.
      const rightFirst = rightBound > leftBound;
      slots[top] = rightFirst ? left : left + 1;
      bounds[top++] = rightFirst ? leftBound : rightBound;
      slots[top] = rightFirst ? left + 1 : left;
      bounds[top++] = rightFirst ? rightBound : leftBound;
    }
  }

  /** The host at `position`, then its live twins in plan order while they still rank before `threshold`, which `visit` may raise. */
  private visitTwins(position: number, weight: number, threshold: Threshold, visit: (node: ComputeNode, weight: number) => void): void {
    const { members, start } = this.twins.of(position);
    visit(this.nodes[position], weight);
    if (members.length - start === 1) return;
    // A twin that fails its test is set aside, which changes which member is shown but never the members.
    for (let at = start; at < members.length; at++) {
      const twin = members[at];
      if (twin === position || this.live[twin] === 0 || this.nodes[twin].index < this.nodes[position].index) continue;
      if (weight < threshold.weight || (weight === threshold.weight && this.nodes[twin].index > threshold.position)) return;
      visit(this.nodes[twin], weight);
    }
  }

  /**
   * A second bound on a subtree's best total, tight where weighers pull apart: each weigher's
   * highest raw weight may sit on a different host, which loosens `highestTotal`'s sum. A host's
   * total is Σ a·s − K, with s its raw weight signed by the multiplier, a = |multiplier| ÷
   * range and K = Σ a·(signed normaliser minimum). The node keeps the highest Σ c·s with the
   * coefficients c of an earlier search; writing a = λc + δ (λ from `blendScale`),
   * Σ a·s ≤ λ·blend + Σ δ·(s's highest where δ > 0, lowest where δ < 0), for any hosts below
   * the node. The sum is not computed as hostWeight computes a total, so a margin far above
   * its rounding is added; `highestTotal` stays the exact bound that settles equal totals. When
   * no λ brings c close enough to a (`blendScale`), the blend is counted again with a.
   */
  private setLinearBound(figures: DemandFigures): void {
    const stride = this.weighers.length;
    const { wanted, signs, movedAt, movedDelta, movedReadsHigh, termAt, termMultiplier, termMin, termRange, termCount } = this.scratch;
    wanted.fill(0);
    signs.fill(0);
    let offset = 0;
    for (let term = 0; term < termCount; term++) {
      const at = termAt[term];
      wanted[at] = Math.abs(termMultiplier[term]) / termRange[term];
      signs[at] = termMultiplier[term] > 0 ? 1 : -1;
      offset += wanted[at] * signs[at] * termMin[term];
    }
    let scale = this.blendScale(figures, wanted, signs);
    if (scale === null) {
      this.countBlend(figures, wanted, signs);
      scale = 1;
    }
    const { rawHigh, rawLow, coefficients, signs: blendSigns } = figures;
    let magnitude = 1 + Math.abs(offset);
    const root = 1;
    for (let at = 0; at < stride; at++) {
      magnitude += (wanted[at] + scale * coefficients[at]) * Math.max(Math.abs(rawHigh[root * stride + at]), Math.abs(rawLow[root * stride + at]));
    }
    const constant = margin(magnitude) - offset;
    // Each weigher whose coefficient moved, with the raw figure its correction reads: s = sign
    // × raw, so s's highest is the raw's highest for sign +1 and minus the raw's lowest for −1.
    let movedCount = 0;
    for (let at = 0; at < stride; at++) {
      const delta = wanted[at] - scale * coefficients[at];
      if (delta === 0) continue;
      const sign = blendSigns[at];
      movedAt[movedCount] = at;
      movedDelta[movedCount] = delta * sign;
      movedReadsHigh[movedCount++] = (delta > 0) === (sign > 0) ? 1 : 0;
    }
    this.scratch.blendScale = scale;
    this.scratch.blendConstant = constant;
    this.scratch.movedCount = movedCount;
  }

  /** A search's bound on the best total below `slot`: the lower of `highestTotal` and `linearTotal`, −Infinity without a host with room. */
  private upper(figures: DemandFigures, slot: number): number {
    return figures.any[slot] === 0 ? -Infinity : Math.min(this.highestTotal(figures, slot), this.linearTotal(figures, slot));
  }

  /** The total hostWeight would give a host with the subtree's best raw weight for every term (see `search`). */
  private highestTotal({ rawHigh, rawLow }: DemandFigures, slot: number): number {
    const { termAt, termMultiplier, termMin, termRange, termCount } = this.scratch;
    let total = 0.0;
    const base = slot * this.weighers.length;
    for (let term = 0; term < termCount; term++) {
      const multiplier = termMultiplier[term];
      const raw = multiplier > 0 ? rawHigh[base + termAt[term]] : rawLow[base + termAt[term]];
      total += multiplier * ((raw - termMin[term]) / termRange[term]);
    }
    return total;
  }

  /** The second bound, from the blend and the corrections `setLinearBound` set. */
  private linearTotal({ rawHigh, rawLow, blend }: DemandFigures, slot: number): number {
    const { blendScale, blendConstant, movedCount, movedDelta, movedReadsHigh, movedAt } = this.scratch;
    let bound = blendScale * blend[slot] + blendConstant;
    const base = slot * this.weighers.length;
    for (let term = 0; term < movedCount; term++) {
      bound += movedDelta[term] * (movedReadsHigh[term] === 1 ? rawHigh[base + movedAt[term]] : rawLow[base + movedAt[term]]);
    }
    return bound;
  }

  /**
   * The factor λ ≥ 0 that brings the kept coefficients c closest to the search's a, writing
   * a = λc + δ, so that Σ a·s ≤ λ·blend + Σ δ·(s's extreme): a host's order under a
   * normalisation does not change when every coefficient is scaled alike, only its total.
   * λ is the weighted median of a ÷ c, each weigher weighted by how much its correction
   * could loosen the root's bound (c × the root's spread of raw weights). Null when the
   * blend must be counted again: a weigher changed sign, or the corrections would still
   * loosen the root's bound by more than BLEND_LOOSENESS of its reach, Σ a × spread.
   */
  private blendScale(figures: DemandFigures, wanted: Float64Array, signs: Int8Array): number | null {
    const stride = this.weighers.length;
    const root = 1;
    const { ratios, ratioWeights } = this.scratch;
    let count = 0;
    let reach = 0;
    let weights = 0;
    for (let at = 0; at < stride; at++) {
      const spread = rawSpread(figures, root * stride + at);
      reach += wanted[at] * spread;
      if (wanted[at] === 0) continue;
      if (figures.signs[at] !== signs[at]) return null;
      const kept = figures.coefficients[at];
      if (kept === 0) continue;
      ratios[count] = wanted[at] / kept;
      ratioWeights[count++] = kept * spread;
      weights += kept * spread;
    }
    const half = weights / 2;
    // The weighted median: the least ratio with half the weight at or below it (a handful of weighers, so no sort).
    let scale = count === 0 ? 0 : Infinity;
    for (let candidate = 0; candidate < count; candidate++) {
      let below = 0;
      for (let other = 0; other < count; other++) if (ratios[other] <= ratios[candidate]) below += ratioWeights[other];
      if (below >= half && ratios[candidate] < scale) scale = ratios[candidate];
    }
    let looseness = 0;
    for (let at = 0; at < stride; at++) looseness += Math.abs(wanted[at] - scale * figures.coefficients[at]) * rawSpread(figures, root * stride + at);
    return looseness > BLEND_LOOSENESS * reach ? null : scale;
  }

  /** The blend of every node for `demand`, with new coefficients. */
  private countBlend(figures: DemandFigures, coefficients: Float64Array, signs: Int8Array): void {
    figures.coefficients.set(coefficients);
    // A weigher no term counts keeps the sign of the last one that did, so that its blend term, 0, stays valid.
    for (let at = 0; at < signs.length; at++) if (coefficients[at] !== 0) figures.signs[at] = signs[at];
    for (let position = 0; position < this.nodes.length; position++) this.writeBlend(figures, position);
    for (let slot = this.leaves - 1; slot >= 1; slot--) figures.blend[slot] = Math.max(figures.blend[2 * slot], figures.blend[2 * slot + 1]);
  }

  private writeBlend(figures: DemandFigures, position: number): void {
    const slot = this.leaves + position;
    if (figures.any[slot] === 0) {
      figures.blend[slot] = -Infinity;
      return;
    }
    const stride = this.weighers.length;
    let blend = 0;
    for (let at = 0; at < stride; at++) {
      const coefficient = figures.coefficients[at];
      if (coefficient !== 0) blend += coefficient * figures.signs[at] * this.raw[position * stride + at];
    }
    figures.blend[slot] = blend;
  }

  /** Counts the first live member of `twins`, noting the change of each position whose figures that changes but `noted`, noted after. */
  private settle(twins: Twins, noted: number): void {
    const before = this.twins.settle(twins);
    if (before === SHOWN_UNCHANGED) return;
    if (before >= 0) this.shown[before] = 0;
    if (twins.shown >= 0) this.shown[twins.shown] = 1;
    if (before >= 0 && before !== noted) this.noteChanged(before);
    if (twins.shown >= 0 && twins.shown !== noted) this.noteChanged(twins.shown);
  }

  private read(position: number, node: ComputeNode): void {
    // ComputeFilter: a host whose compute service is down is never proposed.
    this.live[position] = node.serviceDown ? 0 : 1;
    this.readRooms(node, this.room, position * this.dimensions);
    const stride = this.weighers.length;
    for (let at = 0; at < stride; at++) this.raw[position * stride + at] = clampedWeight(this.weighers[at], node, NO_GROUP);
  }

  /** The figures for `demand`, counted over every host the first time it is asked about (or again after being dropped). */
  private figuresFor(demand: readonly number[]): DemandFigures {
    let figures = this.figures.get(demand);
    if (figures !== undefined) {
      figures.asked = ++this.questions;
      if (figures.changedCount > 0) this.bringUpToDate(figures);
      return figures;
    }
    const slots = 2 * this.leaves;
    const stride = this.weighers.length;
    figures = {
      demand,
      asked: ++this.questions,
      any: new Uint8Array(slots),
      rawHigh: new Float64Array(slots * stride).fill(-Infinity),
      rawLow: new Float64Array(slots * stride).fill(Infinity),
      // No coefficients yet: every blend is 0 where a host has room, and the first search counts it.
      blend: new Float64Array(slots).fill(-Infinity),
      coefficients: new Float64Array(stride),
      signs: new Int8Array(stride).fill(1),
      changed: new Int32Array(this.nodes.length),
      changedCount: 0,
      listed: new Uint8Array(this.nodes.length),
    };
    for (let position = 0; position < this.nodes.length; position++) this.writeLeaf(figures, position, this.shown[position] === 1 && this.hasRoom(position, demand));
    for (let slot = this.leaves - 1; slot >= 1; slot--) this.pull(figures, slot);
    this.figures.set(demand, figures);
    if (this.figures.size > DEMANDS_KEPT) {
      const oldest = [...this.figures.values()].reduce((first, other) => (other.asked < first.asked ? other : first));
      this.figures.delete(oldest.demand);
    }
    return figures;
  }

  /**
   * After a host's figures changed: listed for every demand kept, whose figures take every
   * change listed when next asked for (`bringUpToDate`). A cloud with many flavors changes
   * several hosts between two builds of one, whose paths share the nodes near the root,
   * pulled once then; a host set aside for one request and restored after it is read once,
   * unchanged. A search reading figures while `visit` sets a host aside goes on with them
   * as they were: each bound stays above every host below it, and the host set aside was
   * visited already.
   */
  private noteChanged(position: number): void {
    for (const figures of this.figures.values()) {
      if (figures.listed[position] === 1) continue;
      figures.listed[position] = 1;
      figures.changed[figures.changedCount++] = position;
    }
  }

  /**
   * Every change listed for `figures`: the leaves first, then the nodes above them a level
   * at a time (every leaf is at the same depth), each pulled once its children are final;
   * a node its children leave as it was sends nothing up. The figures come out as if each
   * change had been taken when it happened.
   */
  private bringUpToDate(figures: DemandFigures): void {
    const { changed, listed } = figures;
    let level = this.levelSlots;
    let count = 0;
    for (let at = 0; at < figures.changedCount; at++) {
      const position = changed[at];
      listed[position] = 0;
      // A host counted for a demand neither before nor now changes none of its figures: in a
      // full cloud, most hosts for most demands.
      const fits = this.shown[position] === 1 && this.hasRoom(position, figures.demand);
      if (!fits && figures.any[this.leaves + position] === 0) continue;
      this.writeLeaf(figures, position, fits);
      // A one-host index's leaf is its root.
      if (this.leaves > 1) count = this.queueParent(level, count, (this.leaves + position) >> 1);
    }
    figures.changedCount = 0;
    let next = this.nextLevelSlots;
    while (count > 0) {
      let nextCount = 0;
      for (let at = 0; at < count; at++) {
        const slot = level[at];
        this.queued[slot] = 0;
        if (this.pull(figures, slot) && slot > 1) nextCount = this.queueParent(next, nextCount, slot >> 1);
      }
      const pulled = level;
      level = next;
      next = pulled;
      count = nextCount;
    }
  }

  private queueParent(slots: Int32Array, count: number, slot: number): number {
    if (this.queued[slot] === 1) return count;
    this.queued[slot] = 1;
    slots[count] = slot;
    return count + 1;
  }

  /** A host's leaf for one demand: its raw weights where it is shown and `fits` the demand, else none. */
  private writeLeaf(figures: DemandFigures, position: number, fits: boolean): void {
    const slot = this.leaves + position;
    const stride = this.weighers.length;
    figures.any[slot] = fits ? 1 : 0;
    for (let at = 0; at < stride; at++) {
      figures.rawHigh[slot * stride + at] = fits ? this.raw[position * stride + at] : -Infinity;
      figures.rawLow[slot * stride + at] = fits ? this.raw[position * stride + at] : Infinity;
    }
    this.writeBlend(figures, position);
  }

  private hasRoom(position: number, demand: readonly number[]): boolean {
    for (let dimension = 0, at = position * this.dimensions; dimension < this.dimensions; dimension++, at++) {
      if (this.room[at] < demand[dimension]) return false;
    }
    return true;
  }

  /** A node's figures from its children's; whether any of them changed. */
  private pull({ any, rawHigh, rawLow, blend }: DemandFigures, slot: number): boolean {
    const left = 2 * slot;
    const right = left + 1;
    const anyBelow = any[left] | any[right];
    const highestBlend = Math.max(blend[left], blend[right]);
    let changed = any[slot] !== anyBelow || !Object.is(blend[slot], highestBlend);
    any[slot] = anyBelow;
    blend[slot] = highestBlend;
    const stride = this.weighers.length;
    for (let at = 0; at < stride; at++) {
      const high = Math.max(rawHigh[left * stride + at], rawHigh[right * stride + at]);
      const low = Math.min(rawLow[left * stride + at], rawLow[right * stride + at]);
      if (!Object.is(rawHigh[slot * stride + at], high) || !Object.is(rawLow[slot * stride + at], low)) changed = true;
      rawHigh[slot * stride + at] = high;
      rawLow[slot * stride + at] = low;
    }
    return changed;
  }
}
