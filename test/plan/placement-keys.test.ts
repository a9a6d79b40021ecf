import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseSettingOverride } from '../../src/plan/load.ts';
import { errorsOf, planOf, requestsOf } from './helpers.ts';

const PLAN = `version: 1
cloud:
  capacity_model: placement
hosts:
  - name: gpu-01
    vcpus: 16
    memory_mb: 65536
    local_gb: 500
    capacity_model: legacy
    traits: [HW_CPU_X86_AVX2, CUSTOM_GPU_A100]
    inventories:
      CUSTOM_GPU_A100: {total: 4, max_unit: 1}
      VCPU: {total: 16, allocation_ratio: 2.5}
flavors:
  - {name: g1, vcpus: 1, memory_mb: 1024, root_gb: 10, extra_specs: {"resources:CUSTOM_GPU_A100": "1"}}
requests:
  - {build: g1, count: 2, name: "g-{n}", boot_from_volume: true}
  - {build: g1, name: plain}
`;

test('reads capacity_model for the cloud and per host, as any setting', () => {
  const { cloud } = planOf(PLAN);
  assert.equal(cloud.settings.capacity_model, 'placement');
  assert.equal(cloud.hosts[0].settings.capacity_model, 'legacy');
  assert.deepEqual(parseSettingOverride('capacity_model=placement'), { ok: true, value: { key: 'capacity_model', value: 'placement' } });
});

test('reads a host\'s traits, and its inventories with what they omit filled from Placement\'s defaults', () => {
  const [spec] = planOf(PLAN).cloud.hosts;
  assert.deepEqual(spec.traits, ['HW_CPU_X86_AVX2', 'CUSTOM_GPU_A100']);
  assert.deepEqual(spec.inventories, {
    CUSTOM_GPU_A100: { total: 4, reserved: 0, min_unit: 1, max_unit: 1, step_size: 1, allocation_ratio: 1 },
    VCPU: { total: 16, reserved: 0, min_unit: 1, max_unit: 2147483647, step_size: 1, allocation_ratio: 2.5 },
  });
});

test('marks every copy of a boot-from-volume build, and no other build', () => {
  const requests = requestsOf(planOf(PLAN));
  assert.deepEqual(
    requests.map((request) => request.op === 'build' && request.boot_from_volume),
    [true, true, undefined],
  );
});

test('refuses a trait or class that is neither standard nor custom, and an inventory Placement would refuse', () => {
  const errors = errorsOf(`version: 1
hosts:
  - name: cmp-1
    vcpus: 8
    memory_mb: 8192
    local_gb: 100
    traits: [COMPUTE_NOD, GOLD]
    inventories:
      GPU: {total: 1}
      CUSTOM_FPGA: {total: 2, reserved: 3}
      DISK_GB: {max_unit: 10}
`);
  assert.deepEqual(errors, [
    'plan.yaml:7:14  hosts[0].traits[0]  unknown trait `COMPUTE_NOD`: neither a standard trait (os-traits) nor CUSTOM_ followed by upper-case letters, digits and _; did you mean `COMPUTE_NODE`?',
    'plan.yaml:7:27  hosts[0].traits[1]  unknown trait `GOLD`: neither a standard trait (os-traits) nor CUSTOM_ followed by upper-case letters, digits and _',
    'plan.yaml:9:7  hosts[0].inventories.GPU  unknown resource class `GPU`: neither a standard class (os-resource-classes) nor CUSTOM_ followed by upper-case letters, digits and _; did you mean `VGPU`?',
    'plan.yaml:10:41  hosts[0].inventories.CUSTOM_FPGA.reserved  leaves a negative capacity ((total − reserved) × allocation_ratio); Placement refuses it: the reserved value is greater than total',
    'plan.yaml:11:16  hosts[0].inventories.DISK_GB  missing `total`',
  ]);
});

test('refuses boot_from_volume on a delete, and a capacity model it does not know', () => {
  const errors = errorsOf(`version: 1
cloud: {capacity_model: nova}
hosts:
  - {name: cmp-1, vcpus: 8, memory_mb: 8192, local_gb: 100}
flavors:
  - {name: m1, vcpus: 1, memory_mb: 1024, root_gb: 10}
requests:
  - {build: m1, name: a}
  - {delete: a, boot_from_volume: true}
`);
  assert.deepEqual(errors, [
    'plan.yaml:2:25  cloud.capacity_model  must be `legacy` or `placement`',
    'plan.yaml:9:17  requests[1].boot_from_volume  does not apply to a `delete` request',
  ]);
});
