// Choosing a host for a build that names none (docs/semantics.md, "The scheduler"): among
// the hosts whose test would pass, the RAMWeigher's favourite — most free RAM to spread,
// least to pack — with ties to the host listed first.
//
// A cloud may have tens of thousands of hosts, so the choice must not test every host
// per request. HostIndex is a segment tree over hosts in inventory order; each node keeps
// the best weight below it and the largest room in each dimension the capacity model
// names (memory, disk and vcpu headroom; or capacity − used per resource class). A
// branch-and-bound descent skips every subtree where no host has room or where no host
// can beat the best found so far, so a request costs about log(hosts) when hosts have
// room. What room cannot summarise (NUMA, PCI, exact float edges) the model's test
// decides: a host the index proposes is tested, and on failure excluded and the search
// repeated.
import type { ComputeNode } from './compute-node.ts';
import type { Weigher } from './model.ts';

/** The RAMWeigher's weight: HostState.free_ram_mb, negated to pack. */
function weightOf(node: ComputeNode, weigher: Weigher): number {
  return weigher === 'spread' ? node.free_ram_mb : -node.free_ram_mb;
}

/** Whether `a` beats `b`: the higher weight, and on a tie the host listed first. */
export function outweighs(a: ComputeNode, b: ComputeNode, weigher: Weigher): boolean {
  const [wa, wb] = [weightOf(a, weigher), weightOf(b, weigher)];
  return wa > wb || (wa === wb && a.index < b.index);
}

export type RoomReader = (node: ComputeNode, into: Float64Array, at: number) => void;

export class HostIndex {
  private readonly leaves: number;
  private readonly weight: Float64Array;
  /** `dimensions` rooms per slot */
  private readonly room: Float64Array;
  private readonly leafOf = new Map<ComputeNode, number>();

  constructor(
    readonly nodes: readonly ComputeNode[],
    private readonly weigher: Weigher,
    private readonly dimensions: number,
    private readonly readRooms: RoomReader,
  ) {
    let leaves = 1;
    while (leaves < nodes.length) leaves *= 2;
    this.leaves = leaves;
    const slots = 2 * leaves;
    this.weight = new Float64Array(slots).fill(-Infinity);
    this.room = new Float64Array(slots * dimensions).fill(-Infinity);
    nodes.forEach((node, position) => {
      this.leafOf.set(node, position);
      this.writeLeaf(leaves + position, node);
    });
    for (let slot = leaves - 1; slot >= 1; slot--) this.pull(slot);
  }

  /** Re-reads a node's figures after a claim, a delete or a change of its service state. */
  update(node: ComputeNode): void {
    const position = this.leafOf.get(node);
    if (position === undefined) return;
    this.writeLeaf(this.leaves + position, node);
    this.pullUpFrom(this.leaves + position);
  }

  /** Hides a node from `best` until `update` restores it. */
  exclude(node: ComputeNode): void {
    const position = this.leafOf.get(node);
    if (position === undefined) return;
    const slot = this.leaves + position;
    this.weight[slot] = -Infinity;
    this.pullUpFrom(slot);
  }

  /** The best-weighted node with room for the demand in every dimension, or null. */
  best(demand: readonly number[]): ComputeNode | null {
    const { dimensions, room, weight } = this;
    let bestWeight = -Infinity;
    let bestPosition = -1;
    const visit = (slot: number, first: number, span: number): void => {
      if (weight[slot] === -Infinity) return;
      for (let dimension = 0, at = slot * dimensions; dimension < dimensions; dimension++, at++) {
        if (room[at] < demand[dimension]) return;
      }
      if (weight[slot] < bestWeight || (weight[slot] === bestWeight && first > bestPosition)) return;
      if (span === 1) {
        bestWeight = weight[slot];
        bestPosition = first;
        return;
      }
      const half = span / 2;
      const left = 2 * slot;
      // Visit the more promising child first so the other is usually pruned.
      if (weight[left + 1] > weight[left]) {
        visit(left + 1, first + half, half);
        visit(left, first, half);
      } else {
        visit(left, first, half);
        visit(left + 1, first + half, half);
      }
    };
    visit(1, 0, this.leaves);
    return bestPosition < 0 ? null : this.nodes[bestPosition];
  }

  private writeLeaf(slot: number, node: ComputeNode): void {
    // ComputeFilter: a host whose compute service is down is never proposed.
    this.weight[slot] = node.serviceDown ? -Infinity : weightOf(node, this.weigher);
    this.readRooms(node, this.room, slot * this.dimensions);
  }

  private pull(slot: number): void {
    const left = 2 * slot;
    const right = left + 1;
    const { dimensions, room } = this;
    this.weight[slot] = Math.max(this.weight[left], this.weight[right]);
    for (let dimension = 0; dimension < dimensions; dimension++) {
      room[slot * dimensions + dimension] = Math.max(room[left * dimensions + dimension], room[right * dimensions + dimension]);
    }
  }

  private pullUpFrom(leafSlot: number): void {
    for (let slot = leafSlot >> 1; slot >= 1; slot >>= 1) this.pull(slot);
  }
}
