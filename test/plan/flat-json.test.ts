import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { flatStringObject } from '../../src/plan/flat-json.ts';

/** What JSON.parse makes of `text`, or the fact that it throws. */
function parsed(text: string): { value: unknown } | { throws: true } {
  try {
    return { value: JSON.parse(text) };
  } catch {
    return { throws: true };
  }
}

/** The fast reading, when it reads `text` at all, is JSON.parse's object: the same own keys, in the same order, and values. */
function assertSameAsJsonParse(text: string): void {
  const fast = flatStringObject(text);
  if (fast === undefined) return;
  const expected = parsed(text);
  assert.ok('value' in expected, `JSON.parse refuses ${JSON.stringify(text)}, the fast reading does not`);
  assert.deepStrictEqual(fast, expected.value, text);
  assert.deepStrictEqual(Object.keys(fast), Object.keys(expected.value as object), text);
  assert.equal(Object.getPrototypeOf(fast), Object.prototype, text);
}

// Keys a request has, keys JSON.parse or an object treat apart, and any string at all.
const key = fc.oneof(
  fc.constantFrom('build', 'delete', 'name', 'host', 'flavor', '__proto__', 'constructor', '0', '10', 'toString'),
  fc.string({ maxLength: 6 }),
  fc.string({ unit: 'binary', maxLength: 6 }),
);
const value = fc.oneof(
  fc.stringMatching(/^[a-z0-9.-]{0,20}$/),
  fc.string({ maxLength: 20 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.string({ unit: 'grapheme', minLength: 12, maxLength: 40 }),
);
const space = fc.constantFrom('', ' ', '  ', '\t', '\r', '\n', ' \t');

test('a flat object of strings, spaced as any writer spaces it, reads as JSON.parse reads it, or is left to JSON.parse', () => {
  fc.assert(
    fc.property(fc.array(fc.tuple(key, value, space, space, space, space), { minLength: 1, maxLength: 6 }), space, space, (pairs, before, after) => {
      const members = pairs.map(([name, text, s1, s2, s3, s4]) => `${s1}${JSON.stringify(name)}${s2}:${s3}${JSON.stringify(text)}${s4}`);
      assertSameAsJsonParse(`${before}{${members.join(',')}}${after}`);
    }),
    { numRuns: 500 },
  );
});

test('any text the fast reading accepts, JSON.parse reads to the same object', () => {
  const jsonish = fc.stringMatching(/^[{}",: \\a-z0-9\t\[\]]{0,40}$/);
  fc.assert(fc.property(fc.oneof(jsonish, fc.string({ maxLength: 40 })), assertSameAsJsonParse), { numRuns: 2000 });
});

test('the lines of a trace as claimplan and Python write them read fast; the rest are left to JSON.parse', () => {
  const read = [
    '{"build":"m1.large","name":"vm-1","host":"cmp-00300"}',
    '{"build": "m1.large", "name": "web-1", "aggregate": "ssd"}',
    '{"delete":"vm-1"}',
    '{"build":"m1.small","name":"3f2c1e9a-7b4d-4c1e-9a2b-5d6e7f8a9b0c"}',
    '{"build":"m1.small","build":"m1.large"}',
  ];
  for (const line of read) {
    assert.notEqual(flatStringObject(line), undefined, line);
    assertSameAsJsonParse(line);
  }
  const left = [
    '{"build":"m1.small","count":3}',
    '{"build":"m1.small","boot_from_volume":true}',
    '{"build":"m1.small","hints":{"same_host":["a"]}}',
    '{"build":"web-\\u0031"}',
    '{"__proto__":"x"}',
    '{}',
    '{"build":"m1.small"} x',
    '{"build":"m1.small",}',
    '{"build":"m1.small"',
    '["build"]',
    '',
  ];
  for (const line of left) assert.equal(flatStringObject(line), undefined, line);
});

test('values on either side of the length V8 would share with the line read as the line holds them', () => {
  for (const length of [11, 12, 13, 14, 40]) {
    const name = 'n'.repeat(length);
    assert.deepStrictEqual(flatStringObject(`{"build":"m1.small","name":"${name}"}`), { build: 'm1.small', name });
  }
});
