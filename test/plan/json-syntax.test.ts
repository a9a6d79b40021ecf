// The scanner that names where a `.json` plan or an NDJSON trace line stops being JSON.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { findJsonSyntaxError } from '../../src/plan/json-syntax.ts';

function parses(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

test('finds a problem exactly where JSON.parse refuses: valid JSON, and JSON with one character dropped, changed or added', () => {
  const mangled = fc.tuple(fc.json(), fc.nat(), fc.constantFrom('drop', 'change', 'add'), fc.constantFrom(...'{}[]",:\\ 0a-.e\n\t\u0001'.split(''))).map(([text, at, how, char]) => {
    const k = text.length === 0 ? 0 : at % text.length;
    if (how === 'drop') return text.slice(0, k) + text.slice(k + 1);
    if (how === 'change') return text.slice(0, k) + char + text.slice(k + 1);
    return text.slice(0, k) + char + text.slice(k);
  });
  fc.assert(fc.property(fc.oneof(fc.json(), mangled), (text) => (findJsonSyntaxError(text) === null) === parses(text)), { numRuns: 3000, seed: 20261207 });
});

test('names the first problem and where it is', () => {
  assert.deepEqual(findJsonSyntaxError('{"build": "m1", }'), { offset: 16, message: 'expected a "quoted" key, found `}`' });
  assert.deepEqual(findJsonSyntaxError('{"build" "m1"}'), { offset: 9, message: 'expected `:` after the key, found `"`' });
  assert.deepEqual(findJsonSyntaxError('[1, 2'), { offset: 5, message: 'expected `,` or `]`, found the end of the text' });
  assert.deepEqual(findJsonSyntaxError('{"a": "b'), { offset: 6, message: 'unterminated string' });
  assert.deepEqual(findJsonSyntaxError('"a\\x"'), { offset: 2, message: 'invalid escape in string' });
  assert.deepEqual(findJsonSyntaxError('{} {}'), { offset: 3, message: 'unexpected `{` after the value' });
  assert.deepEqual(findJsonSyntaxError('tru'), { offset: 0, message: 'expected a value, found `t`' });
  assert.equal(findJsonSyntaxError(' {"a": [1, -2.5e3, true, null, "\\u00e9"]} '), null);
});
