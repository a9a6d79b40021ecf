// Option values checked as commander reads them, so that every bad value is reported the
// one way commander reports its own (`claimplan: option '--k <count>' argument '0' is
// invalid. must be …`, exit 2; docs/output.md, "Exit codes"). Problems that need the plan
// (an unknown flavor, a host that is not in it) are checked after it loads.
import { InvalidArgumentError } from 'commander';

/** An option that may be given several times, its values in order. */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/** `--fail-if-runway-under`: a count of days, 0 included. */
export function wholeNumber(text: string): number {
  const value = Number(text);
  if (!/^\s*\d+\s*$/.test(text) || !Number.isSafeInteger(value)) throw new InvalidArgumentError('must be a whole number');
  return value;
}

/** `--jobs`, `--k`: a count of threads or hosts. */
export function wholeNumberAtLeastOne(text: string): number {
  const value = Number(text);
  if (!/^\s*\d+\s*$/.test(text) || !Number.isSafeInteger(value) || value < 1) throw new InvalidArgumentError('must be a whole number, at least 1');
  return value;
}

/** The scheduler's random draws take a 32-bit seed (docs/semantics.md, "Weighing"). */
export function seed(text: string): number {
  const value = Number(text);
  if (!/^\s*\d+\s*$/.test(text) || !Number.isSafeInteger(value) || value > 0xffffffff) throw new InvalidArgumentError('must be a whole number from 0 to 4294967295');
  return value;
}

const FAILOVER = /^failover:(\d+)$/;

/** `failover:N`: the number of hosts a loss takes at once. */
export function failoverHosts(text: string): number {
  const match = FAILOVER.exec(text);
  if (!match || Number(match[1]) < 1) throw new InvalidArgumentError('must be failover:N, N a whole number of hosts, at least 1');
  return Number(match[1]);
}

/** expand's `--target`: `builds` (null), or `failover:N` (N). */
export function expandTarget(text: string): number | null {
  if (text === 'builds') return null;
  const match = FAILOVER.exec(text);
  if (!match || Number(match[1]) < 1) throw new InvalidArgumentError('must be builds or failover:N, N a whole number of hosts, at least 1');
  return Number(match[1]);
}

/** `--fail-if METRIC OP NUMBER`: what a gate reads of a summary, and when it fails. */
export interface Gate<Metric extends string> {
  text: string;
  metric: Metric;
  operator: '>=' | '<=' | '>' | '<' | '=';
  value: number;
}

const GATE_OPERATORS = ['>=', '<=', '>', '<', '='] as const;

/** A repeatable `--fail-if` over `metrics`: each value parsed as it is read. */
export function gates<Metric extends string>(metrics: readonly Metric[]): (text: string, previous?: Gate<Metric>[]) => Gate<Metric>[] {
  return (text, previous = []) => {
    const match = /^\s*([a-z]+)\s*(>=|<=|>|<|=)\s*(-?[0-9.]+)\s*$/.exec(text);
    if (!match || !Number.isFinite(Number(match[3])) || !(metrics as readonly string[]).includes(match[1])) {
      throw new InvalidArgumentError(`must be METRIC OP NUMBER, e.g. '${metrics[0]}>10' (quoted: > is a shell redirect); METRIC is ${metrics.join(', ')} and OP one of ${GATE_OPERATORS.join(' ')}`);
    }
    return [...previous, { text, metric: match[1] as Metric, operator: match[2] as Gate<Metric>['operator'], value: Number(match[3]) }];
  };
}

export function gateFails<Metric extends string>(gate: Gate<Metric>, figures: Record<Metric, number>): boolean {
  const figure = figures[gate.metric];
  switch (gate.operator) {
    case '>':
      return figure > gate.value;
    case '>=':
      return figure >= gate.value;
    case '<':
      return figure < gate.value;
    case '<=':
      return figure <= gate.value;
    case '=':
      return figure === gate.value;
  }
}
