// How many generated cases each conformance suite runs. `npm test` runs a share sized so
// the whole suite ends within three minutes on two idle cores; CI (`.ci/run`) sets
// CLAIMPLAN_FULL_CONFORMANCE=1 for the full counts the closing notes quote. A suite's own
// variable (CONFORMANCE_CASES=N, …) wins over both.
export function caseCount(variable: string, quick: number, full: number): number {
  const asked = process.env[variable];
  if (asked !== undefined && asked !== '') return Number(asked);
  return process.env.CLAIMPLAN_FULL_CONFORMANCE === '1' ? full : quick;
}
