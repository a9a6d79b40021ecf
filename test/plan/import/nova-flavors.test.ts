// The compute API's flavor bodies: detail and show, swap and ephemeral as each
// microversion gives them, extra specs from 2.61; the plain list refused.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { novaFlavorDetail, novaFlavorShow } from '../../../src/plan/import/nova-flavors.ts';
import { imported, readWith, refused } from './read-export.ts';

test('refuses GET /flavors, which lists names only', () => {
  assert.match(refused('refused/flavors-list.json')[0], /is `GET \/flavors`, which lists names only: export `GET \/flavors\/detail/);
});

test('reads flavors as the API gives them: `swap: ""` before 2.75, OS-FLV-EXT-DATA:ephemeral, extra_specs from 2.61', () => {
  const before = imported('published/nova/flavors-detail.json');
  assert.deepEqual(before.flavors[0], { name: 'm1.tiny', vcpus: 1, memory_mb: 512, root_gb: 1, ephemeral_gb: 0, swap: 0 });
  assert.match(before.warnings.find((warning) => warning.includes('m1.tiny'))!, /flavor `m1.tiny`'s extra specs are not in this export/);
  const with261 = imported('published/nova/flavors-detail-2.61.json');
  assert.deepEqual(with261.flavors.find((flavor) => flavor.name === 'm1.tiny.specs')?.extra_specs, { 'hw:mem_page_size': '2048', 'hw:cpu_policy': 'dedicated' });
  assert.match(with261.warnings.join('\n'), /flavor `m1.tiny.specs` asks for NUMA placement or PCI devices/);
  const shown = imported('published/nova/flavor-show-2.75.json');
  assert.deepEqual(shown.flavors, [{ name: 'm1.small.description', vcpus: 1, memory_mb: 2048, root_gb: 20, ephemeral_gb: 0, swap: 0, extra_specs: { key1: 'value1', key2: 'value2' } }]);
});

test('the detail reader reads swap "" as none and leaves extra specs unknown below 2.61, not empty', () => {
  const read = readWith(novaFlavorDetail, 'published/nova/flavors-detail.json');
  const tiny = read.flavors.find((flavor) => flavor.name === 'm1.tiny');
  assert.deepEqual(tiny && { ...tiny, origin: undefined }, { origin: undefined, id: '1', name: 'm1.tiny', vcpus: 1, memory_mb: 512, root_gb: 1, ephemeral_gb: 0, swap: 0, extra_specs: null });
});

test('the show reader takes one flavor with its extra specs', () => {
  const read = readWith(novaFlavorShow, 'published/nova/flavor-show-2.75.json');
  assert.deepEqual(read.flavors.map((flavor) => [flavor.name, flavor.memory_mb, flavor.extra_specs]), [['m1.small.description', 2048, { key1: 'value1', key2: 'value2' }]]);
});
