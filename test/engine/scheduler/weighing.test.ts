import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CloudState } from '../../../src/engine/core/cloud-state.ts';
import type { Cloud, CloudSettings, HostSpec, Request } from '../../../src/engine/core/model.ts';
import { replay } from '../../../src/engine/core/replay.ts';
import { build, cloud, flavor, host } from '../builders.ts';
import { PCI_WEIGHER } from '../../../src/engine/scheduler/weighers/pci.ts';

const M1_SMALL = flavor('m1.small', { vcpus: 1, memory_mb: 2048, root_gb: 20 });

function nodesOf(planned: Cloud) {
  const state = CloudState.start(planned);
  return state.hostNames().map((name) => state.nodeNamed(name));
}

function explained(planned: Cloud, requests: Request[]) {
  return [...replay(CloudState.start(planned), requests, { audit: false, explain: true })];
}

test('weighs by free RAM, vCPUs and disk under Nova\'s default weighers, each normalised from 0 to the most free', () => {
  // a: the most RAM; b: the most vCPUs and disk. RAM a 1, b 0.5; CPU a 0.5, b 1; disk a 0.5, b 1.
  const hosts = [host('a', { memory_mb: 65536, vcpus: 8, local_gb: 500 }), host('b', { memory_mb: 32768, vcpus: 16, local_gb: 1000 })];
  const [decision] = explained(cloud(hosts, [M1_SMALL], { reserved_host_memory_mb: 0 }), [build('1', 'm1.small')]);
  assert.equal(decision.host, 'b');
  assert.deepEqual(
    decision.weighed?.map(({ host: name, weight, weights }) => [name, weight, weights.RAMWeigher, weights.CPUWeigher, weights.DiskWeigher]),
    [
      ['b', 2.5, 0.5, 1, 1],
      ['a', 2, 1, 0.5, 0.5],
    ],
  );
});

test('keeps hosts with free PCI devices for builds that ask for none, and stacks builds that do', () => {
  const gpu = { vendor_id: '10de', product_id: '20b5', numa_node: null, count: 2, dev_type: 'type-PCI', physical_network: null };
  const hosts = [host('gpu-1', { pci: [gpu] }), host('gpu-2', { pci: [gpu] }), host('plain')];
  const planned = cloud(hosts, [M1_SMALL, flavor('g1', { extra_specs: { 'pci_passthrough:alias': 'a100:1' } })]);
  planned.pci_aliases = [{ name: 'a100', vendor_id: '10de', product_id: '20b5', device_type: '', numa_policy: 'legacy' }];
  const decisions = explained(planned, [build('1', 'm1.small'), build('2', 'g1'), build('3', 'g1')]);
  // plain has no devices (PCI weight 100); the GPU hosts 98. After g1 takes one on gpu-1, gpu-1 has 1 free: it weighs more.
  assert.deepEqual(decisions.map((d) => d.host), ['plain', 'gpu-1', 'gpu-1']);
});

test('on a cloud without PCI devices the PCI weigher weighs every host alike, and its share is 0 on each', () => {
  const gpu = { vendor_id: '10de', product_id: '20b5', numa_node: null, count: 2, dev_type: 'type-PCI', physical_network: null };
  const plainHosts = [host('a', { memory_mb: 32768 }), host('b', { memory_mb: 65536 })];
  assert.equal(PCI_WEIGHER.alikeOn!(nodesOf(cloud(plainHosts, [M1_SMALL]))), true);
  assert.equal(PCI_WEIGHER.alikeOn!(nodesOf(cloud([...plainHosts, host('gpu', { pci: [gpu] })], [M1_SMALL]))), false);
  const [decision] = explained(cloud(plainHosts, [M1_SMALL]), [build('1', 'm1.small')]);
  assert.equal(decision.host, 'b');
  assert.deepEqual(decision.weighed?.map((w) => w.weights.PCIWeigher ?? 0), [0, 0]);
});

test('with every host over-committed on RAM, the RAM weigher\'s minval 0 ties them and the first listed wins', () => {
  const used = (memory_mb: number) => ({ memory_mb, local_gb: 0, vcpus: 0, running_vms: 1 });
  const hosts = [host('a', { memory_mb: 65536, used: used(70000) }), host('b', { memory_mb: 65536, used: used(66000) })];
  const settings: Partial<CloudSettings> = { weight_classes: ['RAMWeigher'], ram_allocation_ratio: 1.5 };
  const [decision] = explained(cloud(hosts, [M1_SMALL], settings), [build('1', 'm1.small')]);
  assert.equal(decision.host, 'a');
  assert.deepEqual(decision.weighed?.map((w) => w.weight), [0, 0]);
});

test('a multiplier of 0 leaves its weigher out, and a negative one reverses it', () => {
  const hosts = [host('small-disk', { local_gb: 100 }), host('big-disk', { local_gb: 1000 })];
  const only = (multiplier: number) => cloud(hosts, [M1_SMALL], { weight_classes: ['DiskWeigher'], disk_weight_multiplier: multiplier });
  assert.equal(explained(only(1), [build('1', 'm1.small')])[0].host, 'big-disk');
  assert.equal(explained(only(-1), [build('1', 'm1.small')])[0].host, 'small-disk');
  const [unweighed] = explained(only(0), [build('1', 'm1.small')]);
  assert.equal(unweighed.host, 'small-disk', 'all totals 0: the first listed');
  assert.deepEqual(unweighed.weighed?.map((w) => w.weights.DiskWeigher), [0, 0]);
});

test('with one host passing, Nova weighs nothing: its total is 0 and no weigher has a share', () => {
  const [decision] = explained(cloud([host('only')], [M1_SMALL]), [build('1', 'm1.small')]);
  assert.deepEqual(decision.weighed, [{ host: 'only', weight: 0, weights: {} }]);
});

test('soft anti-affinity, weighed with the rest, sends members apart even to a fuller host', () => {
  const hosts: HostSpec[] = [host('a', { memory_mb: 65536 }), host('b', { memory_mb: 32768 })];
  const planned = cloud(hosts, [M1_SMALL]);
  planned.server_groups = [{ name: 'apart', policy: 'soft-anti-affinity', max_server_per_host: 1 }];
  const decisions = explained(planned, [build('1', 'm1.small', { group: 'apart' }), build('2', 'm1.small', { group: 'apart' })]);
  assert.deepEqual(decisions.map((d) => d.host), ['a', 'b']);
  assert.equal(decisions[1].weighed?.find((w) => w.host === 'a')?.weights.ServerGroupSoftAntiAffinityWeigher, 0);
  assert.equal(decisions[1].weighed?.find((w) => w.host === 'b')?.weights.ServerGroupSoftAntiAffinityWeigher, 1);
});
