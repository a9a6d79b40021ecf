// The seam to the claim: topologyRequestFor (what a flavor asks, what Nova refuses and
// when) and HostTopology (the claim's NUMA and PCI tests, what a claim takes and what a
// delete gives back).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Flavor, HostSpec, PciAlias } from '../../../src/engine/core/model.ts';
import { HostTopology, NUMA_REASON, NUMA_WITH_PCI_REASON, PCI_REASON, topologyRequestFor, type TopologyRequest } from '../../../src/engine/topology/host-topology.ts';

const ALIASES: PciAlias[] = [{ name: 'gpu', vendor_id: '10de', product_id: '20b5', device_type: 'type-PCI', numa_policy: 'required' }];

/** Two cells of 4 cores with 2 threads each, all dedicated; one GPU on cell 1. */
function host(): HostSpec {
  const cell = (id: number) => {
    const cores = [0, 1, 2, 3].map((core) => [id * 4 + core, id * 4 + core + 8]);
    return { id, cpus: [], pcpus: cores.flat().sort((a, b) => a - b), memory_mb: 4096, siblings: cores, mempages: [{ size_kb: 4, total: 524288 }, { size_kb: 2048, total: 1024 }] };
  };
  return {
    name: 'h', vcpus: 16, memory_mb: 8192, local_gb: 100, aggregates: [], settings: {}, overhead: { memory_mb: 0, disk_gb: 0 },
    limits: null, numa: [cell(0), cell(1)], instances: [], used: { memory_mb: 0, local_gb: 0, vcpus: 0, running_vms: 0 },
    pci: [{ vendor_id: '10de', product_id: '20b5', numa_node: 1, count: 1, dev_type: 'type-PCI', physical_network: null }],
  };
}

function flavorOf(vcpus: number, memory_mb: number, extra_specs: Record<string, string>): Flavor {
  return { name: 'f', vcpus, memory_mb, root_gb: 1, ephemeral_gb: 0, swap: 0, extra_specs };
}

function requestOf(vcpus: number, memory_mb: number, extra_specs: Record<string, string>): TopologyRequest {
  const built = topologyRequestFor(flavorOf(vcpus, memory_mb, extra_specs), ALIASES);
  assert.ok(built.ok);
  return built.value;
}

test('builds the NUMA and PCI request of a flavor Nova accepts, with no refusal', () => {
  const built = requestOf(2, 1024, { 'hw:cpu_policy': 'dedicated', 'pci_passthrough:alias': 'gpu:1', 'hw:pci_numa_affinity_policy': 'preferred' });
  assert.equal(built.flavor, 'f');
  assert.equal(built.refusal, null);
  assert.deepEqual(built.numa?.cells.map((cell) => cell.pcpuset), [[0, 1]]);
  assert.deepEqual(built.pci.map((pci) => [pci.alias_name, pci.count, pci.numa_policy]), [['gpu', 1, 'preferred']]);
  assert.deepEqual(requestOf(2, 1024, {}), { flavor: 'f', numa: null, pci: [], refusal: null });
});

test('carries Nova\'s API refusal for a flavor naming an undefined alias, instead of an error', () => {
  const built = requestOf(2, 1024, { 'hw:cpu_policy': 'dedicated', 'pci_passthrough:alias': 'gpu:1,a100:2' });
  assert.equal(built.refusal, 'PCI alias a100 is not defined');
  assert.deepEqual(built.pci, []);
  // The NUMA request stays: an instance of the flavor already on a host still holds its cells.
  assert.deepEqual(built.numa?.cells.map((cell) => cell.pcpuset), [[0, 1]]);
  assert.deepEqual(topologyRequestFor(flavorOf(1, 512, { 'pci_passthrough:alias': 'gpu:1' }), []), {
    ok: true,
    value: { flavor: 'f', numa: null, pci: [], refusal: 'PCI alias gpu is not defined' },
  });
});

test('keeps as errors what Nova refuses before it looks the alias up, in the order its API calls the checks', () => {
  const errorOf = (specs: Record<string, string>) => {
    const built = topologyRequestFor(flavorOf(2, 1024, specs), ALIASES);
    assert.ok(!built.ok, 'expected an error');
    return built.error;
  };
  assert.equal(errorOf({ 'hw:numa_nodes': '3', 'pci_passthrough:alias': 'a100:1' }).startsWith('Instance CPUs and/or memory cannot be evenly'), true);
  assert.equal(errorOf({ 'hw:pci_numa_affinity_policy': 'nearby', 'pci_passthrough:alias': 'a100:1' }), 'Invalid PCI NUMA affinity configured: nearby');
  assert.equal(errorOf({ 'pci_passthrough:alias': 'a100' }), 'not enough values to unpack (expected 2, got 1)');
  assert.equal(errorOf({ 'pci_passthrough:alias': 'gpu:x' }), "invalid literal for int() with base 10: 'x'");
  const badAliases: PciAlias[] = [{ ...ALIASES[0], device_type: 'type-XX' }];
  const built = topologyRequestFor(flavorOf(2, 1024, { 'pci_passthrough:alias': 'a100:1' }), badAliases);
  assert.deepEqual(built, { ok: false, error: "Invalid PCI alias definition: 'type-XX' is not one of ['type-PCI', 'type-PF', 'type-VF']" });
});

test('pins a dedicated instance onto whole sibling pairs of one cell', () => {
  const topology = HostTopology.fromSpec(host());
  const { reasons, claim } = topology.test(requestOf(4, 1024, { 'hw:cpu_policy': 'dedicated' }), null, false);
  assert.deepEqual(reasons, []);
  assert.deepEqual(claim?.numa?.cells.map((cell) => [cell.host_cell, cell.pinning]), [[0, { 0: 0, 1: 8, 2: 1, 3: 9 }]]);
});

test('does not fit or count a plain flavor on a NUMA host, as Nova does not', () => {
  const topology = HostTopology.fromSpec(host());
  assert.deepEqual(topology.test(requestOf(64, 65536, {}), { cpu_allocation_ratio: 1, ram_allocation_ratio: 1 }, false), { reasons: [], claim: null });
});

test('rejects an instance cell bigger than any host cell with Nova reason', () => {
  const topology = HostTopology.fromSpec(host());
  assert.deepEqual(topology.test(requestOf(10, 1024, { 'hw:cpu_policy': 'dedicated' }), null, false).reasons, [NUMA_REASON]);
});

test('puts a GPU instance on the GPU cell, then rejects the next one with both NUMA-with-PCI and PCI reasons', () => {
  const topology = HostTopology.fromSpec(host());
  const gpu = requestOf(2, 1024, { 'hw:cpu_policy': 'dedicated', 'pci_passthrough:alias': 'gpu:1' });
  const first = topology.test(gpu, null, false);
  assert.deepEqual(first.claim?.numa?.cells.map((cell) => cell.host_cell), [1]);
  assert.deepEqual(first.claim?.pci, [{ vendor_id: '10de', product_id: '20b5', numa_node: 1, dev_type: 'type-PCI', physical_network: null, count: 1 }]);
  topology.apply(first.claim!);
  assert.deepEqual(topology.test(gpu, null, false).reasons, [NUMA_WITH_PCI_REASON, PCI_REASON]);
});

test('takes huge pages and pinned CPUs on apply and gives exactly them back on release', () => {
  const topology = HostTopology.fromSpec(host());
  const before = topology.usage();
  const { claim } = topology.test(requestOf(2, 1024, { 'hw:cpu_policy': 'dedicated', 'hw:mem_page_size': 'large' }), null, false);
  topology.apply(claim!);
  const cell = topology.usage().numa_cells![0];
  assert.deepEqual([cell.pinned_cpus, cell.memory_usage, cell.mempages[1].used], [[0, 8], 1024, 512]);
  topology.release(claim!);
  assert.deepEqual(topology.usage(), before);
});

test('counts an existing instance without limits, and holds nothing for one that cannot fit', () => {
  const topology = HostTopology.fromSpec(host());
  assert.ok(topology.addExisting(requestOf(8, 1024, { 'hw:cpu_policy': 'dedicated' }), false));
  assert.ok(topology.addExisting(requestOf(8, 1024, { 'hw:cpu_policy': 'dedicated' }), false));
  assert.equal(topology.addExisting(requestOf(8, 1024, { 'hw:cpu_policy': 'dedicated' }), false), null);
  assert.deepEqual(topology.usage().numa_cells!.map((cell) => cell.pinned_cpus.length), [8, 8]);
});

test('leaves the original untouched when a clone takes a claim', () => {
  const topology = HostTopology.fromSpec(host());
  const copy = topology.clone();
  const { claim } = copy.test(requestOf(2, 1024, { 'hw:cpu_policy': 'dedicated', 'pci_passthrough:alias': 'gpu:1' }), null, false);
  copy.apply(claim!);
  assert.deepEqual(topology.usage(), HostTopology.fromSpec(host()).usage());
});
