import { test } from 'node:test';
import assert from 'node:assert/strict';
import { errorsOf, planOf } from './helpers.ts';

const PLAN = `version: 1
cloud:
  capacity_model: placement
hosts:
  - name: "gpu-{n:02}"
    count: 2
    vcpus: 32
    memory_mb: 131072
    local_gb: 1000
    mdev:
      enabled_types: [nvidia-558, nvidia-559]
      pgpus:
        - {address: "0000:81:00.0", type: nvidia-558, available_instances: 4, traits: [CUSTOM_A40_8Q]}
        - {address: "0000:82:00.0", type: nvidia-559, available_instances: 2}
      mdev_classes: {nvidia-559: CUSTOM_T4}
  - name: nic-01
    vcpus: 16
    memory_mb: 65536
    local_gb: 500
    providers:
      - name: nic-01_numa_0
        providers:
          - name: "nic-01:ens1f0"
            inventories: {SRIOV_NET_VF: {total: 8}}
            traits: [CUSTOM_PHYSNET_A]
flavors:
  - {name: g1, vcpus: 1, memory_mb: 1024, root_gb: 10, extra_specs: {"resources1:VGPU": "1"}}
requests: []
`;

test('derives each copy\'s pGPU providers from mdev:, named after that copy, and reads explicit children to any depth', () => {
  const [first, second, nic] = planOf(PLAN).cloud.hosts;
  assert.deepEqual(first.providers?.map((child) => [child.name, Object.keys(child.inventories), child.traits]), [
    ['gpu-01_pci_0000_81_00_0', ['VGPU'], ['CUSTOM_A40_8Q']],
    ['gpu-01_pci_0000_82_00_0', ['CUSTOM_T4'], []],
  ]);
  assert.equal(second.providers?.[0].name, 'gpu-02_pci_0000_81_00_0');
  assert.deepEqual(nic.providers?.[0].inventories, {});
  assert.deepEqual(nic.providers?.[0].providers[0].inventories.SRIOV_NET_VF, { total: 8, reserved: 0, min_unit: 1, max_unit: 2147483647, step_size: 1, allocation_ratio: 1 });
});

test('refuses a provider name Placement would refuse or that another provider has, a bad mdev_class and a pGPU given twice, each at its path', () => {
  const bad = PLAN.replace('"nic-01:ens1f0"', '"nic/01"')
    .replace('name: nic-01_numa_0', 'name: gpu-01_pci_0000_81_00_0')
    .replace('CUSTOM_T4}', 'T4}')
    .replace('{address: "0000:82:00.0"', '{address: "0000:81:00.0"');
  const errors = errorsOf(bad);
  assert.equal(errors.length, 4, errors.join('\n'));
  assert.match(errors.join('\n'), /hosts\[0\]\.mdev\.pgpus\[1\]\.address .*already given at pgpus\[0\]/);
  assert.match(errors.join('\n'), /hosts\[0\]\.mdev\.mdev_classes\.nvidia-559 .*must be VGPU or CUSTOM_/);
  assert.match(errors.join('\n'), /hosts\[1\]\.providers .*provider `gpu-01_pci_0000_81_00_0` of host `nic-01` has the name of the provider of host `gpu-01`/);
  assert.match(errors.join('\n'), /hosts\[1\]\.providers\[0\]\.providers\[0\]\.name/);
});
