import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatFixed, formatInteger } from '../../../src/engine/core/python-format.ts';

// Expected strings were printed by CPython 3.11's `'%.02f %d' % (v, v)`.
const PYTHON_PRINTS: [number, string, string][] = [
  [0.125, '0.12', '0'],
  [-0.125, '-0.12', '0'],
  [0.375, '0.38', '0'],
  [2.675, '2.67', '2'],
  [-0, '-0.00', '0'],
  [0, '0.00', '0'],
  [-0.001, '-0.00', '0'],
  [1e21, '1000000000000000000000.00', '1000000000000000000000'],
  [1e22, '10000000000000000000000.00', '10000000000000000000000'],
  [5e-324, '0.00', '0'],
  [-1536.5, '-1536.50', '-1536'],
  [1.005, '1.00', '1'],
  [2.5, '2.50', '2'],
  [-2.7, '-2.70', '-2'],
  [49152 * 1.5 - 50688, '23040.00', '23040'],
];

test('formats %.02f and %d exactly as Python does, including ties, -0.0 and huge values', () => {
  for (const [value, fixed, integer] of PYTHON_PRINTS) {
    assert.equal(formatFixed(value, 2), fixed, `%.02f of ${value}`);
    assert.equal(formatInteger(value), integer, `%d of ${value}`);
  }
});

test('rounds ties to even where toFixed rounds away from zero', () => {
  assert.equal((0.125).toFixed(2), '0.13');
  assert.equal(formatFixed(0.125, 2), '0.12');
  assert.equal(formatFixed(0.625, 2), '0.62');
  assert.equal(formatFixed(0.875, 2), '0.88');
});

test('never switches to exponent notation', () => {
  assert.equal(formatFixed(1.5e25, 2), '15000000000000000285212672.00');
  assert.equal(formatFixed(-1e21, 2), '-1000000000000000000000.00');
});
