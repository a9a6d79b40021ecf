import { test } from 'node:test';
import assert from 'node:assert/strict';
import { displayLines, labelledValueColumns } from '../../src/report/columns.ts';

test('splits a cell\'s text at every kind of line break, an empty text being no line', () => {
  assert.deepEqual(displayLines('one\r\ntwo\rthree\nfour'), ['one', 'two', 'three', 'four']);
  assert.deepEqual(displayLines(''), []);
  assert.deepEqual(displayLines(null), []);
  assert.deepEqual(displayLines(['a', 'b\nc']), ['a', 'b', 'c']);
});

test('prints a number as a figure: whole as it is, a fraction with two decimals rounded as Python rounds', () => {
  assert.deepEqual(displayLines(196608), ['196608']);
  assert.deepEqual(displayLines(0.125), ['0.12']);
});

test('gives labelled values a label column and a right-aligned value column', () => {
  const [label, value] = labelledValueColumns('summary', 'count');
  assert.equal(label.header, 'summary');
  assert.equal(value.align, 'right');
  assert.equal(value.value({ label: 'requests', value: 8 }), 8);
});
