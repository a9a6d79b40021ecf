// numa_fit_instance_to_host: which host cells an instance's cells land on, how dedicated
// vCPUs are pinned, which page size is taken, and what the limits and PCI devices allow.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { HostNumaCellSpec } from '../../../src/engine/core/model.ts';
import { MEMPAGES_ANY, MEMPAGES_LARGE, type InstanceCellRequest, type InstanceNumaRequest } from '../../../src/engine/topology/constraints.ts';
import { cellFromSpec, viewOf } from '../../../src/engine/topology/host-cells.ts';
import { numaFitInstanceToHost, type HostCellView, type PciFitCheck } from '../../../src/engine/topology/numa-fit.ts';

/** `cores` cores of two threads each (n and n+1), numbered on from the cells before. */
function coresOf(id: number, cores: number): number[][] {
  const first = id * cores * 2;
  return Array.from({ length: cores }, (_, core) => [first + core * 2, first + core * 2 + 1]);
}

/** A cell of `cores` dedicated cores, 4 GiB, 2 MiB pages for half of it. */
function hostCell(id: number, fields: Partial<HostNumaCellSpec> = {}, cores = 4): HostCellView {
  const siblings = coresOf(id, cores);
  return viewOf(
    cellFromSpec({
      id,
      cpus: [],
      pcpus: siblings.flat(),
      memory_mb: 4096,
      siblings,
      mempages: [{ size_kb: 4, total: 524288 }, { size_kb: 2048, total: 1024 }],
      ...fields,
    }),
  );
}

function request(cells: Partial<InstanceCellRequest>[], emulator: InstanceNumaRequest['emulator_threads_policy'] = null): InstanceNumaRequest {
  return {
    cells: cells.map((cell, id) => ({
      id,
      cpuset: [],
      pcpuset: [],
      memory: 1024,
      pagesize: null,
      cpu_policy: null,
      cpu_thread_policy: null,
      ...cell,
    })),
    emulator_threads_policy: emulator,
  };
}

/** The same cell with every CPU shared. */
const sharedCell = (id: number) => hostCell(id, { cpus: coresOf(id, 4).flat(), pcpus: [] });

const dedicated = (vcpus: number, fields: Partial<InstanceCellRequest> = {}): Partial<InstanceCellRequest> => ({
  pcpuset: Array.from({ length: vcpus }, (_, k) => k),
  cpu_policy: 'dedicated',
  ...fields,
});

test('pins dedicated vCPUs onto whole free cores first, sibling threads together', () => {
  const fit = numaFitInstanceToHost([hostCell(0)], request([dedicated(4)]), null, null, false);
  assert.deepEqual(fit?.cells[0].pinning, [[0, 0], [1, 1], [2, 2], [3, 3]]);
});

test('spreads onto the emptier cell by default and packs onto the fuller one when asked', () => {
  const cells = [{ ...sharedCell(0), cpu_usage: 2 }, sharedCell(1)];
  const shared = request([{ cpuset: [0] }]);
  assert.deepEqual(numaFitInstanceToHost(cells, shared, null, null, false)?.cells.map((cell) => cell.id), [1]);
  assert.deepEqual(numaFitInstanceToHost(cells, shared, null, null, true)?.cells.map((cell) => cell.id), [0]);
});

test('takes the largest page size that fits for `large` and `any`, and refuses memory the pages cannot hold', () => {
  const cell = hostCell(0);
  assert.equal(numaFitInstanceToHost([cell], request([{ pagesize: MEMPAGES_LARGE, memory: 2048 }]), null, null, false)?.cells[0].pagesize, 2048);
  assert.equal(numaFitInstanceToHost([cell], request([{ pagesize: MEMPAGES_ANY, memory: 2048 }]), null, null, false)?.cells[0].pagesize, 2048);
  const hugeTaken = { ...cell, mempages: cell.mempages.map((pages) => (pages.size_kb === 2048 ? { ...pages, used: 1024 } : pages)) };
  assert.equal(numaFitInstanceToHost([hugeTaken], request([{ pagesize: MEMPAGES_ANY, memory: 2048 }]), null, null, false)?.cells[0].pagesize, 4);
  assert.equal(numaFitInstanceToHost([hugeTaken], request([{ pagesize: MEMPAGES_LARGE, memory: 1024 }]), null, null, false), null);
  assert.equal(numaFitInstanceToHost([cell], request([{ pagesize: MEMPAGES_LARGE, memory: 3072 }]), null, null, false), null);
  // A page size the cell does not have: Nova raises, the fit fails.
  assert.equal(numaFitInstanceToHost([cell], request([{ pagesize: 1048576 }]), null, null, false), null);
});

test('isolates only on a host without SMT or one set up with vcpu_pin_set, and requires SMT for require', () => {
  const smt = hostCell(0);
  assert.equal(numaFitInstanceToHost([smt], request([dedicated(2, { cpu_thread_policy: 'isolate' })]), null, null, false), null);
  const legacy = hostCell(0, { cpus: [0, 1, 2, 3, 4, 5, 6, 7] });
  const isolated = numaFitInstanceToHost([legacy], request([dedicated(2, { cpu_thread_policy: 'isolate' })]), null, null, false);
  assert.deepEqual(isolated?.cells[0].pinning, [[0, 0], [1, 2]]);
  const noSmt = hostCell(0, { siblings: [] });
  assert.equal(numaFitInstanceToHost([noSmt], request([dedicated(2, { cpu_thread_policy: 'require' })]), null, null, false), null);
  assert.ok(numaFitInstanceToHost([smt], request([dedicated(2, { cpu_thread_policy: 'require' })]), null, null, false));
});

test('reserves one more dedicated CPU for isolated emulator threads, next to guest cell 0', () => {
  const fit = numaFitInstanceToHost([hostCell(0)], request([dedicated(2)], 'isolate'), null, null, false);
  assert.deepEqual(fit?.cells[0].pinning, [[0, 0], [1, 1]]);
  assert.deepEqual(fit?.cells[0].cpuset_reserved?.values(), [2]);
  assert.equal(numaFitInstanceToHost([hostCell(0, {}, 1)], request([dedicated(2)], 'isolate'), null, null, false), null);
});

test('bounds shared CPUs and memory by the NUMA limits, and never dedicated ones', () => {
  const cell = hostCell(0, { cpus: [0, 1], pcpus: [2, 3, 4, 5, 6, 7] });
  const limits = { cpu_allocation_ratio: 2, ram_allocation_ratio: 1 };
  assert.ok(numaFitInstanceToHost([{ ...cell, cpu_usage: 2 }], request([{ cpuset: [0, 1] }]), limits, null, false));
  assert.equal(numaFitInstanceToHost([{ ...cell, cpu_usage: 3 }], request([{ cpuset: [0, 1] }]), limits, null, false), null);
  assert.equal(numaFitInstanceToHost([{ ...cell, memory_usage: 3584 }], request([{ cpuset: [0] }]), limits, null, false), null);
  assert.ok(numaFitInstanceToHost([{ ...cell, cpu_usage: 16 }], request([dedicated(2)]), limits, null, false));
});

test('splits a two-node instance over two cells and fails on a host with fewer cells than it asks', () => {
  const two = request([dedicated(2), { ...dedicated(2), pcpuset: [2, 3] }]);
  assert.deepEqual(numaFitInstanceToHost([hostCell(0), hostCell(1)], two, null, null, false)?.cells.map((cell) => cell.id), [0, 1]);
  assert.equal(numaFitInstanceToHost([hostCell(0)], two, null, null, false), null);
  assert.equal(numaFitInstanceToHost([], request([{ cpuset: [0] }]), null, null, false), null);
});

test('tries cells with devices first and keeps only a fit whose cells the PCI request accepts', () => {
  const cells = [hostCell(0), hostCell(1)];
  const onCell1: PciFitCheck = { supports: (ids) => ids.includes(1), devicesOnCell: (id) => (id === 1 ? 1 : 0) };
  assert.deepEqual(numaFitInstanceToHost(cells, request([dedicated(2)]), null, onCell1, false)?.cells.map((cell) => cell.id), [1]);
  const nowhere: PciFitCheck = { supports: () => false, devicesOnCell: () => 0 };
  assert.equal(numaFitInstanceToHost(cells, request([dedicated(2)]), null, nowhere, false), null);
});
