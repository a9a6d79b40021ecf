import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { DeletedNames } from '../../src/plan/deleted-names.ts';

// Names that share prefixes and lengths collide in the table's probing; the others reach
// the Set the packed bytes cannot hold (past Latin-1, longer than 255).
const name = fc.oneof(
  fc.stringMatching(/^vm-[0-9]{1,3}$/),
  fc.string({ maxLength: 4 }),
  fc.string({ unit: 'binary', maxLength: 6 }),
  fc.string({ minLength: 250, maxLength: 260 }),
);

test('DeletedNames answers as a Set of the names added, across growth of its table and its bytes', () => {
  fc.assert(
    fc.property(fc.array(fc.tuple(fc.boolean(), name), { maxLength: 3000 }), (steps) => {
      const names = new DeletedNames();
      const expected = new Set<string>();
      for (const [adds, step] of steps) {
        if (adds) {
          names.add(step);
          expected.add(step);
        }
        assert.equal(names.has(step), expected.has(step), JSON.stringify(step));
      }
      for (const step of expected) assert.ok(names.has(step), JSON.stringify(step));
    }),
    { numRuns: 60 },
  );
});

test('names that differ only in a character past Latin-1 or in length are apart', () => {
  const names = new DeletedNames();
  names.add('vm-1');
  names.add('x'.repeat(255));
  names.add('é');
  assert.ok(names.has('vm-1') && names.has('x'.repeat(255)) && names.has('é'));
  assert.ok(!names.has('vm-') && !names.has('vm-10') && !names.has('x'.repeat(256)) && !names.has('ę') && !names.has(''));
  names.add('');
  assert.ok(names.has(''));
});

test('a hundred thousand names keep their answers past many doublings', () => {
  const names = new DeletedNames();
  for (let n = 0; n < 100_000; n += 2) names.add(`instance-${n}`);
  for (let n = 0; n < 100_000; n++) assert.equal(names.has(`instance-${n}`), n % 2 === 0);
});
