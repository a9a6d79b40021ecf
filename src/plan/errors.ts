// Input problems are values: each located by file, line, column and a readable path,
// collected into a list and reported together (docs/contributing.md, "Errors are data").

export interface PlanError {
  file: string;
  /** 1-based; 0 when the problem has no place in a file (an unreadable file) */
  line: number;
  /** 1-based; 0 when the problem has no place in a file */
  column: number;
  /** where in the plan, e.g. `hosts[2].memory_mb`; empty for YAML syntax errors */
  path: string;
  message: string;
  /** how many problems this one stands for, when more than itself: a trace's last shown counts those not shown */
  count?: number;
}

/** How many problems `errors` report, those a trace did not show each counted. */
export function problemCount(errors: readonly PlanError[]): number {
  return errors.reduce((sum, error) => sum + (error.count ?? 1), 0);
}

/** `FILE:LINE:COL  PATH  message`, the path left out when there is none. */
export function formatPlanError(error: PlanError): string {
  const where = `${error.file}:${error.line}:${error.column}`;
  return error.path === '' ? `${where}  ${error.message}` : `${where}  ${error.path}  ${error.message}`;
}

/**
 * Sorts by file in the order the files were given (a plan's trace files right after
 * it), then line, then column; drops exact repeats, which a request with `count: 40`
 * naming an unknown flavor would otherwise report forty times.
 */
export function sortPlanErrors(errors: PlanError[], fileOrder: string[]): PlanError[] {
  const rank = new Map<string, number>();
  const unlisted = errors.map((error) => error.file).filter((file) => !fileOrder.includes(file));
  for (const file of [...fileOrder, ...unlisted.sort()]) if (!rank.has(file)) rank.set(file, rank.size);
  const seen = new Set<string>();
  const unique = errors.filter((error) => {
    const key = formatPlanError(error);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  return unique.sort(
    (a, b) => rank.get(a.file)! - rank.get(b.file)! || a.line - b.line || a.column - b.column,
  );
}
