import { test } from 'node:test';
import assert from 'node:assert/strict';
import { escapeMarkdown, markdownCell, renderReplay } from '../../src/report/index.ts';
import { rendered, replayOutputOf } from '../fixtures/report/sample-replay.ts';

test('escapes pipes so a value cannot split a table cell', () => {
  assert.equal(escapeMarkdown('eu|west'), 'eu\\|west');
  assert.equal(markdownCell('a|b|c'), 'a\\|b\\|c');
});

test('escapes inline markup and tags but leaves Nova\'s "<" readable', () => {
  assert.equal(escapeMarkdown('web_*1*`x`'), 'web\\_\\*1\\*\\`x\\`');
  assert.equal(escapeMarkdown('<script>'), '\\<script>');
  assert.equal(escapeMarkdown('Free memory 1.00 MB < requested 2 MB'), 'Free memory 1.00 MB < requested 2 MB');
});

test('joins a cell\'s lines with <br>, the only line break a table cell holds', () => {
  assert.equal(markdownCell(['Free memory 1.00 MB < requested 2 MB', 'Free disk 0.00 GB < requested 1 GB']), 'Free memory 1.00 MB < requested 2 MB<br>Free disk 0.00 GB < requested 1 GB');
  assert.equal(markdownCell('one\r\ntwo'), 'one<br>two');
  assert.equal(markdownCell(null), '');
});

test('gives every row of every table as many cells as its header', () => {
  const text = rendered((write) => renderReplay(replayOutputOf(), 'markdown', write, { color: false }));
  const tables = text.split(/\n## .*\n\n/);
  assert.equal(tables.length, 5, 'decisions, hosts, NUMA cells, PCI pools, summary');
  for (const table of tables) {
    const rows = table.trim().split('\n').filter((line) => line.startsWith('|'));
    const cells = (row: string) => row.replaceAll('\\|', '').split('|').length;
    assert.ok(rows.length >= 3, table);
    for (const row of rows) assert.equal(cells(row), cells(rows[0]), row);
  }
});
