// Zed's weighers by class name, each reading its own nova.conf multiplier (each raw weight in
// a replay: test/engine/scheduler/weighing.test.ts; against Nova's own classes:
// test/conformance/weighers.test.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_CLOUD_SETTINGS, WEIGHER_NAMES, type CloudSettings, type WeigherName } from '../../../../src/engine/core/model.ts';
import { weighersNamed } from '../../../../src/engine/scheduler/weighers/index.ts';

/** nova.conf's [filter_scheduler] multiplier each weigher reads. */
const MULTIPLIER_SETTING: Record<WeigherName, keyof CloudSettings> = {
  RAMWeigher: 'ram_weight_multiplier',
  CPUWeigher: 'cpu_weight_multiplier',
  DiskWeigher: 'disk_weight_multiplier',
  MetricsWeigher: 'metrics_weight_multiplier',
  IoOpsWeigher: 'io_ops_weight_multiplier',
  PCIWeigher: 'pci_weight_multiplier',
  ServerGroupSoftAffinityWeigher: 'soft_affinity_weight_multiplier',
  ServerGroupSoftAntiAffinityWeigher: 'soft_anti_affinity_weight_multiplier',
  BuildFailureWeigher: 'build_failure_weight_multiplier',
  CrossCellWeigher: 'cross_cell_move_weight_multiplier',
};

test('gives the weighers weight_classes names, in its order, each under its own name', () => {
  const names: WeigherName[] = ['DiskWeigher', 'RAMWeigher', 'PCIWeigher'];
  assert.deepEqual(weighersNamed(names).map((weigher) => weigher.name), names);
  assert.deepEqual(weighersNamed(WEIGHER_NAMES).map((weigher) => weigher.name), [...WEIGHER_NAMES]);
});

test('each weigher reads its own multiplier setting; BuildFailureWeigher negates it, as Nova does', () => {
  for (const weigher of weighersNamed(WEIGHER_NAMES)) {
    const settings = { ...DEFAULT_CLOUD_SETTINGS, [MULTIPLIER_SETTING[weigher.name]]: 7.5 };
    assert.equal(weigher.multiplier(settings), weigher.name === 'BuildFailureWeigher' ? -7.5 : 7.5, weigher.name);
  }
});
