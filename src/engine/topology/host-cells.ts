// Host NUMA cells as the compute node stores them between claims, and
// numa_usage_from_instance_numa, which adds an instance to them or takes it away.
//
// The resource tracker keeps the host topology as JSON and reads it back for every claim
// and every usage update. Sets come back in the order the JSON lists them, and that order
// decides which sibling thread Nova pins, so each set is kept here as its JSON list and
// rebuilt with the same Python set operations Nova runs.
import type { HostNumaCellSpec } from '../core/model.ts';
import type { FittedTopology, HostCellView, MemPages } from './numa-fit.ts';
import { PySet } from './python-set.ts';
import { failure, success, type Result } from '../core/result.ts';

export interface HostCellState {
  id: number;
  /** each set as the compute node's JSON lists it */
  cpuset: number[];
  pcpuset: number[];
  pinned_cpus: number[];
  siblings: number[][];
  memory: number;
  cpu_usage: number;
  memory_usage: number;
  mempages: MemPages[];
  socket: number | null;
}


/** What a new NUMACell(...) makes of a list given to a set field. */
const asField = (items: number[]) => PySet.coerce(PySet.of(items)).values();
const sortedNumbers = (items: Iterable<number>) => [...items].sort((a, b) => a - b);

/** Thread siblings as given; without any, each CPU of the cell is a core of its own (Nova cannot pin on a cell without any). */
export function siblingsOf(spec: HostNumaCellSpec): number[][] {
  return spec.siblings.length > 0 ? spec.siblings : sortedNumbers(new Set([...spec.cpus, ...spec.pcpus])).map((cpu) => [cpu]);
}

/** Page sizes as given; without any, the cell's memory is all 4 KiB pages, as libvirt reports a host without huge pages. */
export function mempagesOf(spec: HostNumaCellSpec): MemPages[] {
  return spec.mempages.length > 0
    ? spec.mempages.map((pages) => ({ size_kb: pages.size_kb, total: pages.total, used: 0, reserved: pages.reserved ?? 0 }))
    : [{ size_kb: 4, total: spec.memory_mb * 256, used: 0, reserved: 0 }];
}

/** A cell as the virt driver reports it, its CPU lists in ascending order. */
export function cellFromSpec(spec: HostNumaCellSpec): HostCellState {
  return {
    id: spec.id,
    cpuset: asField(sortedNumbers(spec.cpus)),
    pcpuset: asField(sortedNumbers(spec.pcpus)),
    pinned_cpus: [],
    siblings: siblingsOf(spec).map(asField),
    memory: spec.memory_mb,
    cpu_usage: 0,
    memory_usage: 0,
    mempages: mempagesOf(spec),
    socket: spec.socket ?? null,
  };
}

/** The cell as objects.NUMATopology.obj_from_db_obj gives it to numa_fit_instance_to_host. */
export function viewOf(cell: HostCellState): HostCellView {
  const cpuset = PySet.fromPrimitive(cell.cpuset);
  const pcpuset = PySet.fromPrimitive(cell.pcpuset);
  const pinned = PySet.fromPrimitive(cell.pinned_cpus);
  const siblings = cell.siblings.map((core) => PySet.fromPrimitive(core));
  const remaining = pcpuset.difference(pinned);
  const freePcpus = remaining.size > 0 ? remaining : new PySet();
  return {
    id: cell.id,
    cpusetSize: cpuset.size,
    pcpuset,
    memory: cell.memory,
    cpu_usage: cell.cpu_usage,
    memory_usage: cell.memory_usage,
    freePcpus,
    freeSiblings: siblings.map((core) => core.intersection(freePcpus)),
    threadsPerCore: Math.max(1, ...siblings.map((core) => core.size)),
    legacyPinSet: cpuset.size === pcpuset.size && cpuset.values().every((cpu) => pcpuset.has(cpu)),
    mempages: cell.mempages,
  };
}

const pyList = (set: PySet) => `[${set.values().join(', ')}]`;

/** NUMACell.pin_cpus / unpin_cpus on a working copy; the text of Nova's exception when it raises. */
function pinOrUnpin(pcpuset: PySet, pinned: PySet, cpus: PySet, free: boolean): Result<PySet> {
  const verb = free ? 'unpin' : 'pin';
  if (cpus.difference(pcpuset).size > 0) {
    return failure(`CPU set to ${verb} ${pyList(cpus)} must be a subset of known CPU set ${pyList(pcpuset)}`);
  }
  if (free) {
    const held = pinned.intersection(cpus);
    if (held.size !== cpus.size) return failure(`CPU set to unpin ${pyList(cpus)} must be a subset of pinned CPU set ${pyList(pinned)}`);
    pinned.differenceUpdate(cpus);
  } else {
    if (pinned.intersection(cpus).size > 0) {
      return failure(`CPU set to pin ${pyList(cpus)} must be a subset of free CPU set ${pyList(pcpuset.difference(pinned))}`);
    }
    // CoercedSet.__ior__ copies the argument item by item before merging it.
    pinned.merge(PySet.of(cpus.values()));
  }
  // Assigning back to the field coerces once more.
  return success(PySet.coerce(pinned));
}

/** _numa_pagesize_usage_from_cell: pages of the instance's size (or the smallest) change hands. */
function pagesAfter(mempages: MemPages[], pagesize: number | null, memory: number, sign: number): MemPages[] {
  const size = pagesize || Math.min(...mempages.map((pages) => pages.size_kb));
  // NUMAPagesTopology.used is an IntegerField: the float Nova computes truncates.
  return mempages.map((pages) =>
    pages.size_kb === size ? { ...pages, used: Math.trunc(Math.max(0, pages.used + ((memory * 1024) / pages.size_kb) * sign)) } : pages,
  );
}

/**
 * numa_usage_from_instance_numa(host, instance, free): the cells after adding (or, with
 * free, removing) the instance, or the text of the exception Nova raises on the way.
 */
export function numaUsage(cells: HostCellState[], instance: FittedTopology, free: boolean): Result<HostCellState[]> {
  const sign = free ? -1 : 1;
  const result: HostCellState[] = [];
  for (const cell of cells) {
    // new NUMACell(cpuset=host_cell.cpuset, ...) coerces every set read back from JSON.
    const pcpuset = PySet.coerce(PySet.fromPrimitive(cell.pcpuset));
    const siblings = cell.siblings.map((core) => PySet.coerce(PySet.fromPrimitive(core)));
    let pinned = PySet.coerce(PySet.fromPrimitive(cell.pinned_cpus));
    let memoryUsage = cell.memory_usage;
    let cpuUsage = cell.cpu_usage;
    let mempages = cell.mempages;
    for (const instanceCell of instance.cells) {
      if (instanceCell.id !== cell.id) continue;
      mempages = pagesAfter(mempages, instanceCell.pagesize, instanceCell.memory, sign);
      memoryUsage += sign * instanceCell.memory;
      cpuUsage += sign * instanceCell.cpuset.length;
      if (instanceCell.cpu_policy === null || instanceCell.cpu_policy === 'shared') continue;
      // A cell Nova took from its fit cache without ever pinning it (the cache is keyed
      // on cell ids the fit itself rewrites) has no pinning: Nova fails on it right here.
      if (!instanceCell.pinning) return failure("'NoneType' object has no attribute 'values'");
      let cpus = PySet.of(instanceCell.pinning.map(([, pcpu]) => pcpu));
      if (instanceCell.cpuset_reserved) cpus.merge(PySet.coerce(instanceCell.cpuset_reserved));
      if (instanceCell.cpu_thread_policy === 'isolate') {
        // pin_cpus_with_siblings: a pinned thread takes its whole core.
        const whole = new PySet();
        for (const core of siblings) if (cpus.intersection(core).size > 0) whole.merge(core);
        cpus = whole;
      }
      const after = pinOrUnpin(pcpuset, pinned, cpus, free);
      if (!after.ok) return after;
      pinned = after.value;
    }
    result.push({
      id: cell.id,
      cpuset: PySet.coerce(PySet.fromPrimitive(cell.cpuset)).values(),
      pcpuset: pcpuset.values(),
      pinned_cpus: pinned.values(),
      siblings: siblings.map((core) => core.values()),
      memory: cell.memory,
      cpu_usage: Math.max(0, cpuUsage),
      memory_usage: Math.max(0, memoryUsage),
      mempages,
      socket: cell.socket,
    });
  }
  return success(result);
}
