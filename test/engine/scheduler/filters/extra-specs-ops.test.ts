import { test } from 'node:test';
import assert from 'node:assert/strict';
import { extraSpecMatches, NotANumber, pythonFloat } from '../../../../src/engine/scheduler/filters/extra-specs-ops.ts';

test('compares a requirement without an operator as a whole string', () => {
  assert.equal(extraSpecMatches('true', 'true'), true);
  assert.equal(extraSpecMatches('true', ' true'), false);
  assert.equal(extraSpecMatches(null, 'true'), false);
});

test('reads `=` as at least, as Nova does', () => {
  assert.equal(extraSpecMatches('4', '= 2'), true);
  assert.equal(extraSpecMatches('1', '= 2'), false);
  assert.equal(extraSpecMatches('2.0', '== 2'), true);
  assert.equal(extraSpecMatches('3', '!= 2'), true);
  assert.equal(extraSpecMatches('3', '<= 2'), false);
});

test('compares only the first word after a string operator', () => {
  assert.equal(extraSpecMatches('true', 's== true false'), true);
  assert.equal(extraSpecMatches('b', 's> a'), true);
  assert.equal(extraSpecMatches('a', 's>= b'), false);
});

test('tests substrings with <in> and <all-in>, and alternatives with <or>', () => {
  assert.equal(extraSpecMatches('QEMU', '<in> QE'), true);
  assert.equal(extraSpecMatches('QEMU', '<all-in> Q MU'), true);
  assert.equal(extraSpecMatches('QEMU', '<all-in> Q X'), false);
  assert.equal(extraSpecMatches('b', '<or> a <or> b'), true);
  assert.equal(extraSpecMatches('c', '<or> a <or> b'), false);
  assert.equal(extraSpecMatches(null, '<or> a'), false);
});

test('an operator with nothing after it matches nothing', () => {
  assert.equal(extraSpecMatches('1', '>='), false);
});

test("reads numbers as Python's float() does, and a numeric operator on text raises as Nova's filter does", () => {
  assert.equal(pythonFloat(' 1_000 '), 1000);
  assert.equal(pythonFloat('-inf'), -Infinity);
  assert.equal(pythonFloat(''), null);
  assert.equal(pythonFloat('0x10'), null);
  assert.throws(() => extraSpecMatches('many', '>= 2'), NotANumber);
});
