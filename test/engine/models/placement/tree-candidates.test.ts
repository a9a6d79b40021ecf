import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CloudState } from '../../../../src/engine/core/cloud-state.ts';
import { fitFlavor } from '../../../../src/engine/scenarios/fit.ts';
import type { ChildProviderSpec, CloudSettings, Flavor, HostSpec, Request } from '../../../../src/engine/core/model.ts';
import { replay } from '../../../../src/engine/core/replay.ts';
import { NO_ALLOCATION_CANDIDATES } from '../../../../src/engine/scheduler/filter-scheduler.ts';
import { build, cloud, flavor, host } from '../../builders.ts';

const PLACEMENT: Partial<CloudSettings> = { capacity_model: 'placement', reserved_host_memory_mb: 0 };

function gpu(name: string, total: number, traits: string[] = [], providers: ChildProviderSpec[] = []): ChildProviderSpec {
  return { name, inventories: { VGPU: { total, reserved: 0, min_unit: 1, max_unit: total, step_size: 1, allocation_ratio: 1 } }, traits, providers };
}

/** A host with two A40s of four vGPUs each: the example. */
function twoA40s(name = 'gpu-01'): HostSpec {
  return host(name, { providers: [gpu(`${name}_pci_0000_81_00_0`, 4, ['CUSTOM_A40']), gpu(`${name}_pci_0000_82_00_0`, 4, ['CUSTOM_A40'])] });
}

function vgpuFlavor(name: string, specs: Record<string, string>): Flavor {
  return flavor(name, { vcpus: 2, memory_mb: 2048, root_gb: 10, extra_specs: specs });
}

function decide(hosts: HostSpec[], flavors: Flavor[], requests: Request[]) {
  const state = CloudState.start(cloud(hosts, flavors, PLACEMENT));
  return { state, decisions: [...replay(state, requests, { audit: false, explain: false })] };
}

test('refuses 5 vGPUs on one pGPU of max_unit 4, where counting the children as the host\'s own would claim them', () => {
  const { decisions } = decide([twoA40s()], [vgpuFlavor('v5', { 'resources:VGPU': '5' })], [build('x', 'v5'), build('y', 'v5', { host: 'gpu-01' })]);
  assert.deepEqual(decisions[0].reasons, [NO_ALLOCATION_CANDIDATES]);
  // Over both the pGPU's max_unit and its capacity, the class is simply short, as on a host without children.
  assert.deepEqual(decisions[0].causes, [{ cause: 'VGPU', hosts: 1, closest: { host: 'gpu-01', short: 1, unit: 'VGPU' } }]);
  assert.deepEqual([decisions[1].result, decisions[1].host, decisions[1].message], ['rejected', 'gpu-01', NO_ALLOCATION_CANDIDATES]);
});

test('keeps group_policy=isolate groups on different pGPUs, and under none lets them share one', () => {
  const isolate = vgpuFlavor('iso', { 'resources1:VGPU': '1', 'resources2:VGPU': '1', group_policy: 'isolate' });
  const none = vgpuFlavor('none', { 'resources1:VGPU': '1', 'resources2:VGPU': '1', group_policy: 'none' });
  const [isolated] = decide([twoA40s()], [isolate], [build('a', 'iso')]).decisions;
  assert.deepEqual(isolated.providers, [
    { provider: 'gpu-01', resources: { VCPU: 2, MEMORY_MB: 2048, DISK_GB: 10 } },
    { provider: 'gpu-01_pci_0000_81_00_0', resources: { VGPU: 1 } },
    { provider: 'gpu-01_pci_0000_82_00_0', resources: { VGPU: 1 } },
  ]);
  const [shared] = decide([twoA40s()], [none], [build('a', 'none')]).decisions;
  // The deterministic choice: the most from the earliest provider, so both on the first pGPU.
  assert.deepEqual(shared.providers?.slice(1), [{ provider: 'gpu-01_pci_0000_81_00_0', resources: { VGPU: 2 } }]);
  assert.deepEqual(shared.resources, { VCPU: 2, MEMORY_MB: 2048, DISK_GB: 10, VGPU: 2 });
});

test('an isolate pair needs two pGPUs with room: the third build finds none on a host whose first pGPU is full', () => {
  const isolate = vgpuFlavor('iso', { 'resources1:VGPU': '2', 'resources2:VGPU': '2', group_policy: 'isolate' });
  const { decisions, state } = decide([twoA40s()], [isolate], [build('a', 'iso'), build('b', 'iso'), build('c', 'iso')]);
  assert.deepEqual(decisions.map((decision) => decision.result), ['claimed', 'claimed', 'rejected']);
  const [usage] = state.hostUsages();
  assert.deepEqual(usage.providers?.map((child) => [child.provider, child.usages.VGPU]), [['gpu-01_pci_0000_81_00_0', 4], ['gpu-01_pci_0000_82_00_0', 4]]);
});

test('a numbered group\'s traits are checked on the provider that serves it, not on the host', () => {
  const t4 = vgpuFlavor('t4', { 'resources1:VGPU': '1', 'trait1:CUSTOM_T4': 'required' });
  const hosts = [host('gpu-01', { traits: ['CUSTOM_T4'], providers: [gpu('gpu-01_pci_0000_81_00_0', 4, ['CUSTOM_A40'])] }), host('gpu-02', { providers: [gpu('gpu-02_pci_0000_81_00_0', 4, ['CUSTOM_T4'])] })];
  const [decision] = decide(hosts, [t4], [build('a', 't4')]).decisions;
  assert.equal(decision.host, 'gpu-02');
});

test('an unnumbered trait holds when any provider serving the unnumbered group has it, and a forbidden one on a serving provider rules the tree out', () => {
  const required = vgpuFlavor('req', { 'resources:VGPU': '1', 'trait:CUSTOM_A40': 'required' });
  const forbidden = vgpuFlavor('forb', { 'resources:VGPU': '1', 'trait:CUSTOM_A40': 'forbidden' });
  const { decisions } = decide([twoA40s()], [required, forbidden], [build('a', 'req'), build('b', 'forb')]);
  assert.deepEqual(decisions.map((decision) => decision.result), ['claimed', 'rejected']);
});

test('a child\'s classes are its own: a grandchild\'s VGPU is allocated from the grandchild, three levels deep', () => {
  const deep = host('gpu-01', { providers: [{ name: 'gpu-01_numa_0', inventories: {}, traits: [], providers: [gpu('gpu-01_pci_0000_81_00_0', 2)] }] });
  const { decisions, state } = decide([deep], [vgpuFlavor('v1', { 'resources:VGPU': '1' })], [build('a', 'v1'), build('b', 'v1', { host: 'gpu-01' }), build('c', 'v1')]);
  assert.deepEqual(decisions.map((decision) => decision.result), ['claimed', 'claimed', 'rejected']);
  assert.deepEqual(decisions[0].providers?.[1], { provider: 'gpu-01_pci_0000_81_00_0', resources: { VGPU: 1 } });
  const [usage] = state.hostUsages();
  assert.equal(usage.usages?.VGPU, undefined);
  assert.deepEqual(usage.providers?.[0].providers[0].usages, { VGPU: 2 });
});

test('a delete gives back each provider\'s part of the allocation', () => {
  const isolate = vgpuFlavor('iso', { 'resources1:VGPU': '1', 'resources2:VGPU': '1', group_policy: 'isolate' });
  const { decisions, state } = decide([twoA40s()], [isolate], [build('a', 'iso'), { op: 'delete', instance: 'a' }]);
  assert.deepEqual(decisions[1].providers, decisions[0].providers);
  const [usage] = state.hostUsages();
  assert.deepEqual(usage.providers?.map((child) => child.usages), [{ VGPU: 0 }, { VGPU: 0 }]);
});

test('fit counts vGPU builds claim by claim across the pGPUs, and names the class that runs out', () => {
  const state = CloudState.start(cloud([twoA40s()], [vgpuFlavor('v3', { 'resources1:VGPU': '3' })], PLACEMENT));
  const fit = fitFlavor(state, 'v3', ['gpu-01']);
  assert.equal(fit.total, 2);
  assert.match(fit.hosts[0].bottleneck[0], /VGPU/);
});

test('a migration of a vGPU instance needs a vGPU on the destination; an evacuation keeps the source\'s until the host is back', () => {
  const hosts = [twoA40s('gpu-01'), host('cpu-01'), twoA40s('gpu-02')];
  const v1 = vgpuFlavor('v1', { 'resources1:VGPU': '1' });
  const start: Request[] = [build('a', 'v1', { host: 'gpu-01' })];
  const migrate = decide(hosts, [v1], [...start, { op: 'migrate', instance: 'a', flavor: null, host: 'cpu-01', expect: null }]);
  assert.equal(migrate.decisions[1].result, 'rejected');
  const evacuate = decide(hosts, [v1], [...start, { op: 'down', host: 'gpu-01' }, { op: 'evacuate', instance: 'a', flavor: null, host: null, expect: null }]);
  assert.deepEqual([evacuate.decisions[2].result, evacuate.decisions[2].host], ['claimed', 'gpu-02']);
  const usages = Object.fromEntries(evacuate.state.hostUsages().map((usage) => [usage.host, usage.providers?.map((child) => child.usages.VGPU) ?? null]));
  assert.deepEqual(usages, { 'gpu-01': [1, 0], 'cpu-01': null, 'gpu-02': [1, 0] });
});
