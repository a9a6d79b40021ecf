// The scheduler's index over the hosts a request may land on (docs/semantics.md, "The
// scheduler"). A cloud may have tens of thousands of hosts, so choosing one must not weigh
// every host per request. HostIndex is a segment tree over hosts in inventory order; each
// node keeps, for the hosts below it, how many are live (compute service up, not set aside
// by this request), the largest room in each dimension the capacity model names (memory,
// disk and vcpu headroom; or capacity − used per resource class), and for each weigher that
// reads the host's own figures the highest and lowest clamped raw weight. Multipliers are
// the cloud's, the same for every host (per-host ones, from aggregate metadata, would need
// the bounds per block of the multiplier too).
//
// Nova normalises each weigher over the hosts that passed, so a request first asks the
// index for each weigher's highest (and, without a fixed minval, lowest) weight among live
// hosts with room; then a host's total is a linear function of its raw weights, which the
// per-node figures bound, and a branch-and-bound descent finds the best hosts while skipping
// every subtree that cannot reach them, equal totals settled by plan order. What room cannot summarise (NUMA, PCI, exact float
// edges) the model's test decides: the scheduler tests each host the index proposes and
// sets aside the ones that fail, which changes no bound already found from passing hosts.
import type { ComputeNode } from '../compute-node.ts';
import type { Normalizer } from './weighing.ts';
import type { HostWeigher, WeighingRequest } from './weighers/index.ts';
import { clampedWeight } from './weighing.ts';

export type RoomReader = (node: ComputeNode, into: Float64Array, at: number) => void;

/** Host weighers read nothing of the request; the index asks with this one. */
const NO_GROUP: WeighingRequest = { group: null, membersOn: () => 0 };

/** One weigher of weight_classes, as a search bounds it: the index weigher it reads (null: the same weight on every host), its normalizer, its multiplier. */
export interface WeighingTerm {
  at: number | null;
  normalizer: Normalizer | null;
  multiplier: number;
}

/**
 * What a host must beat to be visited: a total above `weight`, or equal to it and listed
 * at or before `position` (Infinity keeps every host tied with `weight`).
 */
export interface Threshold {
  weight: number;
  position: number;
}

export class HostIndex {
  private readonly leaves: number;
  private readonly leafOf = new Map<ComputeNode, number>();
  /** live hosts below each slot */
  private readonly live: Int32Array;
  /** `dimensions` rooms per slot: the largest below it */
  private readonly room: Float64Array;
  /** per slot, per weigher: the highest and the lowest clamped raw weight below it */
  private readonly rawHigh: Float64Array;
  private readonly rawLow: Float64Array;
  /** per slot, the highest Σ reference × raw weight of one host below it (see `search`) */
  private readonly anchored: Float64Array;

  constructor(
    readonly nodes: readonly ComputeNode[],
    /** the weighers whose raw weights come from the host's own figures */
    readonly weighers: readonly HostWeigher[],
    private readonly dimensions: number,
    private readonly readRooms: RoomReader,
    /**
     * Per weigher, how much of its raw weight one host's anchored sum counts: 1 / the
     * highest at the start for a weigher whose weights are never below 0, else 0.
     */
    private readonly reference: readonly number[],
  ) {
    let leaves = 1;
    while (leaves < nodes.length) leaves *= 2;
    this.leaves = leaves;
    const slots = 2 * leaves;
    const perWeigher = slots * weighers.length;
    this.live = new Int32Array(slots);
    this.room = new Float64Array(slots * dimensions).fill(-Infinity);
    this.rawHigh = new Float64Array(perWeigher).fill(-Infinity);
    this.rawLow = new Float64Array(perWeigher).fill(Infinity);
    this.anchored = new Float64Array(slots).fill(-Infinity);
    nodes.forEach((node, position) => {
      this.leafOf.set(node, position);
      this.writeLeaf(leaves + position, node);
    });
    for (let slot = leaves - 1; slot >= 1; slot--) this.pull(slot);
  }

  /** Re-reads a node's figures after a claim, a delete or a change of its service state; a node set aside is live again. */
  update(node: ComputeNode): void {
    const position = this.leafOf.get(node);
    if (position === undefined) return;
    this.writeLeaf(this.leaves + position, node);
    this.pullUpFrom(this.leaves + position);
  }

  /** Sets a node aside until `update` restores it. */
  exclude(node: ComputeNode): void {
    const position = this.leafOf.get(node);
    if (position === undefined) return;
    const slot = this.leaves + position;
    this.writeNothing(slot);
    this.pullUpFrom(slot);
  }

  /**
   * The live host with room whose clamped raw weight for weigher `at` is the highest
   * (direction 1) or the lowest (−1); null when no live host has room.
   */
  extreme(at: number, direction: 1 | -1, demand: readonly number[]): ComputeNode | null {
    const bound = direction === 1 ? this.rawHigh : this.rawLow;
    const stride = this.weighers.length;
    let best = -Infinity;
    let found = -1;
    const visit = (slot: number, first: number, span: number): void => {
      if (!this.reachable(slot, demand)) return;
      const reach = direction * bound[slot * stride + at];
      if (reach <= best) return;
      if (span === 1) {
        best = reach;
        found = first;
        return;
      }
      const half = span / 2;
      const left = 2 * slot;
      if (direction * bound[(left + 1) * stride + at] > direction * bound[left * stride + at]) {
        visit(left + 1, first + half, half);
        visit(left, first, half);
      } else {
        visit(left, first, half);
        visit(left + 1, first + half, half);
      }
    };
    visit(1, 0, this.leaves);
    return found < 0 ? null : this.nodes[found];
  }

  /**
   * Visits live hosts with room, most promising subtree first, skipping every subtree that
   * cannot hold a host ranked before `threshold`, which `visit` may raise: one whose bound on
   * the total weight is below it, or equal to it with every host listed after its host.
   *
   * The bound is a host's total computed as weighing.ts `hostWeight` computes it, in the
   * same order, from the subtree's highest raw weight for each positive multiplier and its
   * lowest for each negative one; at a leaf it is the host's total, which `visit` gets. Rounding to nearest is monotone in every step (a
   * subtraction, a division by a positive range, a product, a sum), so the bound is never
   * below any host's total, to the last bit, and equals it when the subtree's hosts weigh
   * alike — which lets equal totals be settled by plan order without visiting every tie.
   * `terms` lists weight_classes in order: the index weigher each reads (null for one
   * whose weight is the same on every host) with its normalizer and the cloud's multiplier.
   */
  search(demand: readonly number[], terms: readonly WeighingTerm[], threshold: Threshold, visit: (node: ComputeNode, weight: number) => void): void {
    const stride = this.weighers.length;
    // A term whose share is ±0 on every host never changes a total (the sum starts at +0.0
    // and adding ±0 leaves any sum as it is), so only the others are added.
    const counted = terms.filter(({ at, normalizer, multiplier }) => at !== null && normalizer !== null && multiplier !== 0);
    const anchoredUpper = this.anchoredBound(counted);
    const upper = (slot: number): number => {
      let total = 0.0;
      for (const { at, normalizer, multiplier } of counted) {
        const raw = multiplier > 0 ? this.rawHigh[slot * stride + at!] : this.rawLow[slot * stride + at!];
        total += multiplier * ((raw - normalizer!.min) / normalizer!.range);
      }
      return total;
    };
    const descend = (slot: number, first: number, span: number, bound: number): void => {
      if (!this.reachable(slot, demand)) return;
      const { weight, position } = threshold;
      if (bound < weight || (bound === weight && first > position) || anchoredUpper(slot) < weight) return;
      // At a leaf the bound is the host's own total.
      if (span === 1) {
        visit(this.nodes[first], bound);
        return;
      }
      const half = span / 2;
      const left = 2 * slot;
      const [leftBound, rightBound] = [upper(left), upper(left + 1)];
      if (rightBound > leftBound) {
        descend(left + 1, first + half, half, rightBound);
        descend(left, first, half, leftBound);
      } else {
        descend(left, first, half, leftBound);
        descend(left + 1, first + half, half, rightBound);
      }
    };
    descend(1, 0, this.leaves, upper(1));
  }

  /**
   * A second bound on a subtree's best total, which stays close where the first, a sum of
   * each weigher's own best, is loose: on hosts that differ in kind, each weigher's best is
   * another host. With c_i the total's coefficient of raw weight x_i (multiplier / range) and
   * r_i the index's reference, α = min c_i / r_i over the weighers both count positively:
   * Σ c_i x_i ≤ α · max_host Σ r_i x_i + Σ (c_i − α r_i) · x_i at its highest (or lowest, for
   * a negative coefficient), since every x_i the reference counts is ≥ 0. It is computed in
   * floating point, so it carries a margin for rounding and never settles a tie.
   */
  private anchoredBound(counted: readonly WeighingTerm[]): (slot: number) => number {
    const stride = this.weighers.length;
    const coefficient = new Float64Array(stride);
    let offset = 0;
    for (const { at, normalizer, multiplier } of counted) {
      coefficient[at!] += multiplier / normalizer!.range;
      offset += (multiplier * normalizer!.min) / normalizer!.range;
    }
    let alpha = Infinity;
    for (let at = 0; at < stride; at++) if (this.reference[at] > 0 && coefficient[at] > 0) alpha = Math.min(alpha, coefficient[at] / this.reference[at]);
    if (alpha === Infinity) return () => Infinity;
    const rest = Array.from(coefficient, (c, at) => c - alpha * this.reference[at]);
    let scale = Math.abs(offset) + 1;
    for (let at = 0; at < stride; at++) scale += Math.abs(rest[at]) * Math.max(Math.abs(this.rawHigh[stride + at]), Math.abs(this.rawLow[stride + at])) + alpha * this.reference[at] * Math.abs(this.rawHigh[stride + at]);
    const margin = 1e-9 * scale;
    return (slot) => {
      let total = alpha * this.anchored[slot] - offset + margin;
      for (let at = 0, base = slot * stride; at < stride; at++) {
        if (rest[at] !== 0) total += rest[at] * (rest[at] > 0 ? this.rawHigh[base + at] : this.rawLow[base + at]);
      }
      return total;
    };
  }

  /** A node's position in the index, Infinity when it is not in it: hosts keep plan order, which settles equal totals. */
  positionOf(node: ComputeNode): number {
    return this.leafOf.get(node) ?? Infinity;
  }

  /** A subtree with a live host and, in every dimension, a host with room for the demand. */
  private reachable(slot: number, demand: readonly number[]): boolean {
    if (this.live[slot] === 0) return false;
    for (let dimension = 0, at = slot * this.dimensions; dimension < this.dimensions; dimension++, at++) {
      if (this.room[at] < demand[dimension]) return false;
    }
    return true;
  }

  private writeLeaf(slot: number, node: ComputeNode): void {
    // ComputeFilter: a host whose compute service is down is never proposed.
    if (node.serviceDown) {
      this.writeNothing(slot);
      return;
    }
    this.live[slot] = 1;
    this.readRooms(node, this.room, slot * this.dimensions);
    const stride = this.weighers.length;
    let anchored = 0;
    this.weighers.forEach((weigher, at) => {
      const raw = clampedWeight(weigher, node, NO_GROUP);
      this.rawHigh[slot * stride + at] = raw;
      this.rawLow[slot * stride + at] = raw;
      anchored += this.reference[at] * raw;
    });
    this.anchored[slot] = anchored;
  }

  /** A leaf no search reaches, whose figures bound nothing above it. */
  private writeNothing(slot: number): void {
    this.live[slot] = 0;
    this.room.fill(-Infinity, slot * this.dimensions, (slot + 1) * this.dimensions);
    const stride = this.weighers.length;
    const [from, to] = [slot * stride, (slot + 1) * stride];
    this.rawHigh.fill(-Infinity, from, to);
    this.rawLow.fill(Infinity, from, to);
    this.anchored[slot] = -Infinity;
  }

  private pull(slot: number): void {
    const left = 2 * slot;
    const right = left + 1;
    const { dimensions, room } = this;
    this.live[slot] = this.live[left] + this.live[right];
    this.anchored[slot] = Math.max(this.anchored[left], this.anchored[right]);
    for (let dimension = 0; dimension < dimensions; dimension++) {
      room[slot * dimensions + dimension] = Math.max(room[left * dimensions + dimension], room[right * dimensions + dimension]);
    }
    const stride = this.weighers.length;
    for (let at = 0; at < stride; at++) {
      const [base, l, r] = [slot * stride + at, left * stride + at, right * stride + at];
      this.rawHigh[base] = Math.max(this.rawHigh[l], this.rawHigh[r]);
      this.rawLow[base] = Math.min(this.rawLow[l], this.rawLow[r]);
    }
  }

  private pullUpFrom(leafSlot: number): void {
    for (let slot = leafSlot >> 1; slot >= 1; slot >>= 1) this.pull(slot);
  }
}
