import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LifetimeDistribution } from '../../../../src/engine/scenarios/forecast/kaplan-meier.ts';
import { drawPoisson } from '../../../../src/engine/scenarios/forecast/poisson.ts';
import { arrivalRate, fitTrend } from '../../../../src/engine/scenarios/forecast/trend.ts';
import { SeededRandom } from '../../../../src/engine/scheduler/seeded-random.ts';

function moments(mean: number, draws: number): { mean: number; variance: number } {
  const random = SeededRandom.seeded(7);
  let sum = 0;
  let squares = 0;
  for (let i = 0; i < draws; i++) {
    const k = drawPoisson(mean, random);
    assert.ok(Number.isInteger(k) && k >= 0);
    sum += k;
    squares += k * k;
  }
  const m = sum / draws;
  return { mean: m, variance: squares / draws - m * m };
}

// 40,000 draws put the sample mean within 4 standard errors (4·√(λ/40000)) of λ, and the
// sample variance, whose standard error is about λ·√(2/40000), within 5 of them.
for (const mean of [0.3, 4, 9.5, 10, 37, 400]) {
  test(`Poisson draws of mean ${mean} have mean and variance ${mean} (${mean < 10 ? "Knuth's method" : 'PTRS'})`, () => {
    const drawn = moments(mean, 40_000);
    assert.ok(Math.abs(drawn.mean - mean) <= 4 * Math.sqrt(mean / 40_000), `mean ${drawn.mean}`);
    assert.ok(Math.abs(drawn.variance - mean) <= 5 * mean * Math.sqrt(2 / 40_000) + 0.01, `variance ${drawn.variance}`);
  });
}

test('a mean of zero or below draws no arrivals', () => {
  const random = SeededRandom.seeded(1);
  assert.equal(drawPoisson(0, random), 0);
  assert.equal(drawPoisson(-3, random), 0);
});

test('the trend is the least-squares line through the daily counts, extended past the window and floored at 0', () => {
  const rising = fitTrend([0, 1, 2, 3, 4]);
  assert.deepEqual(rising, { window_days: 5, intercept: 0, slope: 1 });
  assert.equal(arrivalRate(rising, 1), 5);
  const noisy = fitTrend([2, 4, 3, 5]);
  assert.ok(Math.abs(noisy.slope - 0.8) < 1e-12 && Math.abs(noisy.intercept - 2.3) < 1e-12);
  const falling = fitTrend([6, 4, 2]);
  assert.equal(arrivalRate(falling, 1), 0);
  assert.equal(arrivalRate(falling, 10), 0);
  assert.deepEqual(fitTrend([3]), { window_days: 1, intercept: 3, slope: 0 });
});

test('Kaplan–Meier counts a still-running instance as alive to its age, not as ended', () => {
  // Lifetimes 1, 2 (censored), 3, 4 (censored), 5: S(1) = 4/5, S(3) = 4/5 · 2/3, S(5) = 0.
  const lifetimes = LifetimeDistribution.fit([
    { days: 1, ended: true },
    { days: 2, ended: false },
    { days: 3, ended: true },
    { days: 4, ended: false },
    { days: 5, ended: true },
  ]);
  assert.equal(lifetimes.survival(0.5), 1);
  assert.equal(lifetimes.survival(1), 0.8);
  assert.ok(Math.abs(lifetimes.survival(3) - 8 / 15) < 1e-12);
  assert.equal(lifetimes.survival(5), 0);
  assert.equal(lifetimes.median(), 5);
  // Inversion: a uniform of 0.9 ends at the first age where S falls to 0.9 or below.
  assert.equal(lifetimes.remaining(0.9), 1);
  assert.equal(lifetimes.remaining(0.6), 3);
  assert.equal(lifetimes.remaining(0.1), 5);
  // An instance already 2 days old: S(3)/S(2) = 2/3, so a uniform above that ends at 3, one day on.
  assert.equal(lifetimes.remaining(0.7, 2), 1);
  assert.equal(lifetimes.remaining(0.5, 2), 3);
});

test('past the longest lifetime that ended, a drawn instance outlives any horizon', () => {
  const lifetimes = LifetimeDistribution.fit([
    { days: 2, ended: true },
    { days: 10, ended: false },
  ]);
  assert.equal(lifetimes.survival(2), 0.5);
  assert.equal(lifetimes.remaining(0.4), Infinity);
  assert.equal(lifetimes.remaining(0.6), 2);
  assert.equal(LifetimeDistribution.fit([{ days: 3, ended: false }]).median(), null);
});
