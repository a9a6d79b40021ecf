// The names a trace has deleted, which the request checker must remember to the end of the
// trace (a later delete of one is accepted, a later move of one is told it was deleted), kept
// as bytes rather than strings: a million-request trace deletes hundreds of thousands of
// names, and each in a Set costs its string and an entry, some 60 bytes, where here it costs
// its characters and two table slots (docs/contributing.md, "Scale").

/** Longest name kept as bytes: its length is one byte. Longer ones, and names with characters past Latin-1, go to a Set. */
const LONGEST_PACKED = 255;
const EMPTY = -1;

/** An append-only set of names. */
export class DeletedNames {
  /** each packed name's length, then its Latin-1 characters */
  private bytes = new Uint8Array(1 << 16);
  private end = 0;
  /** open addressing, linear probing: where each name's bytes start, or EMPTY */
  private slots = new Int32Array(1 << 12).fill(EMPTY);
  private packed = 0;
  private readonly others = new Set<string>();

  has(name: string): boolean {
    if (!packable(name)) return this.others.has(name);
    return this.slots[this.slotOf(name)] !== EMPTY;
  }

  add(name: string): void {
    if (!packable(name)) {
      this.others.add(name);
      return;
    }
    const slot = this.slotOf(name);
    if (this.slots[slot] !== EMPTY) return;
    this.slots[slot] = this.write(name);
    if (++this.packed * 2 > this.slots.length) this.grow();
  }

  /** The slot that holds `name`, or the empty one where it would go. */
  private slotOf(name: string): number {
    const mask = this.slots.length - 1;
    for (let slot = hashOf(name) & mask; ; slot = (slot + 1) & mask) {
      const at = this.slots[slot];
      if (at === EMPTY || this.holds(at, name)) return slot;
    }
  }

  private holds(at: number, name: string): boolean {
    const { bytes } = this;
    if (bytes[at] !== name.length) return false;
    for (let index = 0; index < name.length; index++) if (bytes[at + 1 + index] !== name.charCodeAt(index)) return false;
    return true;
  }

  private write(name: string): number {
    const at = this.end;
    if (at + 1 + name.length > this.bytes.length) {
      const bigger = new Uint8Array(this.bytes.length * 2);
      bigger.set(this.bytes.subarray(0, at));
      this.bytes = bigger;
    }
    this.bytes[at] = name.length;
    for (let index = 0; index < name.length; index++) this.bytes[at + 1 + index] = name.charCodeAt(index);
    this.end = at + 1 + name.length;
    return at;
  }

  private grow(): void {
    const old = this.slots;
    this.slots = new Int32Array(old.length * 2).fill(EMPTY);
    const mask = this.slots.length - 1;
    for (const at of old) {
      if (at === EMPTY) continue;
      let slot = hashOfBytes(this.bytes, at) & mask;
      while (this.slots[slot] !== EMPTY) slot = (slot + 1) & mask;
      this.slots[slot] = at;
    }
  }
}

function packable(name: string): boolean {
  if (name.length > LONGEST_PACKED) return false;
  for (let index = 0; index < name.length; index++) if (name.charCodeAt(index) > 0xff) return false;
  return true;
}

/** FNV-1a over the characters, the same whether read from a string or from the bytes it was packed into. */
function hashOf(name: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < name.length; index++) hash = Math.imul(hash ^ name.charCodeAt(index), 0x01000193);
  return hash >>> 0;
}

function hashOfBytes(bytes: Uint8Array, at: number): number {
  let hash = 0x811c9dc5;
  for (let index = 0, length = bytes[at]; index < length; index++) hash = Math.imul(hash ^ bytes[at + 1 + index], 0x01000193);
  return hash >>> 0;
}
