// An empty host of each SKU asked once about each kind of build: whether it takes it, why
// not in Nova's words, and how much of the host one instance fills; the hosts added.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cloudWithAdded, SkuProbe } from '../../../../src/engine/scenarios/expand/sku.ts';
import { flavor, host } from '../../builders.ts';
import { sku, smallCloud } from './plans.ts';

test('an empty host that holds four of a flavor takes it, each instance filling a quarter of it', () => {
  const probe = new SkuProbe(smallCloud(), [sku(host('template', { memory_mb: 16384 }))]);
  assert.deepEqual(probe.fits('small', { aggregate: null, bootFromVolume: false, availability_zone: null, project: null, image: null }), [{ takes: true, beyond: null, weight: 0.25 }]);
  assert.equal(probe.usage(0).host, 'r640-new-1');
});

test('says which SKU refuses a flavor too large for an empty host, in the claim\'s own words', () => {
  const probe = new SkuProbe(smallCloud(), [sku(host('template', { memory_mb: 16384 }))]);
  assert.deepEqual(probe.fits('huge', { aggregate: null, bootFromVolume: false, availability_zone: null, project: null, image: null }), [
    { takes: false, beyond: { kind: 'fits no empty host', sku: 'r640', reasons: ['Free memory 16384.00 MB < requested 65536 MB'] }, weight: 1 },
  ]);
});

test('a SKU without the aggregate a build asks for does not take it, whatever its room', () => {
  const probe = new SkuProbe(smallCloud(), [sku(host('plain', { memory_mb: 262144 }), 'plain'), sku(host('zoned', { memory_mb: 16384, aggregates: ['az1'] }), 'zoned')]);
  const [plain, zoned] = probe.fits('small', { aggregate: 'az1', bootFromVolume: false, availability_zone: null, project: null, image: null });
  assert.deepEqual(plain.beyond, { kind: 'aggregate', aggregate: 'az1' });
  assert.equal(zoned.takes, true);
});

test('a NUMA flavor weighs a whole host, as its claims do not simply add up', () => {
  const plan = smallCloud();
  plan.flavors.push(flavor('numa', { memory_mb: 1024, extra_specs: { 'hw:numa_nodes': '1' } }));
  const probe = new SkuProbe(plan, [sku(host('template', { memory_mb: 16384 }))]);
  assert.deepEqual(probe.fits('numa', { aggregate: null, bootFromVolume: false, availability_zone: null, project: null, image: null }), [{ takes: true, beyond: null, weight: 1 }]);
});

test('adds new empty hosts named by the SKU, after the plan\'s hosts or before them', () => {
  const plan = smallCloud();
  const names = (position: 'first' | 'last') => cloudWithAdded(plan, [sku(host('template', { memory_mb: 8192 }))], [2], position).hosts.map((added) => added.name);
  assert.deepEqual(names('last'), ['cmp-1', 'r640-new-1', 'r640-new-2']);
  assert.deepEqual(names('first'), ['r640-new-1', 'r640-new-2', 'cmp-1']);
});
