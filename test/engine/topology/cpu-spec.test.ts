// Nova's CPU-set syntax (nova.virt.hardware.parse_cpu_spec) and the bits of Python it
// leans on: int() on a str and the %r Nova's error texts quote with.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseCpuSpec, pythonInt, pythonRepr } from '../../../src/engine/topology/cpu-spec.ts';

test('reads ranges, single CPUs and exclusions in any order, as a sorted list', () => {
  assert.deepEqual(parseCpuSpec('0-3,^2,7'), { ok: true, value: [0, 1, 3, 7] });
  assert.deepEqual(parseCpuSpec('^1,0-2'), { ok: true, value: [0, 2] });
  assert.deepEqual(parseCpuSpec('0-2,^0-1'), { ok: true, value: [2] });
  assert.deepEqual(parseCpuSpec(' 1 , 3-4 ,'), { ok: true, value: [1, 3, 4] });
  assert.deepEqual(parseCpuSpec(''), { ok: true, value: [] });
});

test('refuses a bad rule with the text of Nova\'s exception, naming the rule', () => {
  assert.deepEqual(parseCpuSpec('0,1-0'), { ok: false, error: "Invalid range expression '1-0'" });
  assert.deepEqual(parseCpuSpec('x'), { ok: false, error: "Invalid inclusion expression 'x'" });
  assert.deepEqual(parseCpuSpec('0,^x'), { ok: false, error: "Invalid exclusion expression '^x'" });
  assert.deepEqual(parseCpuSpec('1-a'), { ok: false, error: "Invalid range expression '1-a'" });
});

test('reads integers as Python\'s int() does: sign, underscores between digits, surrounding spaces', () => {
  assert.deepEqual(['+1', ' 7 ', '1_0', '-3', '007'].map(pythonInt), [1, 7, 10, -3, 7]);
  assert.deepEqual(['', '1.0', '_1', '1__0', 'x', '0x10'].map(pythonInt), [null, null, null, null, null, null]);
});

test('quotes a str as Python\'s %r does', () => {
  assert.equal(pythonRepr('two'), "'two'");
  assert.equal(pythonRepr("a'b"), '"a\'b"');
  assert.equal(pythonRepr('a\\b'), "'a\\\\b'");
  assert.equal(pythonRepr(`a'b"c`), "'a\\'b\"c'");
});
