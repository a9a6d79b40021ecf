// What a report is made of, whatever the format: a title and blocks — tables of rows
// under columns, labelled values, sentences — which one terminal writer and one markdown
// writer lay out (terminal-table.ts, markdown.ts). A report says what it shows; the
// writers alone decide borders, headings, escaping and the blank lines between blocks.
import type { CsvColumn, DisplayColumn, LabelledValue, Tone } from './columns.ts';

export interface Heading {
  /** what the heading names; a terminal sets it in bold */
  text: string;
  /** follows `text` as written, its separator included (`: a → b`); set plain */
  detail?: string;
}

/**
 * A table. Row-reading members are methods, so a table of any row type is a
 * `TableSection<unknown>` to the writers, which only hand each row back to them.
 */
export interface TableSection<Row> {
  kind: 'table';
  /** none: the table belongs to the heading above it (the report's title, or the table before) */
  title?: Heading;
  columns: readonly DisplayColumn<Row>[];
  /** read once, as the table is written: a replay's decisions arrive while it runs */
  rows: Iterable<Row>;
  tone?(row: Row): Tone;
  /** a line under the table saying what its columns mean */
  footnote?: string;
  /** written in the table's place when it has no rows, which the rows' stream tells only at its end */
  whenEmpty?: string;
}

/** Labels with one value each, such as a summary: a terminal shows them without a header. */
export interface LabelledValues {
  kind: 'labelled values';
  title: Heading;
  entries: readonly LabelledValue[];
  /** the column headers markdown needs, a table there having to have a header row */
  headers: { label: string; value: string };
}

/** Sentences: a terminal writes one a line, markdown one paragraph. */
export interface Paragraph {
  kind: 'paragraph';
  lines: readonly string[];
  /** a conclusion the reader should not miss: bold on a terminal */
  emphasis?: boolean;
}

/** A drawing for a terminal (a sweep's charts), written as it is; markdown readers get SVG (`--chart`). */
export interface TerminalChart {
  kind: 'chart';
  /** whole lines, each ending with a line break */
  text: string;
}

export type Block = TableSection<unknown> | LabelledValues | Paragraph;

/** `Extra` admits blocks only one medium can show: a terminal document's charts. */
export interface ReportDocument<Extra = never> {
  title?: Heading;
  /**
   * Read one block at a time, each written before the next is asked for: a generator
   * can then reach for what exists only after the blocks before it (a replay's hosts,
   * after its decisions).
   */
  blocks: Iterable<Block | Extra>;
}

/** The one table a report is as CSV: a spreadsheet takes one table per file. */
export interface CsvTable<Row> {
  columns: readonly CsvColumn<Row>[];
  rows: Iterable<Row>;
}
