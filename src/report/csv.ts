// CSV as RFC 4180 writes it, for spreadsheets: CRLF record ends, a header record, and a
// field quoted only when it holds a comma, a quote or a line break. Quoting is
// csv-stringify's; this file only decides how claimplan's values become fields.
import { stringify } from 'csv-stringify/sync';
import type { CsvColumn, CsvValue } from './columns.ts';
import type { Write } from './document.ts';

const CSV_RECORD_END = '\r\n';

const OPTIONS = {
  record_delimiter: 'windows',
  // With CRLF records csv-stringify quotes only fields holding CRLF; a lone CR or LF
  // would still break the record in a spreadsheet.
  quoted_match: /[\r\n]/,
  // `true`/`false`, as spreadsheets import them (csv-stringify's default writes 1 and '').
  cast: { boolean: (value: boolean) => String(value) },
} as const;

/** An empty field for null; `true`/`false` for booleans. */
export function csvField(value: CsvValue): string {
  return csvRecord([value]).slice(0, -CSV_RECORD_END.length);
}

export function csvRecord(values: readonly CsvValue[]): string {
  return stringify([values.map((value) => value ?? '')], OPTIONS);
}

/** The header record, then one record per row as it comes. */
export function writeCsv<Row>(rows: Iterable<Row>, columns: readonly CsvColumn<Row>[], write: Write): void {
  write(csvRecord(columns.map((column) => column.header)));
  for (const row of rows) write(csvRecord(columns.map((column) => column.value(row))));
}
