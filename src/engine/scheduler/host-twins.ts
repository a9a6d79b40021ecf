// Hosts alike to the last bit, for the host index (host-index.ts, docs/semantics.md
// "Weighing"): the same raw weight for every index weigher and the same room in every
// dimension, so that their totals are equal under any normalisation and plan order alone
// settles them. A cloud that levels as it fills has many: hosts of one size holding the same
// instances. The first live one of them in plan order is the one the index's figures count.

/** Hosts whose raw weights and rooms are equal, as index positions in plan order. */
export interface Twins {
  /** the hash they are filed under */
  readonly hash: number;
  /**
   * the members from `start` on: the first in plan order is the one claimed on and leaving
   * first as a cloud levels, so it leaves by moving `start` rather than shifting hundreds
   */
  readonly members: number[];
  start: number;
  /** the member the index counts (live, first in plan order), or −1 */
  shown: number;
  /** other twins filed under the same hash */
  next: Twins | null;
}

/** Members left before `start` past which they are dropped, once they are half the list. */
const COMPACT_PAST = 32;

/** What `settle` returns when the member shown stays the same. */
export const SHOWN_UNCHANGED = -2;

/** Scratch for hashing a double's bits. */
const HASHED = new Float64Array(1);
const HASHED_WORDS = new Int32Array(HASHED.buffer);

/** `hash` with a double's bits mixed in. */
function mixed(hash: number, value: number): number {
  HASHED[0] = value;
  return Math.imul(Math.imul(hash ^ HASHED_WORDS[0], 0x9e3779b1) ^ HASHED_WORDS[1], 0x85ebca6b);
}

/** The twins of every position of one index, over the index's own arrays of figures. */
export class HostTwins {
  private readonly twinsOf: Twins[];
  /** the first of the twins filed under each hash, the others chained behind it */
  private readonly byHash = new Map<number, Twins>();

  constructor(
    /** per position, its plan position (ComputeNode.index) */
    private readonly planIndex: Float64Array,
    /** per position, `stride` raw weights */
    private readonly raw: Float64Array,
    private readonly stride: number,
    /** per position, `dimensions` rooms */
    private readonly room: Float64Array,
    private readonly dimensions: number,
    /** per position, 1 where live */
    private readonly live: Uint8Array,
    /** twins to copy, over arrays equal to these: a cloned state's index (host-index.ts `copyOver`) */
    copyOf: HostTwins | null = null,
  ) {
    this.twinsOf = new Array<Twins>(planIndex.length);
    if (copyOf === null) {
      for (let position = 0; position < planIndex.length; position++) this.join(position);
      return;
    }
    for (const [hash, first] of copyOf.byHash) {
      let copied: Twins | null = null;
      for (let twins: Twins | null = first; twins !== null; twins = twins.next) {
        copied = { hash, members: twins.members.slice(twins.start), start: 0, shown: twins.shown, next: copied };
        for (const member of copied.members) this.twinsOf[member] = copied;
      }
      this.byHash.set(hash, copied!);
    }
  }

  of(position: number): Twins {
    return this.twinsOf[position];
  }

  /** Every set of twins, to settle each once its positions are all filed. */
  all(): Twins[] {
    const all: Twins[] = [];
    for (const first of this.byHash.values()) for (let twins: Twins | null = first; twins !== null; twins = twins.next) all.push(twins);
    return all;
  }

  /**
   * Files a position whose figures were just read again among the twins they now match; the
   * twins it left, or null when it is still alike to the ones it was among.
   */
  regroup(position: number): Twins | null {
    const before = this.twinsOf[position];
    const { members, start } = before;
    const other = members[start] !== position ? members[start] : start + 1 < members.length ? members[start + 1] : -1;
    if (this.alike(position, other)) return null;
    this.leave(position);
    this.join(position);
    return before;
  }

  /**
   * Makes the first live member of `twins` the one shown; the member shown before (−1: none)
   * when that changed, or SHOWN_UNCHANGED.
   */
  settle(twins: Twins): number {
    let first = -1;
    const { members } = twins;
    for (let at = twins.start; at < members.length; at++) {
      if (this.live[members[at]] === 1) {
        first = members[at];
        break;
      }
    }
    if (first === twins.shown) return SHOWN_UNCHANGED;
    const before = twins.shown;
    twins.shown = first;
    return before;
  }

  /** Whether two positions weigh alike to the last bit and have the same room (false for −1). */
  private alike(position: number, other: number): boolean {
    if (other < 0) return false;
    for (let at = 0; at < this.stride; at++) if (!Object.is(this.raw[position * this.stride + at], this.raw[other * this.stride + at])) return false;
    for (let at = 0; at < this.dimensions; at++) if (!Object.is(this.room[position * this.dimensions + at], this.room[other * this.dimensions + at])) return false;
    return true;
  }

  private hashOf(position: number): number {
    let hash = 0x811c9dc5;
    for (let at = 0; at < this.stride; at++) hash = mixed(hash, this.raw[position * this.stride + at]);
    for (let at = 0; at < this.dimensions; at++) hash = mixed(hash, this.room[position * this.dimensions + at]);
    return hash;
  }

  /** Puts a position among the twins its figures match, in plan order. */
  private join(position: number): void {
    const hash = this.hashOf(position);
    const first = this.byHash.get(hash) ?? null;
    let twins = first;
    while (twins !== null && !this.alike(position, twins.members[twins.start])) twins = twins.next;
    if (twins === null) this.byHash.set(hash, (twins = { hash, members: [], start: 0, shown: -1, next: first }));
    // In plan order, shifting by hand: splice would make an array of what it removed.
    const { members, start } = twins;
    let at = members.length;
    members.push(position);
    for (; at > start && this.planIndex[members[at - 1]] > this.planIndex[position]; at--) members[at] = members[at - 1];
    members[at] = position;
    this.twinsOf[position] = twins;
  }

  /** Takes a position out of its twins; twins left empty are forgotten. The caller settles them. */
  private leave(position: number): void {
    const twins = this.twinsOf[position];
    const { members } = twins;
    const at = members.indexOf(position, twins.start);
    if (at === twins.start) twins.start++;
    else {
      for (let moved = at; moved < members.length - 1; moved++) members[moved] = members[moved + 1];
      members.pop();
    }
    if (twins.start > COMPACT_PAST && 2 * twins.start > members.length) {
      members.copyWithin(0, twins.start);
      members.length -= twins.start;
      twins.start = 0;
    }
    if (members.length > twins.start) return;
    const first = this.byHash.get(twins.hash)!;
    if (first === twins) {
      if (twins.next === null) this.byHash.delete(twins.hash);
      else this.byHash.set(twins.hash, twins.next);
      return;
    }
    let before = first;
    while (before.next !== twins) before = before.next!;
    before.next = twins.next;
  }
}
