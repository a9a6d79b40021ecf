// Which compute nodes changed, in the order they changed: every bump of a node's version
// (its usage or service state) is recorded here, so what is kept per request over many
// hosts — No valid host's causes (docs/semantics.md, "No valid host") — retests only the
// hosts changed since it last answered, instead of walking every host to compare versions.
import type { ComputeNode } from './compute-node.ts';

/**
 * The node indexes of every change, as one log with a sequence number per entry. The log
 * is bounded: once it holds twice as many entries as there are nodes, the older half is
 * dropped. A reader that has fallen further behind than the nodes it follows reads every
 * node again anyway, so it never needs what was dropped.
 */
export class ChangeJournal {
  private entries: Int32Array;
  /** the sequence number of entries[0] */
  private first = 0;
  private length = 0;

  constructor(readonly nodeCount: number) {
    this.entries = new Int32Array(Math.max(64, 2 * nodeCount));
  }

  /** The sequence number the next change will have: a reader's cursor once it has read everything. */
  get end(): number {
    return this.first + this.length;
  }

  record(nodeIndex: number): void {
    if (this.length === this.entries.length) {
      const kept = this.length >> 1;
      this.entries.copyWithin(0, this.length - kept, this.length);
      this.first += this.length - kept;
      this.length = kept;
    }
    this.entries[this.length++] = nodeIndex;
  }

  /** The node indexes changed from sequence number `cursor` on (a view, valid until the next change), or null once they were dropped. */
  since(cursor: number): Int32Array | null {
    if (cursor < this.first) return null;
    return this.entries.subarray(cursor - this.first, this.length);
  }
}

/**
 * One reader of the journal over a list of nodes (a scope's): the positions in that list of
 * the nodes whose version changed since it last asked. It falls back to comparing every
 * node's version when more changes were recorded than it follows nodes, or were dropped.
 */
export class ChangedNodes {
  /** per position, the node's version when last visited; −1 before the first visit */
  private readonly seen: Float64Array;
  /** per node index, its position in `nodes`, or −1; made when first needed (a reader asked once needs none) */
  private positions: Int32Array | null = null;
  private cursor: number | null = null;

  constructor(
    private readonly journal: ChangeJournal,
    private readonly nodes: readonly ComputeNode[],
  ) {
    this.seen = new Float64Array(nodes.length).fill(-1);
  }

  /** The position of a node in the list this reader follows, or −1 when it is not in it. */
  positionOf(node: ComputeNode): number {
    return this.positionsByIndex()[node.index];
  }

  /** Calls `visit` once for each node changed since the last call, every node on the first, in no set order. */
  forEachChanged(visit: (node: ComputeNode, position: number) => void): void {
    const changed = this.cursor === null ? null : this.journal.since(this.cursor);
    this.cursor = this.journal.end;
    if (changed === null || changed.length > this.nodes.length) {
      this.nodes.forEach((node, position) => this.visitIfChanged(node, position, visit));
      return;
    }
    const positions = this.positionsByIndex();
    for (let at = 0; at < changed.length; at++) {
      const position = positions[changed[at]];
      if (position >= 0) this.visitIfChanged(this.nodes[position], position, visit);
    }
  }

  private positionsByIndex(): Int32Array {
    if (this.positions === null) {
      const positions = (this.positions = new Int32Array(this.journal.nodeCount).fill(-1));
      this.nodes.forEach((node, position) => (positions[node.index] = position));
    }
    return this.positions;
  }

  private visitIfChanged(node: ComputeNode, position: number, visit: (node: ComputeNode, position: number) => void): void {
    if (this.seen[position] === node.version) return;
    this.seen[position] = node.version;
    visit(node, position);
  }
}
