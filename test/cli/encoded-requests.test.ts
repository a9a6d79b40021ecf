// The requests a command encodes once for its threads: decoded, every request is the one
// the plan's stream yielded, field for field and in the same order, whatever the names.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { Request } from '../../src/engine/core/model.ts';
import { CHUNK_REQUESTS, encodeRequests, RequestChunkDecoder, RequestEncoder, SharedRequestReader, type RequestChunk } from '../../src/cli/encoded-requests.ts';

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

test('keeps each string of the table once, in the first chunk to use it, and the columns in shared memory', () => {
  const requests: Request[] = Array.from({ length: CHUNK_REQUESTS + 3000 }, (_, n) => ({ op: 'build', instance: `vm-${n}`, flavor: n < CHUNK_REQUESTS ? 'm1' : `m${n % 3}`, host: null, aggregate: null, expect: null }));
  const shared = encodeRequests(requests);
  assert.equal(shared.count, CHUNK_REQUESTS + 3000);
  assert.deepEqual(
    shared.chunks.map((chunk) => [chunk.count, chunk.nameEnds.length, chunk.stringEnds.length]),
    [
      [CHUNK_REQUESTS, CHUNK_REQUESTS, 1],
      [3000, 3000, 2],
    ],
  );
  for (const chunk of shared.chunks) {
    assert.ok(chunk.ids.buffer instanceof SharedArrayBuffer);
    assert.ok(chunk.operations.buffer instanceof SharedArrayBuffer);
    assert.equal(chunk.ids.length, chunk.count * 6);
  }
  assert.deepStrictEqual([...new SharedRequestReader(shared)], requests);
  assert.deepStrictEqual([...new SharedRequestReader(shared)], requests, 'read again from the first');
});

test('hands each chunk on as it fills, and keeps none when told not to', () => {
  const chunks: RequestChunk[] = [];
  const encoder = new RequestEncoder({ onChunk: (chunk) => chunks.push(chunk), keep: false });
  const requests: Request[] = Array.from({ length: 2 * CHUNK_REQUESTS + 1 }, (_, n) => (n % 2 === 0 ? { op: 'delete', instance: `vm-${n}` } : { op: 'down', host: 'cmp-1' }));
  for (const request of requests) encoder.add(request);
  assert.equal(chunks.length, 2);
  assert.equal(encoder.finish().chunks.length, 0);
  assert.equal(chunks.length, 3);
  const decoder = new RequestChunkDecoder();
  assert.deepStrictEqual(
    chunks.flatMap((chunk) => [...decoder.decode(structuredClone(chunk))]),
    requests,
  );
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
