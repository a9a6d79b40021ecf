// The arrival trend of one flavor (docs/semantics.md, "Forecast"): an ordinary least-squares
// line through the builds started on each day of the window, extended past its last day and
// floored at 0, since a falling line would otherwise promise negative builds.

export interface ArrivalTrend {
  /** days in the window the line was fitted over, the last being the history's last day */
  window_days: number;
  /** builds a day on the window's first day, by the line */
  intercept: number;
  /** change in builds a day, per day */
  slope: number;
}

/** The least-squares line through `counts`, one a day, oldest first. */
export function fitTrend(counts: readonly number[]): ArrivalTrend {
  const n = counts.length;
  if (n === 0) return { window_days: 0, intercept: 0, slope: 0 };
  const meanX = (n - 1) / 2;
  const meanY = counts.reduce((sum, count) => sum + count, 0) / n;
  let covariance = 0;
  let variance = 0;
  counts.forEach((count, x) => {
    covariance += (x - meanX) * (count - meanY);
    variance += (x - meanX) ** 2;
  });
  const slope = variance === 0 ? 0 : covariance / variance;
  return { window_days: n, intercept: meanY - slope * meanX, slope };
}

/** Expected builds on forecast day `day` (1 = the day after the history ends). */
export function arrivalRate(trend: ArrivalTrend, day: number): number {
  return Math.max(0, trend.intercept + trend.slope * (trend.window_days - 1 + day));
}
