// Reports for terminals: tables (cli-table3) rendered in blocks of rows, so a replay of
// millions of decisions holds one block at a time, never the whole table; and around
// them the report's title, headings, notes and sentences.
import Table from 'cli-table3';
import { Chalk } from 'chalk';
import { displayLines, labelledValueColumns, type DisplayColumn, type LabelledValue, type Tone } from './columns.ts';
import type { Write } from './document.ts';
import type { Heading, ReportDocument, TerminalChart } from './section.ts';
import { wrapLine } from './text.ts';

export interface Palette {
  tone(tone: Tone, text: string): string;
  heading(text: string): string;
}

/**
 * Colours from the caller's flag alone (the CLI applies NO_COLOR, FORCE_COLOR and TTY
 * rules); level 0 makes every style the identity, so no escape code is ever written.
 */
export function terminalPalette(color: boolean): Palette {
  const chalk = new Chalk({ level: color ? 1 : 0 });
  const tones: Record<Tone, (text: string) => string> = {
    plain: (text) => text,
    good: chalk.green,
    bad: chalk.red,
    muted: chalk.dim,
    warn: chalk.yellow,
  };
  return { tone: (tone, text) => tones[tone](text), heading: chalk.bold };
}

/** A header every this many rows: about a screenful, so the columns stay named while scrolling. */
const DEFAULT_BLOCK_ROWS = 50;

/** Wide enough for Nova's longest one-line reason, the NoValidHost text (63 characters). */
export const DEFAULT_WRAP_WIDTH = 64;

export interface TerminalTableOptions<Row> {
  palette: Palette;
  tone?: (row: Row) => Tone;
  blockRows?: number;
  wrapWidth?: number;
  /** false for a label/value table such as a summary; blocks then size their columns each on their own */
  header?: boolean;
  /** written instead of an empty table */
  whenEmpty?: string;
}

function textWidth(line: string): number {
  return [...line].length;
}

function pad(line: string, width: number, align: 'left' | 'right'): string {
  const missing = Math.max(0, width - textWidth(line));
  return align === 'right' ? ' '.repeat(missing) + line : line + ' '.repeat(missing);
}

/**
 * Writes the rows as consecutive tables of at most `blockRows` rows, each with its header.
 * A column never gets narrower from one block to the next (the widest cell so far pads
 * the header), so the blocks line up as one long table does. Cells wrap at spaces, and
 * are never cut.
 */
export function writeTerminalTable<Row>(
  rows: Iterable<Row>,
  columns: readonly DisplayColumn<Row>[],
  write: Write,
  options: TerminalTableOptions<Row>,
): void {
  const { palette, blockRows = DEFAULT_BLOCK_ROWS, wrapWidth = DEFAULT_WRAP_WIDTH, header = true } = options;
  const widest = columns.map((column) => Math.max(...column.header.split('\n').map(textWidth)));
  let block: { lines: string[][]; tone: Tone }[] = [];
  let written = false;

  const flush = () => {
    const shown = columns
      .map((_, index) => index)
      .filter((index) => !columns[index].omitWhenEmpty || block.some((row) => row.lines[index].length > 0));
    for (const index of shown) {
      for (const row of block) for (const line of row.lines[index]) widest[index] = Math.max(widest[index], textWidth(line));
    }
    const align = (index: number) => columns[index].align ?? 'left';
    const cells = block.map((row) => ({
      tone: row.tone,
      lines: shown.map((index) => row.lines[index].map((line) => pad(line, widest[index], align(index)))),
    }));
    const heads = header
      ? shown.map((index) =>
          palette.heading(
            columns[index].header
              .split('\n')
              .map((line) => pad(line, widest[index], align(index)))
              .join('\n'),
          ),
        )
      : null;
    write(heads ? framedRows(heads, cells, shown.map((index) => widest[index]), palette) : cliTable(cells, palette));
    block = [];
    written = true;
  };

  for (const row of rows) {
    block.push({
      lines: columns.map((column) => displayLines(column.value(row)).flatMap((line) => wrapLine(line, wrapWidth))),
      tone: options.tone?.(row) ?? 'plain',
    });
    if (block.length === blockRows) flush();
  }
  if (!written && block.length === 0 && options.whenEmpty !== undefined) write(`${options.whenEmpty}\n`);
  else if (block.length > 0 || !written) flush();
}

function cliTable(rows: { tone: Tone; lines: string[][] }[], palette: Palette, head: string[] = []): string {
  // cli-table3 colours heads and borders unless told not to, whatever the flag says.
  const table = new Table({ head, style: { head: [], border: [], compact: true } });
  for (const row of rows) table.push(row.lines.map((lines) => palette.tone(row.tone, lines.join('\n'))));
  return `${table.toString()}\n`;
}

/**
 * cli-table3 draws the header and the frame; the body rows are drawn into that frame
 * here. cli-table3 measures every cell of every row (about half a millisecond a row
 * whatever its options), which would make a million-decision table take minutes; the
 * cells arrive padded to their column's width, so drawing a row is a join.
 */
function framedRows(heads: string[], rows: { tone: Tone; lines: string[][] }[], widths: number[], palette: Palette): string {
  const frame = cliTable([], palette, heads).trimEnd().split('\n');
  const bottom = frame[frame.length - 1];
  const out = frame.slice(0, -1);
  if (rows.length > 0) out.push(`├${bottom.slice(1, -1).replaceAll('┴', '┼')}┤`);
  for (const row of rows) {
    const height = Math.max(1, ...row.lines.map((lines) => lines.length));
    for (let line = 0; line < height; line++) {
      const text = row.lines.map((lines, column) => lines[line] ?? ' '.repeat(widths[column]));
      out.push(`│ ${text.map((cell) => palette.tone(row.tone, cell)).join(' │ ')} │`);
    }
  }
  out.push(bottom);
  return `${out.join('\n')}\n`;
}

/** Two columns, label and right-aligned value, no header: a summary's shape. */
export function writeLabelledValues(entries: readonly LabelledValue[], write: Write, palette: Palette): void {
  writeTerminalTable(entries, labelledValueColumns(), write, { palette, tone: (entry) => entry.tone ?? 'plain', header: false });
}

function headingLine(heading: Heading, palette: Palette): string {
  return `${palette.heading(heading.text)}${heading.detail ?? ''}\n`;
}

/**
 * A report for a terminal: its title on the first line, then its blocks one after
 * another, a blank line between two. A first block with no title of its own is the one
 * the report's title names, and follows it directly (`Fit after …`, then its table).
 */
export function writeTerminalDocument(document: ReportDocument<TerminalChart>, write: Write, palette: Palette): void {
  if (document.title) write(headingLine(document.title, palette));
  let first = true;
  for (const block of document.blocks) {
    const titled = block.kind === 'labelled values' || (block.kind === 'table' && block.title !== undefined);
    if (!first || (document.title && titled)) write('\n');
    first = false;
    switch (block.kind) {
      case 'table':
        if (block.title) write(headingLine(block.title, palette));
        writeTerminalTable(block.rows, block.columns, write, { palette, tone: block.tone, whenEmpty: block.whenEmpty });
        if (block.footnote) write(`${block.footnote}\n`);
        break;
      case 'labelled values':
        write(headingLine(block.title, palette));
        writeLabelledValues(block.entries, write, palette);
        break;
      case 'paragraph':
        write(block.lines.map((line) => `${block.emphasis ? palette.heading(line) : line}\n`).join(''));
        break;
      case 'chart':
        write(block.text);
        break;
    }
  }
}
