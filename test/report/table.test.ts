import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Decision } from '../../src/engine/model.ts';
import { DEFAULT_BLOCK_ROWS, renderReplay, terminalPalette, writeTerminalTable, type DisplayColumn } from '../../src/report/index.ts';
import { rendered, replayOutputOf, SAMPLE_DECISIONS } from '../fixtures/report/sample-replay.ts';

const ESCAPE = /\x1b\[/;
// Long enough to wrap: Nova's NUMA-with-PCI reason is 106 characters.
const LONG_REASON = 'Requested instance NUMA topology together with requested PCI devices cannot fit the given host NUMA topology';

function table(decisions: Iterable<Decision> = SAMPLE_DECISIONS, color = false): string {
  return rendered((write) => renderReplay(replayOutputOf(decisions), 'table', write, { color }));
}

function rowOf(text: string, instance: string): string {
  const row = text.split('\n').find((line) => line.replace(/\x1b\[\d+m/g, '').includes(` ${instance} `));
  assert.ok(row, `no row for ${instance}`);
  return row;
}

test('writes no escape code at all when colour is off, borders and headers included', () => {
  assert.doesNotMatch(table(), ESCAPE);
});

test('colours rejected rows red, claimed green and released dim when colour is on', () => {
  const text = table(SAMPLE_DECISIONS, true);
  assert.match(rowOf(text, 'web-1'), /\x1b\[32mclaimed/);
  assert.match(rowOf(text, 'analytics-1'), /\x1b\[31mrejected/);
  assert.match(text.split('\n').filter((line) => line.includes('released'))[0], /\x1b\[2mreleased/);
  assert.match(text, /\x1b\[1mDecisions/);
});

test('marks the row whose result failed its expectation', () => {
  assert.match(table(), /│ expected claimed │/);
});

test('wraps a long reason at spaces without cutting a word of it', () => {
  const decision: Decision = { ...SAMPLE_DECISIONS[2], reasons: [LONG_REASON] };
  const text = table([decision]);
  assert.ok(!text.includes(LONG_REASON), 'the reason should wrap in a terminal');
  const cellText = text.replace(/[│┌┐└┘├┤┬┴┼─]/g, ' ').replace(/\s+/g, ' ');
  assert.ok(cellText.includes(LONG_REASON), 'every word, in order');
});

test('shows NUMA pinning and PCI devices compactly for the decision that has them', () => {
  const text = table();
  assert.match(text, /cell 1: vCPU0→20 vCPU1→21, 2M pages/);
  assert.match(text, /10de:20b5 x1 \(type-PCI, NUMA node 1\)/);
});

test('leaves out the NUMA / PCI column when no decision in the block has a placement', () => {
  assert.doesNotMatch(table(SAMPLE_DECISIONS.slice(0, 4)), /NUMA \/ PCI/);
});

test('shows NUMA cells and PCI pools of the hosts that have them', () => {
  const text = table();
  assert.match(text, /^NUMA cells$/m);
  assert.match(text, /│ gpu-1 │ +1 │ +0\/4 │ +2\/12 \(20-21\) │ +8192\/32768 │ 4K 0\/4194304 +│/);
  assert.match(text, /│ +2M 4096\/8192 \(512 reserved\) │/);
  assert.match(text, /^PCI pools$/m);
  assert.match(text, /│ gpu-1 │ 10de:20b5 │ type-PCI │ +1 │ +│ +3\/4 │/);
});

test('ends with the summary counts, failed expectations included', () => {
  const text = table();
  assert.match(text, /Summary\n[^]*│ requests +│ 5 │[^]*│ expectations failed │ 1 │\n└/);
});

function* manyDecisions(count: number, onMade: () => void): Generator<Decision> {
  for (let seq = 1; seq <= count; seq++) {
    onMade();
    yield { ...SAMPLE_DECISIONS[seq % 2], seq, instance: `vm-${seq}` };
  }
}

test('renders 10,000 decisions in blocks written while the replay is still running', () => {
  let made = 0;
  let exhausted = false;
  const madeAtWrite: number[] = [];
  const source = manyDecisions(10_000, () => made++);
  const decisions = (function* () {
    yield* source;
    exhausted = true;
  })();
  const chunks: string[] = [];
  renderReplay(replayOutputOf(decisions), 'table', (chunk) => {
    if (!exhausted) madeAtWrite.push(made);
    chunks.push(chunk);
  }, { color: false });
  const blocks = madeAtWrite.filter((count) => count > 0);
  assert.ok(blocks.length >= 10_000 / DEFAULT_BLOCK_ROWS - 1, `only ${blocks.length} writes before the end`);
  assert.ok(blocks[0] <= DEFAULT_BLOCK_ROWS, `first block written after ${blocks[0]} decisions`);
  for (let i = 1; i < blocks.length; i++) assert.ok(blocks[i] - blocks[i - 1] <= DEFAULT_BLOCK_ROWS, 'a block held more rows than its size');
  const text = chunks.join('');
  assert.ok(text.includes(' vm-1 ') && text.includes(' vm-10000 '));
});

test('keeps a column as wide as it has been in earlier blocks, so blocks line up', () => {
  const columns: DisplayColumn<string>[] = [{ header: 'name', value: (name) => name }];
  const text = rendered((write) => writeTerminalTable(['a-much-longer-name', 'b', 'c'], columns, write, { palette: terminalPalette(false), blockRows: 1 }));
  const tops = text.split('\n').filter((line) => line.startsWith('┌'));
  assert.equal(tops.length, 3);
  assert.ok(tops.every((line) => line === tops[0]), text);
});

test('writes a header-only table when there are no rows', () => {
  const columns: DisplayColumn<string>[] = [{ header: 'name', value: (name) => name }];
  const text = rendered((write) => writeTerminalTable([], columns, write, { palette: terminalPalette(false) }));
  assert.equal(text, '┌──────┐\n│ name │\n└──────┘\n');
});
