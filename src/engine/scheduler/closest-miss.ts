// The host that missed one cause by the least (docs/output.md, "causes": `closest`), kept
// as the hosts' misses change rather than searched for again: on a cloud that fills, the
// host closest to taking a big flavor is the one with the most room, which the weighers
// pick for the next small build, so the holder moves away between most refusals.

/**
 * The hosts measured on one cause, by position in their scope, as a binary heap ordered by
 * shortfall and then by position (the host listed first wins a tie). Every operation is
 * logarithmic in the hosts kept.
 */
export class ClosestMiss {
  /** positions, heap-ordered */
  private readonly heap: Int32Array;
  private size = 0;
  /** per position, its index in `heap`, or −1 when the host is not kept */
  private readonly slot: Int32Array;
  /** per position, how short the host is while kept */
  private readonly short: Float64Array;

  constructor(positions: number) {
    this.heap = new Int32Array(positions);
    this.slot = new Int32Array(positions).fill(-1);
    this.short = new Float64Array(positions);
  }

  /** How short the host at `position` now is; null when it is not short of this cause by a measured amount. */
  set(position: number, short: number | null): void {
    const at = this.slot[position];
    if (short === null) {
      if (at >= 0) this.removeAt(at);
      return;
    }
    if (at < 0) {
      this.short[position] = short;
      this.heap[this.size] = position;
      this.slot[position] = this.size;
      this.up(this.size++);
      return;
    }
    const before = this.short[position];
    this.short[position] = short;
    if (short < before) this.up(at);
    else if (short > before) this.down(at);
  }

  /** The position of the host short by the least, or −1 when none is kept. */
  best(): number {
    return this.bestExcept(-1);
  }

  /**
   * The closest host but the one at `excluded` (a move's source): the second best in heap
   * order is a child of the best.
   */
  bestExcept(excluded: number): number {
    if (this.size === 0) return -1;
    if (this.heap[0] !== excluded) return this.heap[0];
    if (this.size === 1) return -1;
    if (this.size === 2) return this.heap[1];
    return this.before(this.heap[1], this.heap[2]) ? this.heap[1] : this.heap[2];
  }

  /** How short the kept host at `position` is. */
  shortAt(position: number): number {
    return this.short[position];
  }

  private before(a: number, b: number): boolean {
    return this.short[a] < this.short[b] || (this.short[a] === this.short[b] && a < b);
  }

  private removeAt(at: number): void {
    const removed = this.heap[at];
    this.slot[removed] = -1;
    const last = this.heap[--this.size];
    if (at === this.size) return;
    this.heap[at] = last;
    this.slot[last] = at;
    if (at > 0 && this.before(last, this.heap[(at - 1) >> 1])) this.up(at);
    else this.down(at);
  }

  private up(at: number): void {
    const position = this.heap[at];
    while (at > 0) {
      const parent = (at - 1) >> 1;
      if (!this.before(position, this.heap[parent])) break;
      this.place(this.heap[parent], at);
      at = parent;
    }
    this.place(position, at);
  }

  private down(at: number): void {
    const position = this.heap[at];
    for (;;) {
      const left = 2 * at + 1;
      if (left >= this.size) break;
      const right = left + 1;
      const child = right < this.size && this.before(this.heap[right], this.heap[left]) ? right : left;
      if (!this.before(this.heap[child], position)) break;
      this.place(this.heap[child], at);
      at = child;
    }
    this.place(position, at);
  }

  private place(position: number, at: number): void {
    this.heap[at] = position;
    this.slot[position] = at;
  }
}
