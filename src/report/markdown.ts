// GitHub-flavoured markdown, for pasting a report into an issue or a wiki page: its tables,
// and the headings and paragraphs around them.
import { displayLines, labelledValueColumns, type DisplayColumn, type DisplayValue } from './columns.ts';
import type { Write } from './document.ts';
import type { Heading, ReportDocument } from './section.ts';

/**
 * Escapes what GitHub would otherwise read as table structure or inline markup. A `<`
 * is escaped only where it could open a tag, so Nova's `Free memory … < requested …`
 * reads the same in the raw text as rendered.
 */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\\|`*_[\]~&]/g, '\\$&').replace(/<(?=[A-Za-z/!?])/g, '\\<');
}

/**
 * Running text: escaped as a cell is, but for an underscore inside a word
 * (`cpu_allocation_ratio`), which GitHub takes for a letter, so a setting reads as typed.
 */
export function escapeMarkdownProse(text: string): string {
  return escapeMarkdown(text).replace(/(?<=[A-Za-z0-9])\\_(?=[A-Za-z0-9])/g, '_');
}

/** A cell's lines joined with `<br>`, the only line break a table cell can hold. */
export function markdownCell(value: DisplayValue): string {
  return displayLines(value).map(escapeMarkdown).join('<br>');
}

function markdownRow(cells: readonly string[]): string {
  return `| ${cells.join(' | ')} |\n`;
}

/** The header and alignment rows, then one row per row as it comes; `whenEmpty` instead of a table with no rows. */
export function writeMarkdownTable<Row>(rows: Iterable<Row>, columns: readonly DisplayColumn<Row>[], write: Write, whenEmpty?: string): void {
  let headed = false;
  const head = () => {
    write(markdownRow(columns.map((column) => escapeMarkdown(column.header.replaceAll('\n', ' ')))));
    write(markdownRow(columns.map((column) => (column.align === 'right' ? '---:' : '---'))));
    headed = true;
  };
  for (const row of rows) {
    if (!headed) head();
    write(markdownRow(columns.map((column) => markdownCell(column.value(row)))));
  }
  if (headed) return;
  if (whenEmpty === undefined) head();
  else write(`${escapeMarkdownProse(whenEmpty)}\n`);
}

function markdownHeading(text: string, level = 2): string {
  return `${'#'.repeat(level)} ${escapeMarkdown(text)}\n\n`;
}

function headingText(heading: Heading): string {
  return `${heading.text}${heading.detail ?? ''}`;
}

/**
 * A report as GitHub markdown: its title a level-2 heading and its blocks' titles level 3
 * under it (level 2 when the report has none), a blank line between two blocks.
 */
export function writeMarkdownDocument(document: ReportDocument, write: Write): void {
  if (document.title) write(markdownHeading(headingText(document.title)));
  const level = document.title ? 3 : 2;
  let first = true;
  for (const block of document.blocks) {
    if (!first) write('\n');
    first = false;
    switch (block.kind) {
      case 'table':
        if (block.title) write(markdownHeading(headingText(block.title), level));
        writeMarkdownTable(block.rows, block.columns, write, block.whenEmpty);
        // A line right under a table would be read as one more row.
        if (block.footnote) write(`\n${escapeMarkdownProse(block.footnote)}\n`);
        break;
      case 'labelled values':
        write(markdownHeading(headingText(block.title), level));
        writeMarkdownTable(block.entries, labelledValueColumns(block.headers.label, block.headers.value), write);
        break;
      case 'paragraph':
        write(`${escapeMarkdownProse(block.lines.join(' '))}\n`);
        break;
    }
  }
}
