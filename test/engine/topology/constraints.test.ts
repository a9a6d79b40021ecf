// numa_get_constraints and PCI alias parsing: what Nova builds from a flavor, and what it refuses.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Flavor, PciAlias } from '../../../src/engine/model.ts';
import { topologyRequestFor } from '../../../src/engine/topology/index.ts';

const ALIASES: PciAlias[] = [{ name: 'a100', vendor_id: '10de', product_id: '20b5', device_type: 'type-PCI', numa_policy: 'legacy' }];

function flavor(vcpus: number, memory_mb: number, extra_specs: Record<string, string> = {}): Flavor {
  return { name: 'f', vcpus, memory_mb, root_gb: 10, ephemeral_gb: 0, swap: 0, extra_specs };
}

function request(specs: Record<string, string>, vcpus = 4, memory = 4096) {
  const built = topologyRequestFor(flavor(vcpus, memory, specs), ALIASES);
  assert.ok(!('error' in built), 'error' in built ? built.error : '');
  return built;
}

function refusal(specs: Record<string, string>, vcpus = 4, memory = 4096): string {
  const built = topologyRequestFor(flavor(vcpus, memory, specs), ALIASES);
  assert.ok('error' in built, 'expected a refusal');
  return built.error;
}

test('asks for no NUMA topology and no devices for a plain flavor, whatever else its extra specs say', () => {
  const built = request({ 'quota:cpu_shares': '1024', 'aggregate_instance_extra_specs:ssd': 'true' });
  assert.equal(built.numa, null);
  assert.deepEqual(built.pci, []);
});

test('splits a dedicated flavor evenly over hw:numa_nodes, every vCPU pinned', () => {
  const built = request({ 'hw:cpu_policy': 'dedicated', 'hw:numa_nodes': '2', 'hw:cpu_thread_policy': 'isolate' });
  assert.deepEqual(
    built.numa?.cells.map((cell) => [cell.pcpuset, cell.cpuset, cell.memory, cell.cpu_thread_policy]),
    [[[0, 1], [], 2048, 'isolate'], [[2, 3], [], 2048, 'isolate']],
  );
});

test('keeps the vCPUs of hw:cpu_dedicated_mask pinned and the others shared for a mixed flavor', () => {
  const built = request({ 'hw:cpu_policy': 'mixed', 'hw:cpu_dedicated_mask': '^0' });
  assert.deepEqual(built.numa?.cells.map((cell) => [cell.cpuset, cell.pcpuset]), [[[0], [1, 2, 3]]]);
});

test('reads page sizes as Nova does: names, KiB numbers and byte units', () => {
  assert.equal(request({ 'hw:mem_page_size': 'large' }).numa?.cells[0].pagesize, -2);
  assert.equal(request({ 'hw:mem_page_size': '2048' }).numa?.cells[0].pagesize, 2048);
  assert.equal(request({ 'hw:mem_page_size': '1GB' }).numa?.cells[0].pagesize, 1048576);
});

test('places guest CPUs and memory per node as hw:numa_cpus.N and hw:numa_mem.N say', () => {
  const built = request({ 'hw:numa_nodes': '2', 'hw:numa_cpus.0': '0,3', 'hw:numa_cpus.1': '1-2', 'hw:numa_mem.0': '1024', 'hw:numa_mem.1': '3072' });
  assert.deepEqual(built.numa?.cells.map((cell) => [cell.cpuset, cell.memory]), [[[0, 3], 1024], [[1, 2], 3072]]);
});

test('refuses what numa_get_constraints refuses, with the text of Nova exception', () => {
  assert.equal(
    refusal({ 'hw:cpu_policy': 'pinned' }),
    "CPU policy requested from 'flavor extra specs' is invalid, given: 'pinned', available: '('dedicated', 'shared', 'mixed')'.",
  );
  assert.equal(refusal({ 'hw:cpu_thread_policy': 'isolate' }), 'Cannot set cpu thread pinning policy in a non dedicated cpu pinning policy');
  assert.equal(refusal({ 'hw:numa_nodes': '3' }), 'Instance CPUs and/or memory cannot be evenly distributed across instance NUMA nodes. Explicit assignment of CPUs and memory to nodes is required');
  assert.equal(refusal({ 'hw:numa_nodes': '0' }), "The property 'numa_nodes' cannot be '0'. It must be a number greater than 0");
  assert.equal(refusal({ 'hw:cpu_policy': 'dedicated', 'hw:cpu_realtime': 'yes' }), 'Use of realtime CPUs requires either one or more non-realtime CPU(s) or offloaded emulator threads.');
  assert.equal(refusal({ 'hw:mem_page_size': 'huge' }), "Invalid memory page size 'huge'");
  assert.equal(refusal({ 'hw:numa_nodes': '1', 'hw:numa_cpus.0': '0-2', 'hw:numa_mem.0': '4096' }), 'CPU number {3} is not assigned to any node');
});

test('turns pci_passthrough:alias into device requests, the flavor policy overriding the alias one', () => {
  const built = request({ 'pci_passthrough:alias': 'a100:2', 'hw:pci_numa_affinity_policy': 'required' });
  assert.deepEqual(built.pci, [
    { alias_name: 'a100', count: 2, numa_policy: 'required', specs: [{ product_id: '20b5', vendor_id: '10de', dev_type: 'type-PCI' }] },
  ]);
});

test('refuses unknown aliases and malformed alias lists as Nova does', () => {
  assert.equal(refusal({ 'pci_passthrough:alias': 'h100:1' }), 'PCI alias h100 is not defined');
  assert.equal(refusal({ 'pci_passthrough:alias': 'a100' }), 'not enough values to unpack (expected 2, got 1)');
  assert.equal(refusal({ 'pci_passthrough:alias': 'a100:x' }), "invalid literal for int() with base 10: 'x'");
  assert.equal(refusal({ 'hw:pci_numa_affinity_policy': 'nearby' }), 'Invalid PCI NUMA affinity configured: nearby');
});
