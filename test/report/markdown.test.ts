import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { DisplayColumn } from '../../src/report/columns.ts';
import { escapeMarkdown, escapeMarkdownProse, markdownCell, writeMarkdownDocument, writeMarkdownTable } from '../../src/report/markdown.ts';
import type { Block, ReportDocument } from '../../src/report/section.ts';
import { rendered } from '../fixtures/report/sample-replay.ts';

const NAME: DisplayColumn<string>[] = [{ header: 'name', value: (name) => name }];
const NAMES: Block = { kind: 'table', columns: NAME, rows: ['a'] };

function document(doc: ReportDocument): string {
  return rendered((write) => writeMarkdownDocument(doc, write));
}

test('escapes pipes so a value cannot split a table cell', () => {
  assert.equal(escapeMarkdown('eu|west'), 'eu\\|west');
  assert.equal(markdownCell('a|b|c'), 'a\\|b\\|c');
});

test('escapes inline markup and tags but leaves Nova\'s "<" readable', () => {
  assert.equal(escapeMarkdown('web_*1*`x`'), 'web\\_\\*1\\*\\`x\\`');
  assert.equal(escapeMarkdown('<script>'), '\\<script>');
  assert.equal(escapeMarkdown('Free memory 1.00 MB < requested 2 MB'), 'Free memory 1.00 MB < requested 2 MB');
});

test('leaves an underscore inside a word of running text as it is, and escapes one that could start emphasis', () => {
  assert.equal(escapeMarkdownProse('at cpu_allocation_ratio = 4: _web_ *1*'), 'at cpu_allocation_ratio = 4: \\_web\\_ \\*1\\*');
});

test('joins a cell\'s lines with <br>, the only line break a table cell holds', () => {
  assert.equal(markdownCell(['Free memory 1.00 MB < requested 2 MB', 'Free disk 0.00 GB < requested 1 GB']), 'Free memory 1.00 MB < requested 2 MB<br>Free disk 0.00 GB < requested 1 GB');
  assert.equal(markdownCell('one\r\ntwo'), 'one<br>two');
  assert.equal(markdownCell(null), '');
});

test('writes a header row, an alignment row and a row per row, a header\'s line break as a space', () => {
  const columns: DisplayColumn<number>[] = [{ header: 'more\nfit', value: (n) => n, align: 'right' }];
  assert.equal(rendered((write) => writeMarkdownTable([3, 0.125], columns, write)), '| more fit |\n| ---: |\n| 3 |\n| 0.12 |\n');
});

test('heads a report at level 2 and its blocks at level 3, a blank line between blocks', () => {
  const titled: Block = { kind: 'table', title: { text: 'Summary' }, columns: NAME, rows: ['a'] };
  assert.equal(
    document({ title: { text: 'Compare', detail: ': a → b_c' }, blocks: [titled, NAMES] }),
    '## Compare: a → b\\_c\n\n### Summary\n\n| name |\n| --- |\n| a |\n\n| name |\n| --- |\n| a |\n',
  );
});

test('heads the blocks at level 2 when the report has no title, and gives labelled values their headers', () => {
  const summary: Block = { kind: 'labelled values', title: { text: 'Summary' }, entries: [{ label: 'requests', value: 8 }], headers: { label: 'summary', value: 'count' } };
  assert.equal(document({ blocks: [summary] }), '## Summary\n\n| summary | count |\n| --- | ---: |\n| requests | 8 |\n');
});

test('writes a footnote and sentences as paragraphs, apart from the table', () => {
  assert.equal(
    document({ blocks: [{ ...NAMES, footnote: 'a *note*' }, { kind: 'paragraph', lines: ['First.', 'Second.'], emphasis: true }] }),
    '| name |\n| --- |\n| a |\n\na \\*note\\*\n\nFirst. Second.\n',
  );
});
