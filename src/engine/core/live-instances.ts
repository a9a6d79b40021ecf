// The instances a replay holds, by name, shareable between a state and its clones: a clone
// reads the records as they were when it was made and keeps its own changes apart, so
// cloning a cloud of a hundred thousand instances for each failover scenario copies none
// of them (docs/semantics.md, "Failover").

/** A record of what an instance holds, which a state replaces and never changes. */
export class LiveInstances<Record> {
  /** this state's changes over the shared records; null marks a shared record deleted here */
  private own = new Map<string, Record | null>();

  constructor(private base: ReadonlyMap<string, Record> = new Map()) {}

  get(name: string): Record | undefined {
    const changed = this.own.get(name);
    return changed === undefined ? this.base.get(name) : changed ?? undefined;
  }

  set(name: string, record: Record): void {
    this.own.set(name, record);
  }

  delete(name: string): void {
    // A name only this state knows leaves no mark, so a long replay's deletes keep nothing.
    if (this.base.has(name)) this.own.set(name, null);
    else this.own.delete(name);
  }

  *entries(): Generator<[string, Record]> {
    for (const entry of this.base) if (!this.own.has(entry[0])) yield entry;
    for (const [name, record] of this.own) if (record !== null) yield [name, record];
  }

  /**
   * A copy that shares the records: both then read one frozen map, written once here when
   * this state has changes of its own, and each keeps its later changes to itself.
   */
  fork(): LiveInstances<Record> {
    if (this.own.size > 0) {
      this.base = new Map(this.entries());
      this.own = new Map();
    }
    return new LiveInstances(this.base);
  }
}
