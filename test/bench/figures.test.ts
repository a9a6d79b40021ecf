// The bench's comparison with the previous landing: each figure was and now, by how much it
// moved, and REGRESSES when more than 10 % worse, a speed-up counting worse when it shrinks.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { comparisonLine, Figures, readSavedFigures } from '../../bench/figures.ts';

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
  assert.deepEqual(now.comparedWith(readSavedFigures(path)!), ['a: was 1.000 s, now 2.000 s (+100.0 %) — REGRESSES']);
});
