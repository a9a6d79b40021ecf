// The requests a command encodes once for its threads: decoded, every request is the one
// the plan's stream yielded, field for field and in the same order, whatever the names.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { Request } from '../../src/engine/core/model.ts';
import { encodeRequests, RequestEncoder, SharedRequestReader } from '../../src/cli/encoded-requests.ts';

const name = fc.oneof(fc.string({ maxLength: 12 }), fc.string({ unit: 'grapheme', maxLength: 6 }), fc.constantFrom('vm-1', 'cmp-01', ''));
const nullable = fc.option(name, { nil: null });
const expect = fc.constantFrom(null, 'claimed' as const, 'rejected' as const);

const build = fc
  .record(
    {
      instance: name,
      flavor: name,
      host: nullable,
      aggregate: nullable,
      expect,
      boot_from_volume: fc.constant(true),
      group: name,
      availability_zone: name,
      project: name,
      image: name,
      hints: fc.record({ same_host: fc.array(name, { maxLength: 3 }), different_host: fc.array(name, { maxLength: 3 }) }, { requiredKeys: [], noNullPrototype: true }),
    },
    { requiredKeys: ['instance', 'flavor', 'host', 'aggregate', 'expect'], noNullPrototype: true },
  )
  .map((fields): Request => {
    const { instance, flavor, host, aggregate, expect, ...others } = fields;
    return { op: 'build', instance, flavor, host, aggregate, expect, ...others };
  });
const move = fc
  .tuple(fc.constantFrom('resize' as const, 'migrate' as const, 'live_migrate' as const, 'evacuate' as const), name, nullable, nullable, expect)
  .map(([op, instance, flavor, host, expect]): Request => ({ op, instance, flavor, host, expect }));
const request: fc.Arbitrary<Request> = fc.oneof(
  build,
  name.map((instance): Request => ({ op: 'delete', instance })),
  move,
  fc.tuple(fc.constantFrom('confirm' as const, 'revert' as const), name, expect).map(([op, instance, expect]): Request => ({ op, instance, expect })),
  fc.tuple(fc.constantFrom('down' as const, 'up' as const), name).map(([op, host]): Request => ({ op, host })),
);

test('decodes every request as it was encoded, field for field and in order, also after the columns are posted to a thread', () => {
  fc.assert(
    fc.property(fc.array(request, { maxLength: 60 }), (requests) => {
      const shared = encodeRequests(requests);
      for (const decoded of [[...new SharedRequestReader(shared)], [...new SharedRequestReader(structuredClone(shared))]]) {
        assert.deepStrictEqual(decoded, requests);
        assert.equal(JSON.stringify(decoded), JSON.stringify(requests));
      }
    }),
    { numRuns: 300, seed: 20261207 },
  );
});

test('keeps each string once and the columns in shared memory', () => {
  const requests: Request[] = Array.from({ length: 3000 }, (_, n) => ({ op: 'build', instance: `vm-${n % 10}`, flavor: 'm1', host: null, aggregate: null, expect: null }));
  const shared = encodeRequests(requests);
  assert.equal(shared.count, 3000);
  assert.equal(shared.stringEnds.length, 11);
  assert.ok(shared.ids.buffer instanceof SharedArrayBuffer);
  assert.ok(shared.operations.buffer instanceof SharedArrayBuffer);
});

test('gives fresh requests each time it is read, so that a replay changing one changes no other', () => {
  const shared = encodeRequests([{ op: 'build', instance: 'a', flavor: 'm1', host: null, aggregate: null, expect: null, hints: { same_host: ['b'] } }]);
  const reader = new SharedRequestReader(shared);
  const [first] = [...reader] as Extract<Request, { op: 'build' }>[];
  first.hints!.same_host!.push('c');
  first.instance = 'changed';
  assert.deepStrictEqual([...reader], [{ op: 'build', instance: 'a', flavor: 'm1', host: null, aggregate: null, expect: null, hints: { same_host: ['b'] } }]);
});

test('encodes a stream as it passes, handing each request on unchanged', () => {
  const requests: Request[] = [
    { op: 'down', host: 'cmp-1' },
    { op: 'delete', instance: 'x' },
  ];
  const encoder = new RequestEncoder();
  assert.deepStrictEqual([...encoder.tap(requests)], requests);
  assert.deepStrictEqual([...new SharedRequestReader(encoder.finish())], requests);
});
