// How long instances of a flavor live (docs/semantics.md, "Forecast"): the Kaplan–Meier
// estimate over the history's lifetimes, an instance still running counted as censored —
// it lived at least this long — rather than as ending today, which would shorten every
// lifetime. Past the longest lifetime that ended, the estimate says nothing: an instance
// drawn there outlives any horizon.

/** One instance's lifetime in days: it ended then, or is still running at that age. */
export interface LifetimeObservation {
  days: number;
  ended: boolean;
}

export class LifetimeDistribution {
  private constructor(
    /** the distinct ages at which instances ended, ascending */
    private readonly times: readonly number[],
    /** the share still alive just after each of them */
    private readonly survivals: readonly number[],
  ) {}

  static fit(observations: readonly LifetimeObservation[]): LifetimeDistribution {
    const sorted = [...observations].sort((a, b) => a.days - b.days);
    const times: number[] = [];
    const survivals: number[] = [];
    let survival = 1;
    let atRisk = sorted.length;
    for (let i = 0; i < sorted.length; ) {
      const age = sorted[i].days;
      let ended = 0;
      let leaving = 0;
      // Those censored at an age count as at risk of ending at that age, the usual convention.
      for (; i < sorted.length && sorted[i].days === age; i++, leaving++) if (sorted[i].ended) ended++;
      if (ended > 0) {
        survival *= 1 - ended / atRisk;
        times.push(age);
        survivals.push(survival);
      }
      atRisk -= leaving;
    }
    return new LifetimeDistribution(times, survivals);
  }

  /** The share of instances alive at `age` days. */
  survival(age: number): number {
    const after = this.firstAfter(age);
    return after === 0 ? 1 : this.survivals[after - 1];
  }

  /** The age by which half have ended; null when more than half outlive the history. */
  median(): number | null {
    const index = this.survivals.findIndex((survival) => survival <= 0.5);
    return index < 0 ? null : this.times[index];
  }

  /**
   * A lifetime in days for an instance already `age` days old, by inversion: the first age
   * at which the share alive, relative to those alive at `age`, falls to `uniform` (in
   * (0, 1]). Infinity when the estimate never falls that low.
   */
  remaining(uniform: number, age = 0): number {
    const target = uniform * this.survival(age);
    let low = 0;
    let high = this.times.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (this.survivals[middle] <= target) high = middle;
      else low = middle + 1;
    }
    const ending = Math.max(low, this.firstAfter(age));
    return ending === this.times.length ? Infinity : this.times[ending] - age;
  }

  /** The index of the first ending strictly after `age`. */
  private firstAfter(age: number): number {
    let low = 0;
    let high = this.times.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (this.times[middle] <= age) low = middle + 1;
      else high = middle;
    }
    return low;
  }
}
