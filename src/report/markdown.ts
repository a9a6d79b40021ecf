// GitHub-flavoured markdown tables, for pasting a report into an issue or a wiki page.
import { displayLines, type DisplayColumn, type DisplayValue } from './columns.ts';
import type { Write } from './document.ts';

/**
 * Escapes what GitHub would otherwise read as table structure or inline markup. A `<`
 * is escaped only where it could open a tag, so Nova's `Free memory … < requested …`
 * reads the same in the raw text as rendered.
 */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\\|`*_[\]~&]/g, '\\$&').replace(/<(?=[A-Za-z/!?])/g, '\\<');
}

/** A cell's lines joined with `<br>`, the only line break a table cell can hold. */
export function markdownCell(value: DisplayValue): string {
  return displayLines(value).map(escapeMarkdown).join('<br>');
}

export function markdownRow(cells: readonly string[]): string {
  return `| ${cells.join(' | ')} |\n`;
}

/** The header and alignment rows, then one row per row as it comes. */
export function writeMarkdownTable<Row>(rows: Iterable<Row>, columns: readonly DisplayColumn<Row>[], write: Write): void {
  write(markdownRow(columns.map((column) => escapeMarkdown(column.header.replaceAll('\n', ' ')))));
  write(markdownRow(columns.map((column) => (column.align === 'right' ? '---:' : '---'))));
  for (const row of rows) write(markdownRow(columns.map((column) => markdownCell(column.value(row)))));
}

export function markdownHeading(text: string, level = 2): string {
  return `${'#'.repeat(level)} ${escapeMarkdown(text)}\n\n`;
}
