import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sweepValues, turningPoints, type SweepPoint } from '../../src/engine/sweep.ts';

const point = (value: number, rejected: number): SweepPoint => ({ value, claimed: 10 - rejected, rejected, expectations_failed: 0, fit: [] });

test('steps from FROM to TO inclusive without binary drift, in either direction', () => {
  assert.deepEqual(sweepValues(1, 1.5, 0.1), [1, 1.1, 1.2, 1.3, 1.4, 1.5]);
  assert.deepEqual(sweepValues(16, 4, 4), [16, 12, 8, 4]);
  assert.deepEqual(sweepValues(2, 2, 1), [2]);
});

test('calls out the first value where rejections rise and the first from which all are claimed', () => {
  assert.deepEqual(turningPoints([point(16, 0), point(8, 0), point(4, 3), point(2, 5)]), { first_rejection: 4, all_claimed_from: null });
  assert.deepEqual(turningPoints([point(1, 6), point(2, 1), point(3, 0)]), { first_rejection: null, all_claimed_from: 3 });
  assert.deepEqual(turningPoints([point(1, 0), point(2, 0)]), { first_rejection: null, all_claimed_from: null });
  assert.deepEqual(turningPoints([point(16, 4), point(4, 4), point(1, 6)]), { first_rejection: 1, all_claimed_from: null });
});
