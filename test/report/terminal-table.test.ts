import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { DisplayColumn } from '../../src/report/columns.ts';
import type { Block, ReportDocument, TerminalChart } from '../../src/report/section.ts';
import { DEFAULT_WRAP_WIDTH, terminalPalette, writeLabelledValues, writeTerminalDocument, writeTerminalTable } from '../../src/report/terminal-table.ts';
import { rendered } from '../fixtures/report/sample-replay.ts';

// Long enough to wrap: Nova's NUMA-with-PCI reason is 106 characters.
const LONG_REASON = 'Requested instance NUMA topology together with requested PCI devices cannot fit the given host NUMA topology';
const NAME: DisplayColumn<string>[] = [{ header: 'name', value: (name) => name }];
const PLAIN = terminalPalette(false);

function table(rows: string[], blockRows?: number): string {
  return rendered((write) => writeTerminalTable(rows, NAME, write, { palette: PLAIN, blockRows }));
}

function document(doc: ReportDocument<TerminalChart>, color = false): string {
  return rendered((write) => writeTerminalDocument(doc, write, terminalPalette(color)));
}

const NAMES: Block = { kind: 'table', columns: NAME, rows: ['a'] };

test('wraps a long cell at spaces without cutting a word of it', () => {
  const text = table([LONG_REASON]);
  assert.ok(!text.includes(LONG_REASON), 'the cell should wrap');
  assert.ok(text.split('\n').every((line) => [...line].length <= DEFAULT_WRAP_WIDTH + 4), text);
  assert.ok(text.replace(/[│┌┐└┘├┤┬┴┼─]/g, ' ').replace(/\s+/g, ' ').includes(LONG_REASON), 'every word, in order');
});

test('keeps a column as wide as it has been in earlier blocks, so blocks line up', () => {
  const tops = table(['a-much-longer-name', 'b', 'c'], 1).split('\n').filter((line) => line.startsWith('┌'));
  assert.equal(tops.length, 3);
  assert.ok(tops.every((line) => line === tops[0]));
});

test('writes a header every block of rows', () => {
  const text = table(Array.from({ length: 120 }, (_, i) => `vm-${i}`), 50);
  assert.equal(text.split('\n').filter((line) => /^│ name +│$/.test(line)).length, 3);
});

test('writes a header-only table when there are no rows', () => {
  assert.equal(table([]), '┌──────┐\n│ name │\n└──────┘\n');
});

test('leaves a column that asks for it out of a block where it is empty', () => {
  const columns: DisplayColumn<string>[] = [...NAME, { header: 'detail', value: () => null, omitWhenEmpty: true }];
  assert.doesNotMatch(rendered((write) => writeTerminalTable(['a'], columns, write, { palette: PLAIN })), /detail/);
});

test('writes labelled values without a header, values to the right', () => {
  const text = rendered((write) => writeLabelledValues([{ label: 'requests', value: 22 }, { label: 'rejected', value: 4 }], write, PLAIN));
  assert.equal(text, '┌──────────┬────┐\n│ requests │ 22 │\n│ rejected │  4 │\n└──────────┴────┘\n');
});

test('sets the title on the first line, a blank line before each block but one the title names', () => {
  const text = document({
    title: { text: 'Fit', detail: ' after replaying 3 requests' },
    blocks: [NAMES, NAMES, { kind: 'table', title: { text: 'Hosts' }, columns: NAME, rows: ['h'] }],
  });
  assert.match(text, /^Fit after replaying 3 requests\n┌/);
  assert.match(text, /┘\n\n┌[^]*┘\n\nHosts\n┌/);
});

test('puts a titled first block a blank line under the report\'s title, and needs no title at all', () => {
  const titled: Block = { kind: 'table', title: { text: 'Decisions that changed' }, columns: NAME, rows: ['a'] };
  assert.match(document({ title: { text: 'Compare', detail: ': a → b' }, blocks: [titled] }), /^Compare: a → b\n\nDecisions that changed\n┌/);
  assert.match(document({ blocks: [titled] }), /^Decisions that changed\n┌/);
});

test('writes a footnote right under its table, sentences a line each, charts as drawn', () => {
  const text = document({
    blocks: [
      { ...NAMES, footnote: 'name: what the row is called.' },
      { kind: 'chart', text: 'a chart\n' },
      { kind: 'paragraph', lines: ['First.', 'Second.'], emphasis: true },
    ],
  });
  assert.match(text, /┘\nname: what the row is called\.\n\na chart\n\nFirst\.\nSecond\.\n$/);
});

test('sets titles and emphasised sentences in bold when colour is on, the detail plain', () => {
  const text = document({ title: { text: 'Sweep', detail: ': key' }, blocks: [{ kind: 'paragraph', lines: ['Conclusion.'], emphasis: true }] }, true);
  assert.match(text, /^\x1b\[1mSweep\x1b\[22m: key\n/);
  assert.match(text, /\x1b\[1mConclusion\.\x1b\[22m\n$/);
});
