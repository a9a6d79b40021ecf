// The legacy capacity model as the scheduler and the replay use it: why a host is ruled out
// and by how much, what a commit holds and a release gives back, and how many more builds
// surely fit by arithmetic.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CloudState } from '../../../../src/engine/core/cloud-state.ts';
import { LEGACY_MODEL } from '../../../../src/engine/models/legacy/legacy-model.ts';
import { cloud, flavor, host } from '../../builders.ts';

/** cmp-1: 8 GiB, 100 GB, 4 vCPUs, limits from RamFilter, DiskFilter and CoreFilter at ratio 1. */
function legacy() {
  const state = CloudState.start(
    cloud([host('cmp-1', { memory_mb: 8192, local_gb: 100, vcpus: 4 })], [flavor('m1', { memory_mb: 2048, root_gb: 20, vcpus: 1 }), flavor('big', { memory_mb: 10240, root_gb: 150, vcpus: 8 })], {
      enabled_filters: ['RamFilter', 'DiskFilter', 'CoreFilter'],
      reserved_host_memory_mb: 0,
      ram_allocation_ratio: 1.0,
      disk_allocation_ratio: 1.0,
      cpu_allocation_ratio: 1.0,
    }),
  );
  return { node: state.nodeNamed('cmp-1'), spec: (name: string) => state.requestSpec(name, false) };
}

test('names each resource a host misses and by how much, in memory, disk, vcpu order', () => {
  const { node, spec } = legacy();
  assert.deepEqual(LEGACY_MODEL.misses(node, spec('big')), [
    { cause: 'memory', short: 2048, unit: 'MB' },
    { cause: 'disk', short: 50, unit: 'GB' },
    { cause: 'vcpu', short: 4, unit: 'VCPU' },
  ]);
  assert.deepEqual(LEGACY_MODEL.misses(node, spec('m1')), []);
});

test('a commit holds what the claim test found, and a release gives exactly that back', () => {
  const { node, spec } = legacy();
  const claim = LEGACY_MODEL.claimOnNamedHost(node, spec('m1'), 'vm-1', false);
  assert.deepEqual(claim.reasons, []);
  LEGACY_MODEL.commit(node, claim);
  assert.deepEqual([node.memory_mb_used, node.local_gb_used, node.vcpus_used], [2048, 20, 1]);
  LEGACY_MODEL.release(node, claim);
  assert.deepEqual([node.memory_mb_used, node.local_gb_used, node.vcpus_used], [0, 0, 0]);
});

test('counts the builds that surely fit after one passed: the tightest limit, less the one tested', () => {
  const { node, spec } = legacy();
  const claim = LEGACY_MODEL.testForScheduler(node, spec('m1'), false);
  // memory 8192 / 2048 = 4, disk 100 / 20 = 5, vcpu 4 / 1 = 4: four fit, three more than the one tested.
  assert.equal(LEGACY_MODEL.buildsThatCertainlyFit(node, spec('m1'), claim), 3);
});

test('counts no bound when no filter limits the host', () => {
  const state = CloudState.start(cloud([host('cmp-1')], [flavor('m1')], { enabled_filters: [] }));
  const node = state.nodeNamed('cmp-1');
  const spec = state.requestSpec('m1', false);
  assert.equal(LEGACY_MODEL.buildsThatCertainlyFit(node, spec, LEGACY_MODEL.testForScheduler(node, spec, false)), null);
});
