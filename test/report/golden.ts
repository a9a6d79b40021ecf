// Reviewed copies of each format's output for the hand-made reports in test/fixtures/report/.
import { fileURLToPath } from 'node:url';
import type { OutputFormat } from '../../src/report/formats.ts';
import { assertMatchesGoldenIn } from '../golden-file.ts';

const FIXTURES = fileURLToPath(new URL('../fixtures/report/', import.meta.url));

const EXTENSIONS: Record<OutputFormat, string> = {
  table: 'table.txt',
  json: 'json',
  yaml: 'yaml',
  ndjson: 'ndjson',
  csv: 'csv',
  markdown: 'md',
  openmetrics: 'openmetrics',
};

/** Compares with `<report>.<extension>`, e.g. `sample.table.txt`; UPDATE_GOLDEN=1 rewrites it. */
export function assertMatchesGolden(report: string, format: OutputFormat, actual: string): void {
  assertMatchesGoldenIn(FIXTURES, `${report}.${EXTENSIONS[format]}`, actual);
}
