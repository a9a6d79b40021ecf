// numa_get_constraints: the instance NUMA topology Nova builds from a flavor, and what it
// refuses, step by step in the order of nova/virt/hardware.py's helpers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Flavor } from '../../../src/engine/core/model.ts';
import { MEMPAGES_ANY, MEMPAGES_LARGE, MEMPAGES_SMALL, numaGetConstraints, type InstanceNumaRequest } from '../../../src/engine/topology/constraints.ts';
import { success } from '../../../src/engine/core/result.ts';

function flavor(extra_specs: Record<string, string>, vcpus = 4, memory_mb = 4096): Flavor {
  return { name: 'f', vcpus, memory_mb, root_gb: 10, ephemeral_gb: 0, swap: 0, extra_specs };
}

function topology(specs: Record<string, string>, vcpus = 4, memory = 4096): InstanceNumaRequest {
  const built = numaGetConstraints(flavor(specs, vcpus, memory));
  assert.ok(built.ok && built.value !== null, JSON.stringify(built));
  return built.value;
}

function refusal(specs: Record<string, string>, vcpus = 4, memory = 4096): string {
  const built = numaGetConstraints(flavor(specs, vcpus, memory));
  assert.ok(!built.ok, 'expected a refusal');
  return built.error;
}

const cellsOf = (specs: Record<string, string>, vcpus = 4, memory = 4096) =>
  topology(specs, vcpus, memory).cells.map((cell) => ({ cpuset: cell.cpuset, pcpuset: cell.pcpuset, memory: cell.memory }));

test('asks for no topology without nodes, pinning, huge pages or vPMEM, whatever else the extra specs say', () => {
  assert.deepEqual(numaGetConstraints(flavor({})), success(null));
  assert.deepEqual(numaGetConstraints(flavor({ 'hw:cpu_policy': 'shared', 'quota:cpu_shares': '1024', 'hw:numa_nodes': '' })), success(null));
  assert.deepEqual(cellsOf({ 'hw:pmem': ' 4GB, ,' }), [{ cpuset: [0, 1, 2, 3], pcpuset: [], memory: 4096 }]);
});

test('get_cpu_policy_constraint and get_cpu_thread_policy_constraint: known values, or Nova\'s refusal', () => {
  const cell = topology({ 'hw:cpu_policy': 'dedicated', 'hw:cpu_thread_policy': 'require' }).cells[0];
  assert.deepEqual([cell.cpu_policy, cell.cpu_thread_policy, cell.pcpuset], ['dedicated', 'require', [0, 1, 2, 3]]);
  assert.equal(
    refusal({ 'hw:cpu_policy': 'pinned' }),
    "CPU policy requested from 'flavor extra specs' is invalid, given: 'pinned', available: '('dedicated', 'shared', 'mixed')'.",
  );
  assert.equal(
    refusal({ 'hw:cpu_policy': 'dedicated', 'hw:cpu_thread_policy': 'sometimes' }),
    "CPU thread policy requested from 'flavor extra specs' is invalid, given: 'sometimes', available: '('prefer', 'isolate', 'require')'.",
  );
  // The policy is read before the thread policy.
  assert.match(refusal({ 'hw:cpu_policy': 'pinned', 'hw:cpu_thread_policy': 'sometimes' }), /^CPU policy/);
});

test('get_realtime_cpu_constraint: a realtime mask needs non-realtime CPUs or isolated emulator threads', () => {
  assert.equal(
    refusal({ 'hw:cpu_policy': 'dedicated', 'hw:cpu_realtime': 'yes' }),
    'Use of realtime CPUs requires either one or more non-realtime CPU(s) or offloaded emulator threads.',
  );
  assert.equal(refusal({ 'hw:cpu_policy': 'dedicated', 'hw:cpu_realtime': 'yes', 'hw:cpu_realtime_mask': '0-50' }).startsWith('Realtime policy vCPU(s) mask'), true);
  assert.equal(refusal({ 'hw:cpu_realtime': 'yes', 'hw:cpu_realtime_mask': '^0' }), 'Cannot set realtime policy in a non dedicated cpu pinning policy');
  // Realtime alone changes nothing in the cells; with isolate, all CPUs may be realtime.
  assert.deepEqual(topology({ 'hw:cpu_policy': 'dedicated', 'hw:cpu_realtime': 'true', 'hw:cpu_realtime_mask': '^0' }).emulator_threads_policy, null);
  assert.equal(topology({ 'hw:cpu_policy': 'dedicated', 'hw:cpu_realtime': '1', 'hw:emulator_threads_policy': 'isolate' }).emulator_threads_policy, 'isolate');
  // Nova reads the emulator policy inside the realtime check: its refusal comes first.
  assert.match(refusal({ 'hw:cpu_policy': 'dedicated', 'hw:cpu_realtime': 'yes', 'hw:emulator_threads_policy': 'x' }), /^CPU emulator threads option/);
});

test('get_dedicated_cpu_constraint: a mixed flavor pins the masked vCPUs and shares the others', () => {
  assert.deepEqual(cellsOf({ 'hw:cpu_policy': 'mixed', 'hw:cpu_dedicated_mask': '^0' }), [{ cpuset: [0], pcpuset: [1, 2, 3], memory: 4096 }]);
  assert.deepEqual(cellsOf({ 'hw:cpu_policy': 'mixed', 'hw:cpu_realtime': 'yes', 'hw:cpu_realtime_mask': '2-3' }), [
    { cpuset: [0, 1], pcpuset: [2, 3], memory: 4096 },
  ]);
  assert.equal(
    refusal({ 'hw:cpu_policy': 'mixed', 'hw:cpu_dedicated_mask': '0-3' }),
    "Mixed instance must have at least 1 pinned vCPU and 1 unpinned vCPU. See 'hw:cpu_dedicated_mask'.",
  );
  assert.equal(refusal({ 'hw:cpu_policy': 'mixed', 'hw:cpu_dedicated_mask': '1,7' }).startsWith('Mixed instance dedicated vCPU(s) mask is not a subset'), true);
  assert.equal(refusal({ 'hw:cpu_policy': 'dedicated', 'hw:cpu_dedicated_mask': '0' }), "Cannot specify 'hw:cpu_dedicated_mask' without the 'mixed' policy.");
  assert.match(refusal({ 'hw:cpu_policy': 'mixed' }), /^Dedicated CPU set can be specified from either/);
});

test('get_emulator_thread_policy_constraint: isolate needs a dedicated policy', () => {
  assert.equal(refusal({ 'hw:emulator_threads_policy': 'isolate' }), 'An isolated CPU emulator threads option requires a dedicated CPU policy option.');
  assert.equal(
    refusal({ 'hw:cpu_policy': 'dedicated', 'hw:emulator_threads_policy': 'own' }),
    "CPU emulator threads option requested is invalid, given: 'own', available: '('share', 'isolate')'.",
  );
});

test('_get_vcpu_pcpu_resources: resources:PCPU implies the dedicated policy, and must match the flavor', () => {
  assert.equal(topology({ 'resources:PCPU': '4' }).cells[0].cpu_policy, 'dedicated');
  assert.equal(topology({ 'resources1:PCPU': '5', 'hw:emulator_threads_policy': 'isolate' }).emulator_threads_policy, 'isolate');
  assert.match(refusal({ 'resources:PCPU': '3' }), /^There is a mismatch between the number of PCPUs/);
  assert.match(refusal({ 'resources:PCPU': '4', 'hw:emulator_threads_policy': 'isolate' }), /exactly flavor.vcpus \+ 1 PCPUs/);
  assert.match(refusal({ 'resources:VCPU': '4', 'hw:cpu_policy': 'dedicated' }), /in combination with the 'hw:cpu_policy' extra spec/);
  assert.match(refusal({ 'resources:VCPU': '4', 'resources:PCPU': '4' }), /^It is not possible to specify both/);
  // resources:VCPU means shared: no topology unless something else asks for one.
  assert.deepEqual(numaGetConstraints(flavor({ 'resources:VCPU': '4' })), success(null));
  assert.deepEqual(numaGetConstraints(flavor({ 'resources:PCPU': 'many' })), success(null));
});

test('_get_hyperthreading_trait: forbidden and required stand for the isolate and require thread policies', () => {
  assert.equal(topology({ 'hw:cpu_policy': 'dedicated', 'trait:HW_CPU_HYPERTHREADING': 'forbidden' }).cells[0].cpu_thread_policy, 'isolate');
  assert.equal(topology({ 'hw:cpu_policy': 'dedicated', 'trait2:HW_CPU_HYPERTHREADING': 'required' }).cells[0].cpu_thread_policy, 'require');
  assert.match(
    refusal({ 'hw:cpu_policy': 'dedicated', 'trait:HW_CPU_HYPERTHREADING': 'required', 'hw:cpu_thread_policy': 'prefer' }),
    /^It is not possible to use the 'trait:HW_CPU_HYPERTHREADING' extra spec/,
  );
  assert.equal(refusal({ 'trait:HW_CPU_HYPERTHREADING': 'forbidden' }), 'Cannot set cpu thread pinning policy in a non dedicated cpu pinning policy');
});

test('_get_numa_node_count_constraint and _get_numa_topology_auto: an even split over the nodes', () => {
  assert.deepEqual(cellsOf({ 'hw:numa_nodes': '2', 'hw:cpu_policy': 'dedicated' }), [
    { cpuset: [], pcpuset: [0, 1], memory: 2048 },
    { cpuset: [], pcpuset: [2, 3], memory: 2048 },
  ]);
  assert.deepEqual(topology({ 'hw:numa_nodes': '2' }).cells.map((cell) => cell.id), [0, 1]);
  assert.equal(refusal({ 'hw:numa_nodes': '0' }), "The property 'numa_nodes' cannot be '0'. It must be a number greater than 0");
  assert.equal(refusal({ 'hw:numa_nodes': ' 2' }), "The property 'numa_nodes' cannot be ' 2'. It must be a number greater than 0");
  assert.equal(
    refusal({ 'hw:numa_nodes': '3' }),
    'Instance CPUs and/or memory cannot be evenly distributed across instance NUMA nodes. Explicit assignment of CPUs and memory to nodes is required',
  );
});

test('_get_numa_pagesize_constraint: names, KiB numbers and byte units, truncated in the cells', () => {
  const pagesize = (value: string) => topology({ 'hw:mem_page_size': value }).cells[0].pagesize;
  assert.deepEqual(['small', 'large', 'any'].map(pagesize), [MEMPAGES_SMALL, MEMPAGES_LARGE, MEMPAGES_ANY]);
  assert.deepEqual(['2048', '2MB', '2MiB', '2Mb', '1GB', '1.5KB', '1024b'].map(pagesize), [2048, 2048, 2048, 256, 1048576, 1, 0]);
  assert.equal(refusal({ 'hw:mem_page_size': 'huge' }), "Invalid memory page size 'huge'");
  assert.equal(refusal({ 'hw:mem_page_size': '2M' }), "Invalid memory page size '2M'");
});

test('get_locked_memory_constraint: locked memory needs a page size', () => {
  assert.equal(refusal({ 'hw:locked_memory': 'true' }), 'locked_memory value in image or flavor is forbidden when mem_page_size is not set.');
  assert.deepEqual(numaGetConstraints(flavor({ 'hw:locked_memory': 'no' })), success(null));
  assert.equal(topology({ 'hw:locked_memory': 'yes', 'hw:mem_page_size': 'large' }).cells[0].pagesize, MEMPAGES_LARGE);
});

test('_get_numa_cpu_constraint, _get_numa_mem_constraint and _get_numa_topology_manual: the split as given', () => {
  const specs = { 'hw:numa_nodes': '2', 'hw:numa_cpus.0': '0,3', 'hw:numa_cpus.1': '1-2', 'hw:numa_mem.0': '1024', 'hw:numa_mem.1': '3072' };
  assert.deepEqual(cellsOf(specs), [
    { cpuset: [0, 3], pcpuset: [], memory: 1024 },
    { cpuset: [1, 2], pcpuset: [], memory: 3072 },
  ]);
  // hw:numa_nodes defaults to 1 when the lists give one node.
  assert.deepEqual(cellsOf({ 'hw:numa_cpus.0': '0-3', 'hw:numa_mem.0': '4096', 'hw:cpu_policy': 'dedicated' }), [
    { cpuset: [], pcpuset: [0, 1, 2, 3], memory: 4096 },
  ]);
});

test('refuses a manual split as Nova does, naming the CPU it meets first in set order', () => {
  const two = { 'hw:numa_nodes': '2', 'hw:numa_mem.0': '2048', 'hw:numa_mem.1': '2048' };
  assert.equal(refusal({ ...two, 'hw:numa_cpus.0': '0,9', 'hw:numa_cpus.1': '1-3' }), 'CPU number 9 is larger than max 3');
  assert.equal(refusal({ ...two, 'hw:numa_cpus.0': '0-1', 'hw:numa_cpus.1': '1-3' }), 'CPU number 1 is assigned to two nodes');
  assert.equal(refusal({ ...two, 'hw:numa_cpus.0': '0', 'hw:numa_cpus.1': '1' }), 'CPU number {2, 3} is not assigned to any node');
  assert.equal(refusal({ ...two, 'hw:numa_cpus.0': '0-1', 'hw:numa_cpus.1': '2-3', 'hw:numa_mem.1': '1' }), '2049 MB of memory assigned, but expected 4096 MB');
  assert.equal(refusal({ 'hw:numa_nodes': '3', 'hw:numa_cpus.0': '0' }), 'CPU and memory allocation must be provided for all NUMA nodes');
  assert.equal(refusal({ ...two, 'hw:numa_cpus.0': '0-1' }), 'CPU and memory allocation must be provided for all NUMA nodes');
  // Each list is read as it is met, CPUs before memory.
  assert.equal(refusal({ 'hw:numa_nodes': '2', 'hw:numa_cpus.0': '1-0', 'hw:numa_mem.0': 'x' }), "Invalid range expression '1-0'");
  assert.equal(refusal({ 'hw:numa_nodes': '3', 'hw:numa_mem.0': 'x' }), "invalid literal for int() with base 10: 'x'");
});
