import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatPlanError, parseSettingOverride, parseSettingValue } from '../../src/plan/load.ts';
import { errorsOf, planOf } from './helpers.ts';

function parsed(text: string): unknown {
  const result = parseSettingOverride(text);
  return result.ok ? result.value : formatPlanError(result.error);
}

test('types each --set value as the plan schema types that setting', () => {
  assert.deepEqual(parsed('cpu_allocation_ratio=4'), { key: 'cpu_allocation_ratio', value: 4 });
  assert.deepEqual(parsed('ram_allocation_ratio=null'), { key: 'ram_allocation_ratio', value: null });
  assert.deepEqual(parsed('disk_allocation_ratio=1.25'), { key: 'disk_allocation_ratio', value: 1.25 });
  assert.deepEqual(parsed('reserved_host_memory_mb=2048'), { key: 'reserved_host_memory_mb', value: 2048 });
  assert.deepEqual(parsed('enabled_filters=RamFilter, DiskFilter,CoreFilter'), {
    key: 'enabled_filters',
    value: ['RamFilter', 'DiskFilter', 'CoreFilter'],
  });
  assert.deepEqual(parsed('enabled_filters='), { key: 'enabled_filters', value: [] });
  assert.deepEqual(parsed('weigher=pack'), { key: 'weigher', value: 'pack' });
  assert.deepEqual(parsed('packing_host_numa_cells_allocation_strategy=true'), {
    key: 'packing_host_numa_cells_allocation_strategy',
    value: true,
  });
});

test('refuses a malformed override, an unknown setting and a value of the wrong kind, pointing at key or value', () => {
  assert.equal(parsed('cpu_allocation_ratio'), '--set:1:1  cpu_allocation_ratio  must be KEY=VALUE');
  assert.equal(parsed('cpu_alocation_ratio=4'), '--set:1:1  cpu_alocation_ratio  unknown setting `cpu_alocation_ratio`; did you mean `cpu_allocation_ratio`?');
  assert.equal(parsed('colour=red'), '--set:1:1  colour  unknown setting `colour`');
  assert.equal(parsed('weigher=spreed'), '--set:1:9  weigher  must be `spread` or `pack`');
  assert.equal(parsed('reserved_host_memory_mb=1.5'), '--set:1:25  reserved_host_memory_mb  must be a non-negative integer');
  assert.equal(parsed('reserved_host_disk_mb=null'), '--set:1:23  reserved_host_disk_mb  must be a non-negative integer');
  assert.equal(parsed('packing_host_numa_cells_allocation_strategy=yes'), '--set:1:45  packing_host_numa_cells_allocation_strategy  must be true or false');
  assert.equal(parsed('enabled_filters=RamFilter,CoreFliter'), '--set:1:17  enabled_filters  unknown filter `CoreFliter`, in no Nova release from Pike to Zed; did you mean `CoreFilter`?');
});

test('parses a value for a given setting, as a sweep reads the endpoints of its range', () => {
  const result = parseSettingValue('cpu_allocation_ratio', '8.5');
  assert.deepEqual(result, { ok: true, value: { key: 'cpu_allocation_ratio', value: 8.5 } });
});

test('refuses an out-of-tree filter, which no Nova release from Pike to Zed has, as it refuses a near miss of a known one', () => {
  assert.equal(parsed('enabled_filters=RamFilter,MyCompanyRackFilter'), '--set:1:17  enabled_filters  unknown filter `MyCompanyRackFilter`, in no Nova release from Pike to Zed');
  assert.deepEqual(parsed('enabled_filters=JsonFilter,TrustedFilter'), { key: 'enabled_filters', value: ['JsonFilter', 'TrustedFilter'] });
});

test('reads the scheduler\'s weigher settings with nova.conf\'s names, types and bounds', () => {
  assert.deepEqual(parsed('weight_classes=RAMWeigher, nova.scheduler.weights.cpu.CPUWeigher'), {
    key: 'weight_classes',
    value: ['RAMWeigher', 'nova.scheduler.weights.cpu.CPUWeigher'],
  });
  assert.deepEqual(parsed('cpu_weight_multiplier=-2.5'), { key: 'cpu_weight_multiplier', value: -2.5 });
  assert.deepEqual(parsed('host_subset_size=3'), { key: 'host_subset_size', value: 3 });
  assert.deepEqual(parsed('shuffle_best_same_weighed_hosts=true'), { key: 'shuffle_best_same_weighed_hosts', value: true });
  // nova.conf: FloatOpt(min=0.0) for these, IntOpt(min=1) for those.
  assert.equal(parsed('pci_weight_multiplier=-1'), '--set:1:23  pci_weight_multiplier  must be a non-negative number');
  assert.equal(parsed('soft_affinity_weight_multiplier=-1'), '--set:1:33  soft_affinity_weight_multiplier  must be a non-negative number');
  assert.equal(parsed('host_subset_size=0'), '--set:1:18  host_subset_size  must be a positive integer');
  assert.equal(parsed('max_placement_results=0'), '--set:1:23  max_placement_results  must be a positive integer');
  assert.equal(parsed('weight_classes=RAMWeigher,RamWeigher'), "--set:1:16  weight_classes  unknown weigher `RamWeigher`; did you mean `RAMWeigher`?; claimplan models Zed's in-tree weighers only");
});

test('expands weight_classes as Nova\'s loader does, and takes `weigher` as the RAM multiplier it stands for', () => {
  const plan = planOf(
    'version: 1\ncloud:\n  weigher: pack\n  weight_classes: [nova.scheduler.weights.all_weighers]\nhosts: []\nflavors: []\n',
  );
  assert.equal(plan.cloud.settings.ram_weight_multiplier, -1.0);
  assert.equal(plan.cloud.settings.weight_classes.length, 10);
  const explicit = planOf('version: 1\ncloud:\n  weigher: pack\n  ram_weight_multiplier: 2.0\n  weight_classes: [nova.scheduler.weights.disk.DiskWeigher]\nhosts: []\n');
  assert.equal(explicit.cloud.settings.ram_weight_multiplier, 2.0, 'an explicit multiplier wins over the shorthand');
  assert.deepEqual(explicit.cloud.settings.weight_classes, ['DiskWeigher']);
});

test('locates a weight_classes entry that names no weigher of Zed\'s, and refuses scheduler settings on a host', () => {
  assert.deepEqual(errorsOf('version: 1\ncloud:\n  weight_classes: [RAMWeigher, nova.scheduler.weights.ram.RamWeigher]\n'), [
    "plan.yaml:3:32  cloud.weight_classes[1]  unknown weigher `nova.scheduler.weights.ram.RamWeigher`; did you mean `nova.scheduler.weights.ram.RAMWeigher`?; claimplan models Zed's in-tree weighers only",
  ]);
  const onHost = errorsOf('version: 1\nhosts:\n  - {name: a, vcpus: 1, memory_mb: 1, local_gb: 1, host_subset_size: 2}\n');
  assert.equal(onHost.length, 1);
  assert.match(onHost[0], /hosts\[0\]\.host_subset_size  unknown key `host_subset_size`/);
});

test('suggests the setting a name shortens by leaving words out, when exactly one is', () => {
  assert.equal(parsed('cpu_ratio=4'), '--set:1:1  cpu_ratio  unknown setting `cpu_ratio`; did you mean `cpu_allocation_ratio`?');
  assert.equal(parsed('reserved_memory_mb=4'), '--set:1:1  reserved_memory_mb  unknown setting `reserved_memory_mb`; did you mean `reserved_host_memory_mb`?');
  assert.equal(parsed('allocation_ratio=4'), '--set:1:1  allocation_ratio  unknown setting `allocation_ratio`');
});
