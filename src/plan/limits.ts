// How large a plan may be, and why: docs/limits.md.

/**
 * The bounds docs/limits.md gives and explains, in one place: the schema (json-schema.ts)
 * states those a single value can break, and the readers that expand counts (hosts.ts, requests.ts)
 * check the totals before expanding anything.
 */
export const LIMITS = {
  hostsPerGroup: 100_000,
  hostsPerPlan: 100_000,
  instancesOnHosts: 2_000_000,
  hostDetails: 20_000_000,
  buildsPerRequest: 1_000_000,
  requestsPerPlan: 10_000_000,
  nameLength: 255,
  nameWidth: 9,
  traceLineLength: 65_536,
  nestingDepth: 64,
  planFileBytes: 32 * 2 ** 20,
  /** Nova's db.MAX_INT: its API refuses larger amounts and its integer columns cannot hold them */
  integer: 2_147_483_647,
} as const;
