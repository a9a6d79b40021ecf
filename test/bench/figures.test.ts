// The bench's comparison with the previous landing: each figure was and now, by how much it
// moved, and REGRESSES when more than 10 % worse, a speed-up counting worse when it shrinks.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compareFigure, Figures, readSavedFigures } from '../../bench/figures.ts';

const comparisonLine = (name: string, was: Parameters<typeof compareFigure>[1], now: Parameters<typeof compareFigure>[2]) => compareFigure(name, was, now).line;

test('says a figure regresses past 10 % worse, holds within it, improves past 10 % better', () => {
  assert.equal(comparisonLine('replay', { value: 1, unit: 's' }, { value: 1.12, unit: 's' }), 'replay: was 1.000 s, now 1.120 s (+12.0 %) — REGRESSES');
  assert.equal(comparisonLine('replay', { value: 1, unit: 's' }, { value: 1.05, unit: 's' }), 'replay: was 1.000 s, now 1.050 s (+5.0 %) — holds');
  assert.equal(comparisonLine('peak', { value: 400, unit: 'MiB' }, { value: 300, unit: 'MiB' }), 'peak: was 400 MiB, now 300 MiB (−25.0 %) — improves');
});

test('counts a speed-up that shrinks as worse', () => {
  const was = { value: 2, unit: 'x', higherIsBetter: true };
  assert.equal(comparisonLine('sweep', was, { ...was, value: 1.7 }), 'sweep: was 2.00x, now 1.70x (−15.0 %) — REGRESSES');
  assert.equal(comparisonLine('sweep', was, { ...was, value: 2.3 }), 'sweep: was 2.00x, now 2.30x (+15.0 %) — improves');
});

test('saves the figures as JSON and compares only those both benches measured', () => {
  const path = join(mkdtempSync(join(tmpdir(), 'claimplan-bench-figures-')), 'landed.json');
  assert.equal(readSavedFigures(path), null);
  const landed = new Figures();
  landed.record('a', 1, 's');
  landed.record('gone', 1, 's');
  landed.save(path);
  const now = new Figures();
  now.record('a', 2, 's');
  now.record('new', 1, 's');
  assert.deepEqual(
    now.comparedWith(readSavedFigures(path)!).map(({ line }) => line),
    ['a: was 1.000 s, now 2.000 s (+100.0 %) — REGRESSES'],
  );
});

test('sets a time beside the machine\'s speed when both benches measured the yardstick before it', () => {
  const slower = compareFigure('replay', { value: 1, unit: 's', machine: 0.1 }, { value: 1.25, unit: 's', machine: 0.125 });
  assert.equal(slower.line, 'replay: was 1.000 s, now 1.250 s (+25.0 %) — REGRESSES; the machine +25.0 %, so +0.0 % at its speed — holds');
  assert.deepEqual([slower.regresses, slower.regressesAtMachineSpeed], [true, false]);
  const worse = compareFigure('replay', { value: 1, unit: 's', machine: 0.1 }, { value: 1.25, unit: 's', machine: 0.1 });
  assert.deepEqual([worse.regresses, worse.regressesAtMachineSpeed], [true, true]);
  const unmeasured = compareFigure('replay', { value: 1, unit: 's' }, { value: 1.25, unit: 's', machine: 0.1 });
  assert.deepEqual([unmeasured.line.includes('machine'), unmeasured.regressesAtMachineSpeed], [false, null]);
});

test('records the yardstick measured last beside each time, and beside nothing else', () => {
  const path = join(mkdtempSync(join(tmpdir(), 'claimplan-bench-figures-')), 'landed.json');
  const figures = new Figures();
  figures.record('before', 1, 's');
  figures.measureMachine(() => 0.2);
  figures.record('replay', 1, 's');
  figures.record('peak', 100, 'MiB');
  figures.measureMachine(() => 0.3);
  figures.record('sweep', 2, 'x', true);
  figures.record('failover', 1, 's');
  figures.save(path);
  assert.deepEqual(readSavedFigures(path), {
    before: { value: 1, unit: 's' },
    replay: { value: 1, unit: 's', machine: 0.2 },
    peak: { value: 100, unit: 'MiB' },
    sweep: { value: 2, unit: 'x', higherIsBetter: true },
    failover: { value: 1, unit: 's', machine: 0.3 },
  });
});
