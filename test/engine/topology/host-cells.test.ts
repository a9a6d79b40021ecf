// Host NUMA cells as the compute node keeps them (defaults for what a plan leaves out, the
// view a claim reads) and numa_usage_from_instance_numa adding and removing instances.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { HostNumaCellSpec } from '../../../src/engine/core/model.ts';
import type { FittedTopology, FittingCell } from '../../../src/engine/topology/numa-fit.ts';
import { cellFromSpec, mempagesOf, numaUsage, siblingsOf, viewOf } from '../../../src/engine/topology/host-cells.ts';
import { failure, type Result } from '../../../src/engine/core/result.ts';

/** The cells after a change Nova accepts. */
function applied<T>(result: Result<T>): T {
  assert.ok(result.ok, JSON.stringify(result));
  return result.value;
}

function spec(fields: Partial<HostNumaCellSpec> = {}): HostNumaCellSpec {
  return {
    id: 0,
    cpus: [0, 1],
    pcpus: [2, 3, 4, 5],
    memory_mb: 4096,
    siblings: [[0, 1], [2, 4], [3, 5]],
    mempages: [{ size_kb: 4, total: 786432 }, { size_kb: 2048, total: 512 }],
    ...fields,
  };
}

function instanceCell(fields: Partial<FittingCell>): FittingCell {
  return {
    id: 0,
    cpuset: [],
    pcpuset: [],
    memory: 1024,
    pagesize: null,
    cpu_policy: null,
    cpu_thread_policy: null,
    pinning: null,
    cpuset_reserved: null,
    ...fields,
  };
}

const fitted = (...cells: FittingCell[]): FittedTopology => ({ cells, emulator_threads_policy: null });

test('makes each CPU a core of its own when the plan lists no siblings', () => {
  assert.deepEqual(siblingsOf(spec({ siblings: [], cpus: [3, 1], pcpus: [1, 2] })), [[1], [2], [3]]);
  assert.deepEqual(siblingsOf(spec()), [[0, 1], [2, 4], [3, 5]]);
});

test('gives a cell without page sizes all its memory as 4 KiB pages, and none reserved otherwise unless said', () => {
  assert.deepEqual(mempagesOf(spec({ mempages: [], memory_mb: 2048 })), [{ size_kb: 4, total: 524288, used: 0, reserved: 0 }]);
  assert.deepEqual(mempagesOf(spec({ mempages: [{ size_kb: 2048, total: 8, reserved: 2 }] })), [{ size_kb: 2048, total: 8, used: 0, reserved: 2 }]);
});

test('starts a cell unused, with its socket when the plan gives one', () => {
  const cell = cellFromSpec(spec({ socket: 1 }));
  assert.deepEqual([cell.cpu_usage, cell.memory_usage, cell.pinned_cpus, cell.socket], [0, 0, [], 1]);
  assert.equal(cellFromSpec(spec()).socket, null);
});

test('reads free dedicated CPUs, free siblings and threads per core back as a claim sees them', () => {
  const cell = { ...cellFromSpec(spec()), pinned_cpus: [2, 4] };
  const view = viewOf(cell);
  assert.deepEqual(view.freePcpus.values().sort(), [3, 5]);
  assert.deepEqual(view.freeSiblings.map((core) => core.values().sort()), [[], [], [3, 5]]);
  assert.equal(view.threadsPerCore, 2);
  assert.equal(view.cpusetSize, 2);
  assert.equal(view.legacyPinSet, false);
  // cpu_shared_set equal to cpu_dedicated_set: a host still set up with vcpu_pin_set.
  assert.equal(viewOf(cellFromSpec(spec({ cpus: [2, 3], pcpus: [3, 2] }))).legacyPinSet, true);
  assert.equal(viewOf(cellFromSpec(spec({ siblings: [] }))).threadsPerCore, 1);
});

test('adds a shared instance to its cell: CPU count, memory and the smallest pages', () => {
  const cells = [cellFromSpec(spec()), cellFromSpec(spec({ id: 1 }))];
  const after = applied(numaUsage(cells, fitted(instanceCell({ id: 1, cpuset: [0, 1, 2], memory: 1024 })), false));
  assert.deepEqual(after.map((cell) => [cell.cpu_usage, cell.memory_usage, cell.mempages.map((pages) => pages.used)]), [
    [0, 0, [0, 0]],
    [3, 1024, [262144, 0]],
  ]);
});

test('pins a dedicated instance, its emulator thread and, under isolate, whole cores; freeing gives exactly that back', () => {
  const cells = [cellFromSpec(spec())];
  const pinned = instanceCell({
    pcpuset: [0],
    cpu_policy: 'dedicated',
    cpu_thread_policy: 'isolate',
    pagesize: 2048,
    pinning: [[0, 2]],
    cpuset_reserved: null,
  });
  const after = applied(numaUsage(cells, fitted(pinned), false));
  assert.deepEqual(after[0].pinned_cpus.sort(), [2, 4]);
  assert.equal(after[0].mempages[1].used, 512);
  const back = applied(numaUsage(after, fitted(pinned), true));
  assert.deepEqual([back[0].pinned_cpus, back[0].memory_usage, back[0].mempages[1].used], [[], 0, 0]);
});

test('gives the text of Nova\'s exception when a CPU is pinned twice or was never pinned', () => {
  const cells = [cellFromSpec(spec())];
  const instance = instanceCell({ pcpuset: [0], cpu_policy: 'dedicated', pinning: [[0, 3]] });
  const once = applied(numaUsage(cells, fitted(instance), false));
  assert.deepEqual(numaUsage(once, fitted(instance), false), failure('CPU set to pin [3] must be a subset of free CPU set [2, 4, 5]'));
  assert.deepEqual(numaUsage(cells, fitted(instance), true), failure('CPU set to unpin [3] must be a subset of pinned CPU set []'));
  const shared = instanceCell({ pcpuset: [0], cpu_policy: 'dedicated', pinning: [[0, 0]] });
  assert.deepEqual(numaUsage(cells, fitted(shared), false), failure('CPU set to pin [0] must be a subset of known CPU set [2, 3, 4, 5]'));
});

test('never counts usage below zero when an instance is freed twice', () => {
  const cells = [cellFromSpec(spec())];
  const freed = applied(numaUsage(cells, fitted(instanceCell({ cpuset: [0, 1], memory: 512 })), true));
  assert.deepEqual([freed[0].cpu_usage, freed[0].memory_usage, freed[0].mempages[0].used], [0, 0, 0]);
});
