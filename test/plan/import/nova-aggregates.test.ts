// Host aggregates, from the compute API and from the client: the labels and the
// availability zone their hosts get.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { novaAggregateList, oscAggregateList } from '../../../src/plan/import/nova-aggregates.ts';
import { readWith } from './read-export.ts';

test('the API\'s list reader keeps each aggregate\'s hosts, UUID, availability zone and metadata', () => {
  const [aggregate] = readWith(novaAggregateList, 'published/nova/aggregates-list-2.41.json').aggregates;
  assert.deepEqual([aggregate.name, aggregate.uuid, aggregate.hosts, aggregate.availabilityZone, aggregate.metadata], [
    'name',
    '6ba28ba7-f29b-45cc-a30b-6e3a40c2fb14',
    ['compute'],
    'london',
    { availability_zone: 'london' },
  ]);
});

test('the client\'s list reader takes Hosts and Properties, and has no UUID to give', () => {
  const read = readWith(oscAggregateList, 'osc/aggregates-list.json');
  assert.deepEqual(
    read.aggregates.map((aggregate) => [aggregate.name, aggregate.uuid, aggregate.hosts, aggregate.availabilityZone, aggregate.metadata.gpu]),
    [
      ['az1-hosts', null, ['cmp-001', 'cmp-002'], 'az1', undefined],
      ['gpu', null, ['gpu-001'], 'az2', 'a100'],
    ],
  );
});
