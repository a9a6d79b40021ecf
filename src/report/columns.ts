// A table described once as columns over rows, so the terminal, markdown and CSV
// renderers (and every command that reports a table) share one definition.
import { amountText } from './text.ts';

/** What a display cell holds: an array is the cell's lines (reasons, NUMA cells). */
export type DisplayValue = string | number | null | readonly string[];

/** What a CSV field holds: one value per field, spreadsheets want no line structure. */
export type CsvValue = string | number | boolean | null;

export interface Column<Row, Value> {
  /** may hold a line break where a terminal header should wrap; markdown joins with a space */
  header: string;
  value(row: Row): Value;
  align?: 'left' | 'right';
  /**
   * Terminal tables render in blocks; a column empty in every row of a block is left
   * out of that block, so optional detail (NUMA, PCI) costs no width when absent.
   */
  omitWhenEmpty?: boolean;
}

export type DisplayColumn<Row> = Column<Row, DisplayValue>;
export type CsvColumn<Row> = Column<Row, CsvValue>;

/**
 * A cell's lines, whatever line breaks its text holds: a lone `\r` would garble a terminal
 * row. A number is a figure, printed as every report prints one (`amountText`).
 */
export function displayLines(value: DisplayValue): string[] {
  if (value === null) return [];
  if (typeof value === 'number') return [amountText(value)];
  if (typeof value === 'string') return value === '' ? [] : value.split(/\r\n?|\n/);
  return value.flatMap(displayLines);
}

/** What a row means to the reader; a terminal palette decides how that looks. */
export type Tone = 'plain' | 'good' | 'bad' | 'muted' | 'warn';

/** A row of a label/value table such as a summary. */
export interface LabelledValue {
  label: string;
  value: string | number;
  tone?: Tone;
}

export function labelledValueColumns(labelHeader = '', valueHeader = ''): DisplayColumn<LabelledValue>[] {
  return [
    { header: labelHeader, value: (entry) => entry.label },
    { header: valueHeader, value: (entry) => entry.value, align: 'right' },
  ];
}
