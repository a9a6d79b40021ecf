// Nova Pike (16.0.0) nova/tests/unit/compute/test_claims.py, ClaimTestCase and
// MoveClaimTestCase, as claimplan cases. Pike is the legacy claim era claimplan follows
// for memory, disk and vcpus, and a move claim then was the same claim test run with the
// new flavor, so that era's own unit tests are the conformance reference for move claims
// (docs/semantics.md, "Moves"). Each Nova test runs twice here: as a build on the named
// node (ClaimTestCase) and as a resize onto it with the flavor under test as the new
// flavor (MoveClaimTestCase, which inherits every ClaimTestCase test).
//
// Not transcribed, as they test Nova's object plumbing rather than what a claim decides:
// - ClaimTestCase.test_abort: a claim used as a context manager calls the tracker's abort on an exception.
// - MoveClaimTestCase.test_abort: the same, through drop_move_claim and the migration context.
// - MoveClaimTestCase.test_image_meta: a dict image_meta is turned into an ImageMeta object.
// - MoveClaimTestCase.test_image_meta_object_passed: an ImageMeta object is kept as one.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { claimMessage } from '../../src/engine/models/capacity-model.ts';
import { CloudState } from '../../src/engine/core/cloud-state.ts';
import { NO_VALID_HOST } from '../../src/engine/scheduler/filter-scheduler.ts';
import type { Decision, ExplicitLimits, Flavor, HostNumaCellSpec, HostSpec, PciAlias, PciPoolSpec } from '../../src/engine/core/model.ts';
import { cloud, flavor, host } from '../engine/builders.ts';

const NODE = 'fake-node';
/** the move's source: big and unlimited, so the instance's first build always lands */
const SOURCE = 'big-source';
/** what ComputeResourcesUnavailable's text starts with */
const UNAVAILABLE = /^Insufficient compute resources: /;

// The test's PCI device is vendor 'v', product 'p'; nova.conf's alias schema wants four
// hex digits, so these stand in for them.
const V = 'abcd';
const P = '1234';
const ALIAS: PciAlias = { name: 'a', vendor_id: V, product_id: P, device_type: 'type-PCI', numa_policy: 'legacy' };

/** The fixture's two host cells: 2 CPUs and 512 MB each, every CPU a core of its own, no huge pages. */
const CELLS: HostNumaCellSpec[] = [
  { id: 1, cpus: [1, 2], pcpus: [], memory_mb: 512, siblings: [[1], [2]], mempages: [] },
  { id: 2, cpus: [3, 4], pcpus: [], memory_mb: 512, siblings: [[3], [4]], mempages: [] },
];

function device(numa_node: number | null, product_id = P): PciPoolSpec {
  return { vendor_id: V, product_id, numa_node, count: 1, dev_type: 'type-PCI', physical_network: null };
}

/** The instance topology the NUMA tests mock: one cell of 2 CPUs and 512 MB. */
const ONE_CELL_2CPU_512MB: Partial<Flavor> = { vcpus: 2, memory_mb: 512, extra_specs: { 'hw:numa_nodes': '1' } };

interface Case {
  /** the Nova test's name */
  name: string;
  /** the flavor under test, over the fixture's default (1024 MB, 1 vCPU, 10 GB root, 5 GB ephemeral) */
  flavor?: Partial<Flavor>;
  /** the claim's limits; none given is unlimited for every resource */
  limits?: ExplicitLimits;
  overhead?: { memory_mb: number; disk_gb: number };
  /** the host's PCI devices */
  pci?: PciPoolSpec[];
  outcome: 'claimed' | 'rejected';
  /** the regex the Nova test asserts on the exception's text */
  message?: RegExp;
  /** the claim's disk_gb the Nova test asserts */
  disk_gb?: number;
}

const CASES: Case[] = [
  { name: 'test_cpu_unlimited', flavor: { vcpus: 100000 }, outcome: 'claimed' },
  { name: 'test_memory_unlimited', flavor: { memory_mb: 99999999 }, outcome: 'claimed' },
  { name: 'test_disk_unlimited_root', flavor: { root_gb: 999999 }, outcome: 'claimed' },
  { name: 'test_disk_unlimited_ephemeral', flavor: { ephemeral_gb: 999999 }, outcome: 'claimed' },
  {
    name: 'test_memory_with_overhead',
    flavor: { memory_mb: 2040 },
    limits: { memory_mb: 2048 },
    overhead: { memory_mb: 8, disk_gb: 0 },
    outcome: 'claimed',
  },
  {
    name: 'test_memory_with_overhead_insufficient',
    flavor: { memory_mb: 2040 },
    limits: { memory_mb: 2048 },
    overhead: { memory_mb: 9, disk_gb: 0 },
    outcome: 'rejected',
  },
  { name: 'test_memory_oversubscription', flavor: { memory_mb: 4096 }, outcome: 'claimed' },
  {
    name: 'test_disk_with_overhead',
    flavor: { root_gb: 99, ephemeral_gb: 0 },
    limits: { disk_gb: 100 },
    overhead: { memory_mb: 0, disk_gb: 1 },
    outcome: 'claimed',
    disk_gb: 100,
  },
  {
    name: 'test_disk_with_overhead_insufficient',
    flavor: { root_gb: 99, ephemeral_gb: 0 },
    limits: { disk_gb: 100 },
    overhead: { memory_mb: 0, disk_gb: 2 },
    outcome: 'rejected',
  },
  {
    name: 'test_disk_with_overhead_insufficient_no_root',
    flavor: { root_gb: 0, ephemeral_gb: 0 },
    limits: { disk_gb: 1 },
    overhead: { memory_mb: 0, disk_gb: 2 },
    outcome: 'rejected',
  },
  { name: 'test_memory_insufficient', flavor: { memory_mb: 16384 }, limits: { memory_mb: 8192 }, outcome: 'rejected' },
  { name: 'test_disk_oversubscription', flavor: { root_gb: 10, ephemeral_gb: 40 }, limits: { disk_gb: 60 }, outcome: 'claimed' },
  // Nova passes the limits as a SchedulerLimits object here; claimplan's limits have one form.
  {
    name: 'test_disk_oversubscription_scheduler_limits_object',
    flavor: { root_gb: 10, ephemeral_gb: 40 },
    limits: { disk_gb: 60 },
    outcome: 'claimed',
  },
  {
    name: 'test_disk_insufficient',
    flavor: { root_gb: 10, ephemeral_gb: 40 },
    limits: { disk_gb: 45 },
    outcome: 'rejected',
    message: /disk/,
  },
  {
    name: 'test_disk_and_memory_insufficient',
    flavor: { root_gb: 10, ephemeral_gb: 40, memory_mb: 16384 },
    limits: { disk_gb: 45, memory_mb: 8192 },
    outcome: 'rejected',
    message: /memory.*disk/,
  },
  // The test mocks PciDeviceStats.support_requests to say yes: here the host has a device
  // the flavor's alias matches.
  {
    name: 'test_pci_pass',
    flavor: { extra_specs: { 'pci_passthrough:alias': 'a:1' } },
    pci: [device(null)],
    outcome: 'claimed',
  },
  // ... and to say no: here the host's only device is another product.
  {
    name: 'test_pci_fail',
    flavor: { extra_specs: { 'pci_passthrough:alias': 'a:1' } },
    pci: [device(null, '4321')],
    outcome: 'rejected',
    message: /Claim pci failed./,
  },
  // Nova checks support_requests is never asked without PCI requests; claimplan's
  // counterpart: a flavor asking for no device claims on a host that has none.
  { name: 'test_pci_pass_no_requests', outcome: 'claimed' },
  // In the NUMA tests Nova mocks the instance topology apart from the flavor (its 1024 MB
  // and 1 vCPU); claimplan derives the topology from the flavor, so the flavor has the
  // topology's shape: 2 vCPUs and 512 MB in one cell, or 5 vCPUs and 2048 MB.
  { name: 'test_numa_topology_no_limit', flavor: ONE_CELL_2CPU_512MB, outcome: 'claimed' },
  {
    name: 'test_numa_topology_fails',
    flavor: { vcpus: 5, memory_mb: 2048, extra_specs: { 'hw:numa_nodes': '1' } },
    limits: { numa_topology: { cpu_allocation_ratio: 1, ram_allocation_ratio: 1 } },
    outcome: 'rejected',
  },
  {
    name: 'test_numa_topology_passes',
    flavor: ONE_CELL_2CPU_512MB,
    limits: { numa_topology: { cpu_allocation_ratio: 1, ram_allocation_ratio: 1 } },
    outcome: 'claimed',
  },
  {
    name: 'test_numa_topology_with_pci',
    flavor: { ...ONE_CELL_2CPU_512MB, extra_specs: { 'hw:numa_nodes': '1', 'pci_passthrough:alias': 'a:1' } },
    pci: [device(1)],
    outcome: 'claimed',
  },
  {
    name: 'test_numa_topology_with_pci_fail',
    flavor: { ...ONE_CELL_2CPU_512MB, extra_specs: { 'hw:numa_nodes': '1', 'pci_passthrough:alias': 'a:2' } },
    pci: [device(1), device(2)],
    outcome: 'rejected',
  },
  {
    name: 'test_numa_topology_with_pci_no_numa_info',
    flavor: { ...ONE_CELL_2CPU_512MB, extra_specs: { 'hw:numa_nodes': '1', 'pci_passthrough:alias': 'a:1' } },
    pci: [device(null)],
    outcome: 'claimed',
  },
];

/** The fixture's compute node: 2048 MB, 20 GB, 2 vCPUs, none used, two NUMA cells. */
function fakeNode(c: Case): HostSpec {
  return host(NODE, {
    memory_mb: 2048,
    local_gb: 20,
    vcpus: 2,
    numa: CELLS,
    limits: c.limits ?? {},
    overhead: c.overhead ?? { memory_mb: 0, disk_gb: 0 },
    pci: c.pci ?? [],
  });
}

function flavorUnderTest(c: Case): Flavor {
  return flavor('f', { memory_mb: 1024, vcpus: 1, root_gb: 10, ephemeral_gb: 5, ...c.flavor });
}

function start(hosts: HostSpec[], flavors: Flavor[]): CloudState {
  // No reserved memory: the node's usage is 0 before the claim, as in the fixture.
  const plan = cloud(hosts, flavors, { reserved_host_memory_mb: 0, reserved_host_disk_mb: 0 });
  return CloudState.start({ ...plan, pci_aliases: [ALIAS] });
}

/** What a case checks: the outcome, the claim's exception text, the claim's amounts. */
interface Claimed {
  result: Decision['result'];
  /** the ComputeResourcesUnavailable text; null when the claim passed */
  message: string | null;
  requested: Decision['requested'];
}

/** ClaimTestCase: a build the compute manager claims on the node it was told to use. */
function claimBuild(c: Case): Claimed {
  const state = start([fakeNode(c)], [flavorUnderTest(c)]);
  const decision = state.decide({ op: 'build', instance: 'vm', flavor: 'f', host: NODE, aggregate: null, expect: null }, 1, { audit: false, explain: false });
  return { result: decision.result, message: decision.message, requested: decision.requested };
}

/**
 * MoveClaimTestCase: the flavor under test is the new flavor of a resize onto the node.
 * The instance is first built with a flavor that fits anywhere (no disk, so no resize
 * rule about disks applies) on an unlimited source; the scheduler, restricted to the
 * named node, runs the claim test there. Its reasons are the move's attempt on the node.
 */
function claimMove(c: Case): Claimed {
  const tiny = flavor('tiny', { vcpus: 1, memory_mb: 1, root_gb: 0, ephemeral_gb: 0 });
  const source = host(SOURCE, { vcpus: 1024, memory_mb: 1 << 30, local_gb: 1 << 30, limits: {} });
  const state = start([fakeNode(c), source], [flavorUnderTest(c), tiny]);
  const build = state.decide({ op: 'build', instance: 'vm', flavor: 'tiny', host: SOURCE, aggregate: null, expect: null }, 1, { audit: false, explain: false });
  assert.equal(build.result, 'claimed', `the instance's build on the source: ${build.message}`);
  const before = state.hostUsages().find((usage) => usage.host === NODE)!;
  assert.deepEqual([before.memory_mb_used, before.local_gb_used, before.vcpus_used], [0, 0, 0], 'the destination is unused before the move claim');
  const move = state.decide({ op: 'resize', instance: 'vm', flavor: 'f', host: NODE, expect: null }, 2, { audit: false, explain: true });
  if (move.result === 'claimed') {
    assert.equal(move.host, NODE);
    return { result: move.result, message: null, requested: move.requested };
  }
  // A rejection the claim did not make (the API's, the driver's) has no attempt on the node.
  assert.equal(move.message, NO_VALID_HOST, `the move was refused before or after the claim: ${move.message}`);
  const attempt = move.attempts?.find((tried) => tried.host === NODE);
  assert.ok(attempt && attempt.reasons.length > 0, 'the node was tried and refused the move claim');
  return { result: move.result, message: claimMessage(attempt.reasons), requested: move.requested };
}

function check(c: Case, claimed: Claimed): void {
  assert.equal(claimed.result, c.outcome, `expected ${c.outcome}; message: ${claimed.message}`);
  if (c.outcome === 'rejected') {
    assert.match(claimed.message ?? '', UNAVAILABLE);
    if (c.message) assert.match(claimed.message ?? '', c.message);
  }
  if (c.disk_gb !== undefined) assert.equal(claimed.requested?.disk_gb, c.disk_gb);
}

for (const c of CASES) {
  test(`ClaimTestCase.${c.name}`, () => check(c, claimBuild(c)));
  test(`MoveClaimTestCase.${c.name}`, () => check(c, claimMove(c)));
}
