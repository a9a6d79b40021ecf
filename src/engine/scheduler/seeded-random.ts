// The one random generator a replay's scheduler draws from (host_subset_size,
// shuffle_best_same_weighed_hosts), seeded so that a run can be repeated (`--seed`,
// docs/semantics.md, "Weighing"). Nova draws from Python's global generator, whose stream
// no plan can reproduce; what a replay keeps is Nova's rule, not its draws. Mulberry32: small,
// fast, and a state of one 32-bit word that a clone copies.
export class SeededRandom {
  private constructor(private state: number) {}

  static seeded(seed: number): SeededRandom {
    return new SeededRandom(seed >>> 0);
  }

  clone(): SeededRandom {
    return new SeededRandom(this.state);
  }

  /** Draws on from where `kept`, a clone taken before, is. */
  putBack(kept: SeededRandom): void {
    this.state = kept.state;
  }

  /** A whole number from 0 to n − 1. */
  below(n: number): number {
    return Math.floor(this.unit() * n);
  }

  /** A number in [0, 1), in steps of 2⁻³²: what `forecast` draws arrivals and lifetimes from. */
  unit(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
}
