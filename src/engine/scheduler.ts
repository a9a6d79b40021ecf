// Choosing a host for a build that names none (docs/semantics.md, "Scheduler"): among the hosts whose claim
// would pass, the RAMWeigher's favourite — most free RAM to spread, least to pack —
// with ties to the host listed first.
//
// A cloud may have tens of thousands of hosts, so the choice must not test every host
// per request. HostIndex is a segment tree over the hosts in inventory order; each node
// keeps the best weight below it and the largest headroom for memory, disk and vcpus.
// A branch-and-bound descent skips every subtree where no host has room or where no
// host can beat the best found so far, so a request costs about log(hosts) when hosts
// have room. NUMA and PCI cannot be summarised that way: a host the index proposes is
// given the full claim test, and on failure excluded and the search repeated.
import { headroom } from './claim-tests.ts';
import type { ComputeNode } from './compute-node.ts';
import type { Weigher } from './model.ts';

/** What a flavor asks, net of per-host overhead (the index folds overhead into headroom). */
export interface FlavorDemand {
  memory_mb: number;
  disk_gb: number;
  vcpus: number;
}

export class HostIndex {
  private readonly leaves: number;
  private readonly weight: Float64Array;
  private readonly memoryRoom: Float64Array;
  private readonly diskRoom: Float64Array;
  private readonly vcpuRoom: Float64Array;
  private readonly leafOf = new Map<ComputeNode, number>();

  constructor(
    readonly nodes: readonly ComputeNode[],
    private readonly weigher: Weigher,
  ) {
    let leaves = 1;
    while (leaves < nodes.length) leaves *= 2;
    this.leaves = leaves;
    const slots = 2 * leaves;
    this.weight = new Float64Array(slots).fill(-Infinity);
    this.memoryRoom = new Float64Array(slots).fill(-Infinity);
    this.diskRoom = new Float64Array(slots).fill(-Infinity);
    this.vcpuRoom = new Float64Array(slots).fill(-Infinity);
    nodes.forEach((node, position) => {
      this.leafOf.set(node, position);
      this.writeLeaf(leaves + position, node);
    });
    for (let slot = leaves - 1; slot >= 1; slot--) this.pull(slot);
  }

  /** Re-reads a node's figures after a claim or a delete. */
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

  /** The best-weighted node with room for the demand in memory, disk and vcpus, or null. */
  best(demand: FlavorDemand): ComputeNode | null {
    let bestWeight = -Infinity;
    let bestPosition = -1;
    const visit = (slot: number, first: number, span: number): void => {
      if (
        this.weight[slot] === -Infinity ||
        this.memoryRoom[slot] < demand.memory_mb ||
        this.diskRoom[slot] < demand.disk_gb ||
        this.vcpuRoom[slot] < demand.vcpus
      ) {
        return;
      }
      const weight = this.weight[slot];
      if (weight < bestWeight || (weight === bestWeight && first > bestPosition)) return;
      if (span === 1) {
        bestWeight = weight;
        bestPosition = first;
        return;
      }
      const half = span / 2;
      const left = 2 * slot;
      // Visit the more promising child first so the other is usually pruned.
      if (this.weight[left + 1] > this.weight[left]) {
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
    const { limits, spec } = node;
    this.weight[slot] = this.weigher === 'spread' ? node.free_ram_mb : -node.free_ram_mb;
    this.memoryRoom[slot] = headroom(node.memory_mb_used, limits.memory_mb) - spec.overhead.memory_mb;
    this.diskRoom[slot] = headroom(node.local_gb_used, limits.disk_gb) - spec.overhead.disk_gb;
    this.vcpuRoom[slot] = headroom(node.vcpus_used, limits.vcpu);
  }

  private pull(slot: number): void {
    const left = 2 * slot;
    const right = left + 1;
    this.weight[slot] = Math.max(this.weight[left], this.weight[right]);
    this.memoryRoom[slot] = Math.max(this.memoryRoom[left], this.memoryRoom[right]);
    this.diskRoom[slot] = Math.max(this.diskRoom[left], this.diskRoom[right]);
    this.vcpuRoom[slot] = Math.max(this.vcpuRoom[left], this.vcpuRoom[right]);
  }

  private pullUpFrom(leafSlot: number): void {
    for (let slot = leafSlot >> 1; slot >= 1; slot >>= 1) this.pull(slot);
  }
}
