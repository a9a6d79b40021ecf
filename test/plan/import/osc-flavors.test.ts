// openstackclient's flavor exports: `flavor list --long` rows and `flavor show`, the
// extra specs under Properties / properties.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { oscFlavorList, oscFlavorShow } from '../../../src/plan/import/osc-flavors.ts';
import { readWith, recognises } from './read-export.ts';

test('the list reader reads swap "" as none, a swap in MB as given, and Properties as the extra specs', () => {
  const read = readWith(oscFlavorList, 'osc/flavors.json');
  assert.deepEqual(read.errors, []);
  const figures = (name: string) => {
    const flavor = read.flavors.find((candidate) => candidate.name === name);
    return flavor && [flavor.id, flavor.vcpus, flavor.memory_mb, flavor.root_gb, flavor.swap, flavor.extra_specs];
  };
  assert.deepEqual(figures('m1.small'), ['1', 1, 2048, 20, 0, {}]);
  assert.deepEqual(figures('m1.large'), ['3', 4, 8192, 80, 1024, {}]);
  assert.deepEqual(figures('pinned.large'), ['a7c1', 8, 16384, 40, 0, { 'hw:cpu_policy': 'dedicated', 'hw:mem_page_size': 'large' }]);
});

test('the show reader takes a flavor show, its properties as the extra specs, in -f yaml as in -f json', () => {
  const read = readWith(oscFlavorShow, 'osc/flavor-show.yaml');
  assert.deepEqual(read.flavors.map((flavor) => [flavor.name, flavor.vcpus, flavor.extra_specs]), [['pinned.large', 8, { 'hw:cpu_policy': 'dedicated', 'hw:mem_page_size': 'large' }]]);
});

test('a list row is no show and a show no list row', () => {
  assert.equal(recognises(oscFlavorShow, 'osc/flavors.json'), false);
  assert.equal(recognises(oscFlavorList, 'osc/flavor-show.yaml'), false);
});
