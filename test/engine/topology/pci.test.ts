// nova/pci/request.py's flavor requests and nova/pci/stats.py's pools: what a flavor asks
// for, what Nova refuses, and how devices are matched, filtered and taken.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { PciAlias, PciPoolSpec } from '../../../src/engine/core/model.ts';
import {
  aliasMatchesAnyPool,
  consumeRequests,
  pciNumaPolicyOf,
  pciRequestsOf,
  poolsFromSpec,
  supportRequests,
  type PciHostCell,
  type PciRequest,
} from '../../../src/engine/topology/pci.ts';
import { failure, success } from '../../../src/engine/core/result.ts';

const A100: PciAlias = { name: 'a100', vendor_id: '10de', product_id: '20b5', device_type: 'type-PCI', numa_policy: 'legacy' };
const NIC: PciAlias = { name: 'nic', vendor_id: '8086', product_id: '154c', device_type: '', numa_policy: 'required' };
const ALIASES = [A100, NIC];

function pool(fields: Partial<PciPoolSpec>): PciPoolSpec {
  return { vendor_id: '10de', product_id: '20b5', numa_node: 0, count: 1, dev_type: 'type-PCI', physical_network: null, ...fields };
}

function requestFor(alias: PciAlias, count: number, numa_policy: PciRequest['numa_policy'] = 'legacy'): PciRequest {
  const spec: Record<string, string> = { product_id: alias.product_id, vendor_id: alias.vendor_id };
  if (alias.device_type) spec.dev_type = alias.device_type;
  return { alias_name: alias.name, count, specs: [spec], numa_policy };
}

const CELLS: PciHostCell[] = [{ id: 0, socket: 0 }, { id: 1, socket: 0 }, { id: 2, socket: 1 }];

test('reads hw:pci_numa_affinity_policy, refusing a policy Nova does not know', () => {
  assert.deepEqual(pciNumaPolicyOf({}), success(null));
  assert.deepEqual(pciNumaPolicyOf({ 'hw:pci_numa_affinity_policy': 'socket' }), success('socket'));
  assert.deepEqual(pciNumaPolicyOf({ 'hw:pci_numa_affinity_policy': 'nearby' }), failure('Invalid PCI NUMA affinity configured: nearby'));
});

test('asks for nothing without pci_passthrough:alias', () => {
  assert.deepEqual(pciRequestsOf({}, ALIASES, null), success({ requests: [], refusal: null }));
});

test('turns each alias:count into a request, the flavor policy overriding the alias one', () => {
  assert.deepEqual(pciRequestsOf({ 'pci_passthrough:alias': ' a100:2, nic:1' }, ALIASES, null), success({
    requests: [
      { alias_name: 'a100', count: 2, numa_policy: 'legacy', specs: [{ product_id: '20b5', vendor_id: '10de', dev_type: 'type-PCI' }] },
      { alias_name: 'nic', count: 1, numa_policy: 'required', specs: [{ product_id: '154c', vendor_id: '8086' }] },
    ],
    refusal: null,
  }));
  const overridden = pciRequestsOf({ 'pci_passthrough:alias': 'nic:1' }, ALIASES, 'preferred');
  assert.ok(overridden.ok);
  assert.equal(overridden.value.requests[0].numa_policy, 'preferred');
});

test('gives PciRequestAliasNotDefined as the refusal of a valid flavor naming an undefined alias', () => {
  assert.deepEqual(pciRequestsOf({ 'pci_passthrough:alias': 'gpu:1' }, ALIASES, null), success({
    requests: [],
    refusal: 'PCI alias gpu is not defined',
  }));
  // Nova looks each name up before reading its count, and stops at the first undefined one.
  assert.deepEqual(pciRequestsOf({ 'pci_passthrough:alias': 'a100:1,gpu:x,h100:1' }, ALIASES, null), success({
    requests: [],
    refusal: 'PCI alias gpu is not defined',
  }));
  assert.deepEqual(pciRequestsOf({ 'pci_passthrough:alias': 'gpu:1' }, [], null), success({ requests: [], refusal: 'PCI alias gpu is not defined' }));
});

test('refuses a malformed alias list as an error, whichever alias names it holds', () => {
  assert.deepEqual(pciRequestsOf({ 'pci_passthrough:alias': 'a100:x,gpu:1' }, ALIASES, null), failure("invalid literal for int() with base 10: 'x'"));
  // Every item is split before any name is looked up.
  assert.deepEqual(pciRequestsOf({ 'pci_passthrough:alias': 'gpu:1,a100' }, ALIASES, null), failure('not enough values to unpack (expected 2, got 1)'));
  assert.deepEqual(pciRequestsOf({ 'pci_passthrough:alias': 'a100:1:2' }, ALIASES, null), failure('too many values to unpack (expected 2)'));
});

test('refuses alias definitions Nova\'s alias schema and _get_alias_from_config refuse, before looking names up', () => {
  const specs = { 'pci_passthrough:alias': 'gpu:1' };
  assert.deepEqual(pciRequestsOf(specs, [{ ...A100, vendor_id: '10d' }], null), failure("Invalid PCI alias definition: '10d' does not match '^([\\\\da-fA-F]{4})$'"));
  assert.deepEqual(pciRequestsOf(specs, [A100, { ...A100, numa_policy: 'required' }], null), failure("Invalid PCI alias definition: NUMA policy mismatch for alias 'a100'"));
  assert.deepEqual(pciRequestsOf(specs, [A100, { ...A100, device_type: 'type-VF' }], null), failure("Invalid PCI alias definition: Device type mismatch for alias 'a100'"));
});

test('ORs the specs of alias entries sharing a name', () => {
  const t4 = { ...A100, product_id: '1eb8' };
  const built = pciRequestsOf({ 'pci_passthrough:alias': 'a100:1' }, [A100, t4], null);
  assert.ok(built.ok);
  assert.deepEqual(built.value.requests[0].specs.map((spec) => spec.product_id), ['20b5', '1eb8']);
});

test('merges pools with the same keys and sorts them by key count, as PciDeviceStats keeps them', () => {
  const pools = poolsFromSpec([
    pool({ vendor_id: '8086', product_id: '154c', dev_type: 'type-VF', count: 2 }),
    pool({ count: 1 }),
    pool({ count: 3 }),
  ]);
  assert.deepEqual(pools.map((p) => [p.spec, p.dev_type, p.total, p.remote_managed]), [
    [1, 'type-PCI', 4, false],
    [0, 'type-VF', 2, true],
  ]);
});

test('matches vendor and product case-insensitively, and keeps PF pools for requests naming type-PF', () => {
  const vfs = poolsFromSpec([pool({ vendor_id: '8086', product_id: '154c', dev_type: 'type-VF', count: 2 })]);
  assert.equal(supportRequests(vfs, [requestFor({ ...NIC, product_id: '154C' }, 2)], null, CELLS), true);
  const pools = poolsFromSpec([pool({ vendor_id: '8086', product_id: '154c', dev_type: 'type-PF', count: 2 })]);
  assert.equal(supportRequests(pools, [requestFor(NIC, 1)], null, CELLS), false);
  assert.equal(supportRequests(pools, [requestFor({ ...NIC, device_type: 'type-PF' }, 2)], null, CELLS), true);
  assert.equal(supportRequests(pools, [requestFor({ ...NIC, device_type: 'type-PF' }, 3)], null, CELLS), false);
});

test('applies each NUMA affinity policy to the chosen cells', () => {
  const pools = poolsFromSpec([pool({ numa_node: 1, count: 1 }), pool({ numa_node: null, count: 1 }), pool({ numa_node: 2, count: 1 })]);
  const supports = (policy: PciRequest['numa_policy'], count: number) => supportRequests(pools, [requestFor(A100, count, policy)], [0], CELLS);
  assert.equal(supports('required', 1), false);
  // legacy takes devices that report no NUMA node; preferred takes any.
  assert.deepEqual([supports('legacy', 1), supports('legacy', 2)], [true, false]);
  assert.deepEqual([supports('preferred', 3), supports('preferred', 4)], [true, false]);
  // socket: cells 0 and 1 share socket 0.
  assert.deepEqual([supports('socket', 1), supports('socket', 2)], [true, false]);
  assert.equal(supportRequests(pools, [requestFor(A100, 1, 'socket')], [0], [{ id: 0, socket: null }, { id: 1, socket: 0 }]), false);
});

test('takes devices from pools in order without emptying the pool list, and gives null where Nova raises', () => {
  const pools = poolsFromSpec([pool({ numa_node: 0, count: 1 }), pool({ numa_node: 1, count: 2 })]);
  assert.deepEqual(consumeRequests(pools, [requestFor(A100, 2)], null, CELLS), [
    { pool: 0, spec: 0, count: 1 },
    { pool: 1, spec: 1, count: 1 },
  ]);
  assert.deepEqual(consumeRequests(pools, [requestFor(A100, 1, 'required')], [1], CELLS), [{ pool: 1, spec: 1, count: 1 }]);
  assert.equal(consumeRequests(pools, [requestFor(A100, 4)], null, CELLS), null);
  // Asking changes nothing: the pools are as they were.
  assert.deepEqual(pools.map((p) => p.count), [1, 2]);
});

test('finds whether any pool can give a device to an alias, whatever its NUMA node', () => {
  const pools = [pool({ numa_node: 1 }), pool({ vendor_id: '8086', product_id: '154c', dev_type: 'type-PF', count: 4 })];
  assert.equal(aliasMatchesAnyPool(A100, pools), true);
  assert.equal(aliasMatchesAnyPool({ ...A100, product_id: '1EB8' }, pools), false);
  assert.equal(aliasMatchesAnyPool({ ...A100, vendor_id: '10DE', device_type: '' }, pools), true);
  assert.equal(aliasMatchesAnyPool({ ...A100, device_type: 'type-VF' }, pools), false);
  // A PF pool serves only a request that names type-PF.
  assert.equal(aliasMatchesAnyPool(NIC, pools), false);
  assert.equal(aliasMatchesAnyPool({ ...NIC, device_type: 'type-PF' }, pools), true);
  assert.equal(aliasMatchesAnyPool(A100, []), false);
  assert.equal(aliasMatchesAnyPool(A100, [pool({ count: 0 })]), false);
});
