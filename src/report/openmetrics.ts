// OpenMetrics text exposition, so a CI job can publish capacity to the dashboards
// operators already run (Prometheus scrapes or pushes this format).
import type { Write } from './document.ts';

export interface MetricFamily {
  name: string;
  help: string;
  samples: { labels: Record<string, string>; value: number }[];
}

/** Label values escape backslash, double quote and line feed (OpenMetrics ABNF). */
function escapeLabelValue(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

function numberText(value: number): string {
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  return Number.isNaN(value) ? 'NaN' : String(value);
}

export function writeOpenMetrics(families: readonly MetricFamily[], write: Write): void {
  for (const family of families) {
    write(`# TYPE ${family.name} gauge\n`);
    write(`# HELP ${family.name} ${family.help.replace(/\\/g, '\\\\').replace(/\n/g, '\\n')}\n`);
    for (const sample of family.samples) {
      const labels = Object.entries(sample.labels)
        .map(([key, value]) => `${key}="${escapeLabelValue(value)}"`)
        .join(',');
      write(`${family.name}${labels ? `{${labels}}` : ''} ${numberText(sample.value)}\n`);
    }
  }
  write('# EOF\n');
}
