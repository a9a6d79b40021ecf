// OpenMetrics text exposition, so a CI job can publish capacity to the dashboards
// operators already run (Prometheus scrapes it, or a node_exporter textfile collector
// reads it), and `promtool check metrics` finds nothing to say about it.
import type { Write } from './document.ts';

export type Labels = Record<string, string>;

export interface Sample {
  labels: Labels;
  value: number;
}

/**
 * Every family is a gauge: each figure is the state one replay ends in, and the next run
 * (a changed plan) may report less — a counter would read that drop as a reset.
 */
export interface MetricFamily {
  /** in base units, the unit last (`claimplan_host_memory_bytes`), as Prometheus names metrics */
  name: string;
  help: string;
  /** set when the name ends with it, as OpenMetrics asks */
  unit?: 'bytes';
  samples: readonly Sample[];
}

/** Nova counts memory in MB (MiB) and disk in GB (GiB); metrics count bytes. */
export const BYTES_PER_MB = 1024 ** 2;
export const BYTES_PER_GB = 1024 ** 3;

/** A bound where null means none applies: +Inf, which compares as Prometheus expects. */
export function unbounded(value: number | null): number {
  return value ?? Infinity;
}

/** Label values escape backslash, double quote and line feed (OpenMetrics ABNF). */
function escapeLabelValue(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

/** The value itself, not a figure for reading: JavaScript's shortest exact form, never rounded. */
function numberText(value: number): string {
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  return Number.isNaN(value) ? 'NaN' : String(value);
}

/** Families in order, each with HELP, TYPE (and UNIT) before its samples; one without samples is left out. */
export function writeOpenMetrics(families: Iterable<MetricFamily>, write: Write): void {
  for (const family of families) {
    if (family.samples.length === 0) continue;
    write(`# HELP ${family.name} ${family.help.replace(/\\/g, '\\\\').replace(/\n/g, '\\n')}\n`);
    write(`# TYPE ${family.name} gauge\n`);
    if (family.unit) write(`# UNIT ${family.name} ${family.unit}\n`);
    for (const sample of family.samples) {
      const labels = Object.entries(sample.labels)
        .map(([key, value]) => `${key}="${escapeLabelValue(value)}"`)
        .join(',');
      write(`${family.name}${labels ? `{${labels}}` : ''} ${numberText(sample.value)}\n`);
    }
  }
  write('# EOF\n');
}
