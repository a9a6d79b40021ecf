// CSV as RFC 4180 writes it, for spreadsheets: CRLF record ends, a header record, and a
// field quoted only when it holds a comma, a quote or a line break (a lone CR or LF too,
// which would still break the record in a spreadsheet). Written out so that a record of a
// long replay is one string built field by field, with no array or stringifier per record;
// test/report/csv.test.ts holds it equal to csv-stringify with the options given there.
import type { CsvColumn, CsvValue } from './columns.ts';
import type { Write } from './document.ts';

const CSV_RECORD_END = '\r\n';

const NEEDS_QUOTES = /[",\r\n]/;

/** An empty field for null; `true`/`false` for booleans, as spreadsheets import them. */
export function csvField(value: CsvValue | undefined): string {
  if (value === null || value === undefined) return '';
  if (typeof value !== 'string') return `${value}`;
  return NEEDS_QUOTES.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

export function csvRecord(values: readonly CsvValue[]): string {
  return `${values.map(csvField).join(',')}${CSV_RECORD_END}`;
}

/** The header record, then one record per row as it comes. */
export function writeCsv<Row>(rows: Iterable<Row>, columns: readonly CsvColumn<Row>[], write: Write): void {
  write(csvRecord(columns.map((column) => column.header)));
  for (const row of rows) {
    let record = '';
    for (let index = 0; index < columns.length; index++) record += index === 0 ? csvField(columns[index].value(row)) : `,${csvField(columns[index].value(row))}`;
    write(`${record}${CSV_RECORD_END}`);
  }
}
