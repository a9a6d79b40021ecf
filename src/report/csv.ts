// CSV as RFC 4180 writes it, for spreadsheets: CRLF record ends, a header record, and a
// field quoted only when it holds a comma, a quote or a line break.
import type { CsvColumn, CsvValue } from './columns.ts';
import type { Write } from './document.ts';

export const CSV_RECORD_END = '\r\n';

const NEEDS_QUOTES = /[",\r\n]/;

/** An empty field for null; `true`/`false` for booleans, as spreadsheets import them. */
export function csvField(value: CsvValue): string {
  if (value === null) return '';
  const text = String(value);
  return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function csvRecord(values: readonly CsvValue[]): string {
  return values.map(csvField).join(',') + CSV_RECORD_END;
}

/** The header record, then one record per row as it comes. */
export function writeCsv<Row>(rows: Iterable<Row>, columns: readonly CsvColumn<Row>[], write: Write): void {
  write(csvRecord(columns.map((column) => column.header)));
  for (const row of rows) write(csvRecord(columns.map((column) => column.value(row))));
}
