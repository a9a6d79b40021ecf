// Nova formats its claim reasons with Python's % operator; compare ours with Python itself.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { formatFixed, formatInteger } from '../../src/engine/core/python-format.ts';
import { PYTHON } from './harness.ts';

const pythonFound = spawnSync(PYTHON, ['-c', 'pass']).status === 0;

/** Values the claim produces: ratio products minus integer usage, ties, tiny and huge values. */
function sampleValues(count: number): number[] {
  let state = 20261125;
  const next = () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
  const ratios = [1, 1.5, 1.3, 0.9, 16, 4.7, 2.25];
  const values: number[] = [-0, 0, 0.125, -0.125, 1e21, -1e22, 5e-324];
  while (values.length < count) {
    const kind = values.length % 4;
    if (kind === 0) values.push(Math.round((next() - 0.5) * 1e6) / 8);
    else if (kind === 1) values.push(Math.round(next() * 1e6) * ratios[values.length % ratios.length] - Math.round(next() * 1e6));
    else if (kind === 2) values.push((next() - 0.5) * 10 ** Math.floor(next() * 25));
    else values.push(-next() / 1000);
  }
  return values;
}

test('prints %.02f and %d byte for byte as CPython does on 20,000 claim-like values', { skip: !pythonFound && `${PYTHON} not found` }, () => {
  const values = sampleValues(20_000);
  const python = spawnSync(
    PYTHON,
    ['-c', "import sys\nfor line in sys.stdin: v = float(line); print('%.02f %d' % (v, v))"],
    // Shortest round-trip text, read back with float(): exact, and keeps -0.0 (JSON would not).
    { input: values.map((v) => (Object.is(v, -0) ? '-0.0' : String(v))).join('\n'), encoding: 'utf8', maxBuffer: 64 * 2 ** 20 },
  );
  assert.equal(python.status, 0, python.stderr);
  const expected = python.stdout.split('\n');
  const mismatches = values
    .map((value, i) => ({ value, ours: `${formatFixed(value, 2)} ${formatInteger(value)}`, theirs: expected[i] }))
    .filter(({ ours, theirs }) => ours !== theirs);
  assert.deepEqual(mismatches.slice(0, 5), []);
});
