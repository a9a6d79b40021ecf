// CPython 3.11's set of small non-negative ints (Objects/setobject.c), slot by slot.
//
// Nova picks which thread of a core to pin, and which CPU serves emulator threads, with
// `list(sibling_set)[:n]`: the answer is the set's iteration order, which is its hash-table
// slot order. To pin the CPUs Nova pins, claimplan keeps the same tables: open addressing
// with 9 linear probes then perturbed jumps, dummies left by deletions, and the resize
// rules of set_add_entry, set_merge and set_difference_update. For ints, hash(i) == i.

const EMPTY = -1;
const DUMMY = -2;
const MIN_SIZE = 8;
const LINEAR_PROBES = 9;
const PERTURB_SHIFT = 5;

export class PySet {
  private table: Int32Array = new Int32Array(MIN_SIZE).fill(EMPTY);
  private mask = MIN_SIZE - 1;
  /** active + dummy slots */
  private fill = 0;
  /** active slots */
  private used = 0;

  /** `set(iterable)` for a list or range: one set_add_key per item, in order. */
  static of(items: Iterable<number>): PySet {
    const set = new PySet();
    for (const item of items) set.add(item);
    return set;
  }

  /**
   * What a Nova object field does with a set (oslo's Set.coerce): a fresh set is built
   * by adding the items one by one, then merged into an empty CoercedSet.
   */
  static coerce(source: PySet): PySet {
    const result = new PySet();
    result.merge(PySet.of(source.values()));
    return result;
  }

  /** A set as Nova reads it back from its JSON column: `set([...])`, then the field's coerce. */
  static fromPrimitive(items: readonly number[]): PySet {
    return PySet.coerce(PySet.of(items));
  }

  get size(): number {
    return this.used;
  }

  /** Iteration order: slot order, skipping empty and dummy slots (set_next). */
  values(): number[] {
    const out: number[] = [];
    const { table } = this;
    for (let i = 0; i <= this.mask; i++) if (table[i] >= 0) out.push(table[i]);
    return out;
  }

  has(key: number): boolean {
    return this.table[this.lookup(key)] === key;
  }

  /** set_lookkey: the slot holding key, or the empty slot that ends its probe sequence. */
  private lookup(key: number): number {
    const { mask, table } = this;
    let i = key & mask;
    let perturb = key;
    for (;;) {
      let probes = i + LINEAR_PROBES <= mask ? LINEAR_PROBES : 0;
      let j = i;
      do {
        const slot = table[j];
        if (slot === EMPTY || slot === key) return j;
        j++;
      } while (probes-- > 0);
      perturb = Math.floor(perturb / 2 ** PERTURB_SHIFT);
      i = (i * 5 + 1 + perturb) & mask;
    }
  }

  /** set_add_entry: reuses the first dummy on the probe path, grows at 60% fill. */
  add(key: number): void {
    const { mask, table } = this;
    let i = key & mask;
    let perturb = key;
    let freeSlot = -1;
    for (;;) {
      let probes = i + LINEAR_PROBES <= mask ? LINEAR_PROBES : 0;
      let j = i;
      do {
        const slot = table[j];
        if (slot === EMPTY) {
          if (freeSlot >= 0) {
            table[freeSlot] = key;
            this.used++;
            return;
          }
          table[j] = key;
          this.fill++;
          this.used++;
          if (this.fill * 5 >= mask * 3) this.resize(this.used > 50000 ? this.used * 2 : this.used * 4);
          return;
        }
        if (slot === key) return;
        if (slot === DUMMY && freeSlot < 0) freeSlot = j;
        j++;
      } while (probes-- > 0);
      perturb = Math.floor(perturb / 2 ** PERTURB_SHIFT);
      i = (i * 5 + 1 + perturb) & mask;
    }
  }

  /** set_discard_entry: leaves a dummy behind. */
  discard(key: number): boolean {
    const j = this.lookup(key);
    if (this.table[j] !== key) return false;
    this.table[j] = DUMMY;
    this.used--;
    return true;
  }

  /** set_table_resize: the smallest power of two above minUsed, keys re-inserted in slot order. */
  private resize(minUsed: number): void {
    let size = MIN_SIZE;
    while (size <= minUsed) size *= 2;
    // The small table is rebuilt in place only to purge dummies.
    if (size === MIN_SIZE && this.mask === MIN_SIZE - 1 && this.fill === this.used) return;
    const old = this.table;
    this.table = new Int32Array(size).fill(EMPTY);
    this.mask = size - 1;
    this.fill = this.used;
    for (let i = 0; i < old.length; i++) if (old[i] >= 0) this.insertClean(old[i]);
  }

  /** set_insert_clean: the table has no dummies and does not hold key. */
  private insertClean(key: number): void {
    const { mask, table } = this;
    let i = key & mask;
    let perturb = key;
    for (;;) {
      if (table[i] === EMPTY) {
        table[i] = key;
        return;
      }
      if (i + LINEAR_PROBES <= mask) {
        for (let j = i + 1; j <= i + LINEAR_PROBES; j++) {
          if (table[j] === EMPTY) {
            table[j] = key;
            return;
          }
        }
      }
      perturb = Math.floor(perturb / 2 ** PERTURB_SHIFT);
      i = (i * 5 + 1 + perturb) & mask;
    }
  }

  /** set_merge: `a |= b` and `a.update(b)` with a set argument. */
  merge(other: PySet): void {
    if (other === this || other.used === 0) return;
    if ((this.fill + other.used) * 5 >= this.mask * 3) this.resize((this.used + other.used) * 2);
    if (this.fill === 0 && this.mask === other.mask && other.fill === other.used) {
      this.table.set(other.table);
      this.fill = other.fill;
      this.used = other.used;
      return;
    }
    if (this.fill === 0) {
      this.fill = other.used;
      this.used = other.used;
      for (let i = 0; i <= other.mask; i++) if (other.table[i] >= 0) this.insertClean(other.table[i]);
      return;
    }
    for (let i = 0; i <= other.mask; i++) if (other.table[i] >= 0) this.add(other.table[i]);
  }

  /** `set(self)`: make_new_set then set_merge. */
  copy(): PySet {
    const result = new PySet();
    result.merge(this);
    return result;
  }

  /** set_difference: `self - other`. */
  difference(other: PySet): PySet {
    if (this.used >> 2 > other.used) {
      const result = this.copy();
      result.differenceUpdate(other);
      return result;
    }
    const result = new PySet();
    for (const key of this.values()) if (!other.has(key)) result.add(key);
    return result;
  }

  /** set_difference_update_internal: `self -= other`, purging dummies past a quarter of the table. */
  differenceUpdate(other: PySet): void {
    if (other === this) {
      this.table = new Int32Array(MIN_SIZE).fill(EMPTY);
      this.mask = MIN_SIZE - 1;
      this.fill = this.used = 0;
      return;
    }
    const removing = other.used >> 3 > this.used ? this.intersection(other) : other;
    for (const key of removing.values()) this.discard(key);
    if (this.fill - this.used <= this.mask >>> 2) return;
    this.resize(this.used > 50000 ? this.used * 2 : this.used * 4);
  }

  /** set_intersection: `self & other`, walking the smaller set (`other` on a tie). */
  intersection(other: PySet): PySet {
    if (other === this) return this.copy();
    const [walked, probed] = other.used > this.used ? [this, other] : [other, this];
    const result = new PySet();
    for (const key of walked.values()) if (probed.has(key)) result.add(key);
    return result;
  }

  /** `set.__repr__` of ints, as Nova's messages print them: "{1, 2}" or "set()". */
  repr(): string {
    return this.used === 0 ? 'set()' : `{${this.values().join(', ')}}`;
  }
}
