// openstackclient's hypervisor exports (`hypervisor show`, `hypervisor list --long`), in
// -f json or -f yaml.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { oscHypervisorList, oscHypervisorShow } from '../../../src/plan/import/osc-hypervisors.ts';
import { imported, readWith } from './read-export.ts';

test('reads the client\'s -f yaml like its -f json', () => {
  const json = imported('osc/hypervisors-show.json', 'osc/flavors.json');
  const yaml = imported('osc/hypervisors-show.yaml', 'osc/flavors.yaml');
  assert.deepEqual(yaml.hosts, json.hosts);
  assert.deepEqual(yaml.flavors, json.flavors);
  assert.deepEqual(imported('osc/flavor-show.yaml').flavors[0].extra_specs, { 'hw:cpu_policy': 'dedicated', 'hw:mem_page_size': 'large' });
});

test('the show reader keeps a compute service down or disabled as such, and the aggregates the client lists', () => {
  const read = readWith(oscHypervisorShow, 'osc/hypervisors-show-down-disabled.json');
  assert.deepEqual(
    read.hypervisors.map((hypervisor) => [hypervisor.name, hypervisor.serviceHost, hypervisor.down, hypervisor.disabled, hypervisor.aggregates]),
    [
      ['cmp-001.example.net', 'cmp-001', false, false, ['az1']],
      ['cmp-002.example.net', 'cmp-002', true, false, ['az1']],
      ['gpu-001.example.net', 'gpu-001', false, true, ['az2', 'gpu']],
    ],
  );
  assert.deepEqual(read.hypervisors[0].figures, { vcpus: 64, vcpus_used: 18, memory_mb: 262144, memory_mb_used: 41472, local_gb: 1800, local_gb_used: 240, running_vms: 5 });
});

test('the list reader takes `hypervisor list --long` without disk figures, and says what exports them', () => {
  const read = readWith(oscHypervisorList, 'osc/hypervisors-list.json');
  assert.deepEqual(read.hypervisors[2].figures, { vcpus: 48, vcpus_used: 32, memory_mb: 196608, memory_mb_used: 138752 });
  for (const hypervisor of read.hypervisors) assert.match(hypervisor.lacking ?? '', /^`hypervisor list --long` has no disk figures: export `openstack --os-compute-api-version 2\.87 hypervisor show HOST -f json`/);
});
