// Nova's weight handler (nova/weights.py BaseWeightHandler.get_weighed_objects), as it runs
// over the hosts that passed the filters (docs/semantics.md, "Weighing"): each weigher's raw
// weights clamped to its minval/maxval, normalize()d between the weigher's bounds or the
// list's lowest and highest, times each host's multiplier, summed in weight_classes order;
// then a stable sort, highest first. The host index (host-index.ts) reaches the same totals
// without weighing every host; both compute a host's total with `hostWeight`, so that the
// floating-point sums are the same to the last bit.
import type { ComputeNode } from '../core/compute-node.ts';
import type { HostWeigher, WeighingRequest } from './weighers/index.ts';

/** normalize()'s lower bound and range for one weigher over the hosts weighed; null when every host weighs the same (all normalise to 0). */
export interface Normalizer {
  min: number;
  range: number;
}

/** BaseWeigher.weigh_objects: the raw weight, clamped to the weigher's bounds. */
export function clampedWeight(weigher: HostWeigher, node: ComputeNode, request: WeighingRequest): number {
  let weight = weigher.weigh(node, request);
  if (weigher.minval !== null) weight = Math.max(weight, weigher.minval);
  if (weigher.maxval !== null) weight = Math.min(weight, weigher.maxval);
  return weight;
}

/** normalize(): the weigher's own bounds where it sets them, otherwise the list's. */
export function normalizerOf(weigher: HostWeigher, lowest: number, highest: number): Normalizer | null {
  const max = weigher.maxval ?? highest;
  const min = weigher.minval ?? lowest;
  return min === max ? null : { min, range: max - min };
}

/** One host's total, and each weigher's share of it (multiplier × normalised weight), in weighers' order. */
export function hostWeight(
  weighers: readonly HostWeigher[],
  normalizers: readonly (Normalizer | null)[],
  node: ComputeNode,
  request: WeighingRequest,
  shares: number[] | null,
): number {
  let weight = 0.0;
  for (let at = 0; at < weighers.length; at++) {
    const normalizer = normalizers[at];
    const normalised = normalizer === null ? 0 : (clampedWeight(weighers[at], node, request) - normalizer.min) / normalizer.range;
    const share = weighers[at].multiplier(node.settings) * normalised;
    weight += share;
    shares?.push(share);
  }
  return weight;
}

export interface Weighed<T> {
  candidate: T;
  weight: number;
  /** each weigher's share, in weight_classes order; empty when Nova weighs nothing (one host or none), and for a host the indexes' search found: only `--explain` shows shares, and it weighs every host */
  shares: readonly number[];
}

/** The shares of a host weighed without them. */
export const NOTHING_WEIGHED: readonly number[] = Object.freeze([]);

/**
 * get_weighed_objects over the hosts that passed, in the order they passed (plan order):
 * sorted by total weight, highest first, equal totals keeping that order. With one host or
 * none Nova weighs nothing and every total is 0.
 */
export function weighAll<T extends { node: ComputeNode }>(
  weighers: readonly HostWeigher[],
  passed: readonly T[],
  request: WeighingRequest,
): Weighed<T>[] {
  if (passed.length <= 1) return passed.map((candidate) => ({ candidate, weight: 0.0, shares: [] }));
  const normalizers = weighers.map((weigher) => {
    let lowest = Infinity;
    let highest = -Infinity;
    for (const { node } of passed) {
      const weight = clampedWeight(weigher, node, request);
      lowest = Math.min(lowest, weight);
      highest = Math.max(highest, weight);
    }
    return normalizerOf(weigher, lowest, highest);
  });
  const weighed = passed.map((candidate) => {
    const shares: number[] = [];
    return { candidate, weight: hostWeight(weighers, normalizers, candidate.node, request, shares), shares };
  });
  // Array.prototype.sort is stable, as Python's sorted() is.
  return weighed.sort((a, b) => b.weight - a.weight);
}
