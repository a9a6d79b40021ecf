// Poisson draws for a day's arrivals (docs/semantics.md, "Forecast"). Two methods, as
// numpy's generator uses them: Knuth's product of uniforms while the mean is small (its
// cost grows with the mean), and Hörmann's transformed rejection with squeeze (PTRS, "The
// transformed rejection method for generating Poisson random variables", 1993) from a
// mean of 10, whose cost does not. Both are exact; neither is a normal approximation.
import type { SeededRandom } from '../../scheduler/seeded-random.ts';

/** Where numpy switches from Knuth's method to PTRS. */
const PTRS_FROM_MEAN = 10;

export function drawPoisson(mean: number, random: SeededRandom): number {
  if (mean <= 0) return 0;
  return mean < PTRS_FROM_MEAN ? knuth(mean, random) : ptrs(mean, random);
}

/** Counts uniforms until their product falls below e^−mean. */
function knuth(mean: number, random: SeededRandom): number {
  const floor = Math.exp(-mean);
  let product = random.unit();
  let count = 0;
  while (product > floor) {
    count++;
    product *= random.unit();
  }
  return count;
}

function ptrs(mean: number, random: SeededRandom): number {
  const rootMean = Math.sqrt(mean);
  const logMean = Math.log(mean);
  const b = 0.931 + 2.53 * rootMean;
  const a = -0.059 + 0.02483 * b;
  const inverseAlpha = 1.1239 + 1.1328 / (b - 3.4);
  const acceptAlways = 0.9277 - 3.6224 / (b - 2);
  for (;;) {
    const u = random.unit() - 0.5;
    const v = random.unit();
    const us = 0.5 - Math.abs(u);
    const k = Math.floor(((2 * a) / us + b) * u + mean + 0.43);
    if (us >= 0.07 && v <= acceptAlways) return k;
    if (k < 0 || (us < 0.013 && v > us)) continue;
    if (Math.log(v) + Math.log(inverseAlpha) - Math.log(a / (us * us) + b) <= -mean + k * logMean - logFactorial(k)) return k;
  }
}

/** ln(k!) by Stirling's series, exact to double precision from k = 10; a table below. */
function logFactorial(k: number): number {
  if (k < SMALL_LOG_FACTORIALS.length) return SMALL_LOG_FACTORIALS[k];
  const x = k + 1;
  const inverse = 1 / x;
  const inverseSquare = inverse * inverse;
  const series = inverse * (1 / 12 - inverseSquare * (1 / 360 - inverseSquare * (1 / 1260 - inverseSquare / 1680)));
  return (x - 0.5) * Math.log(x) - x + 0.5 * Math.log(2 * Math.PI) + series;
}

const SMALL_LOG_FACTORIALS = Array.from({ length: 10 }, (_, k) => {
  let sum = 0;
  for (let i = 2; i <= k; i++) sum += Math.log(i);
  return sum;
});
