// Fitting an instance's NUMA request onto a host: nova.virt.hardware's
// numa_fit_instance_to_host, _numa_fit_instance_cell, _pack_instance_onto_cores and
// _numa_cell_supports_pagesize_request, ported with their mutations and caches.
import type { NumaTopologyLimits } from '../core/model.ts';
import {
  MEMPAGES_ANY,
  MEMPAGES_LARGE,
  MEMPAGES_SMALL,
  type InstanceCellRequest,
  type InstanceNumaRequest,
} from './constraints.ts';
import { PySet } from './python-set.ts';

export interface MemPages {
  size_kb: number;
  total: number;
  used: number;
  reserved: number;
}

/** A host NUMACell as Nova reads it back from the compute node's JSON for one claim. */
export interface HostCellView {
  id: number;
  cpusetSize: number;
  pcpuset: PySet;
  memory: number;
  cpu_usage: number;
  memory_usage: number;
  /** NUMACell.free_pcpus: `pcpuset - pinned_cpus or set()` */
  freePcpus: PySet;
  /** NUMACell.free_siblings */
  freeSiblings: PySet[];
  /** max(len(sibling set)) or 1 */
  threadsPerCore: number;
  /** cpuset == pcpuset: a host configured with the legacy vcpu_pin_set */
  legacyPinSet: boolean;
  mempages: MemPages[];
}

/** An InstanceNUMACell while Nova fits it: the fields _numa_fit_instance_cell changes in place. */
export interface FittingCell extends InstanceCellRequest {
  /** vCPU -> host CPU, in the order Nova pinned them */
  pinning: [number, number][] | null;
  cpuset_reserved: PySet | null;
}

export interface FittedTopology {
  cells: FittingCell[];
  emulator_threads_policy: InstanceNumaRequest['emulator_threads_policy'];
}

/** The PCI side of the fit: Nova's support_requests over the chosen cells, plus per-cell device totals. */
export interface PciFitCheck {
  supports(cellIds: number[]): boolean;
  devicesOnCell(cellId: number): number;
}

/** NUMACell.can_fit_pagesize; null where Nova raises MemoryPageSizeNotSupported. */
function canFitPagesize(cell: HostCellView, pagesize: number, memoryKb: number, useFree: boolean): boolean | null {
  for (const pages of cell.mempages) {
    if (pages.size_kb === pagesize) {
      const available = (useFree ? pages.total - pages.used - pages.reserved : pages.total) * pages.size_kb;
      return memoryKb <= available && memoryKb % pages.size_kb === 0;
    }
  }
  return null;
}

/** _numa_cell_supports_pagesize_request: the page size chosen, or null (also where Nova raises). */
function supportedPagesize(cell: HostCellView, instance: FittingCell): number | null {
  const sizes = cell.mempages.map((pages) => pages.size_kb).sort((a, b) => b - a);
  const request = instance.pagesize as number;
  const candidates =
    request === MEMPAGES_SMALL ? sizes.slice(-1)
    : request === MEMPAGES_LARGE ? sizes.slice(0, -1)
    : request === MEMPAGES_ANY ? sizes
    : [request];
  const memoryKb = instance.memory * 1024;
  for (const size of candidates) {
    const fits = canFitPagesize(cell, size, memoryKb, true);
    if (fits === null) return null;
    if (fits) return size;
  }
  return null;
}

type Pinning = [number, number][];

/** _get_pinning: the first `threadsNo` threads of each core, in set order, to the sorted vCPUs. */
function pinningOnto(threadsNo: number, cores: PySet[], instanceCpus: number[]): Pinning | null {
  if (threadsNo * cores.length < instanceCpus.length) return null;
  const usable = cores.flatMap((core) => core.values().slice(0, threadsNo));
  const count = Math.min(instanceCpus.length, usable.length);
  return instanceCpus.slice(0, count).map((vcpu, k) => [vcpu, usable[k]]);
}

function sameList(a: number[], b: number[]): boolean {
  return a.length === b.length && a.every((value, k) => value === b[k]);
}

/** _get_reserved: the host CPUs left for emulator threads once the vCPUs are pinned. */
function reservedFor(cores: PySet[], pinning: Pinning | null, reserved: number, isolate: boolean): PySet | null {
  if (!pinning || pinning.length === 0 || !reserved) return null;
  const usable = cores.map((core) => core.values());
  for (const [, pcpu] of pinning) {
    // A Python for-loop over a list that shrinks under it: the item after a removal is skipped.
    for (let index = 0; index < usable.length; index++) {
      const core = usable[index];
      if (!core.includes(pcpu)) continue;
      if (isolate) usable.splice(usable.findIndex((other) => sameList(other, core)), 1);
      else core.splice(core.indexOf(pcpu), 1);
    }
  }
  const chosen = PySet.of(usable.flat().slice(0, reserved));
  return chosen.size > 0 ? chosen : null;
}

const empty = (pinning: Pinning | null): boolean => !pinning || pinning.length === 0;

/** _pack_instance_onto_cores: pins the cell's dedicated vCPUs, or returns false. */
function packOntoCores(cell: HostCellView, instance: FittingCell, reserved: number): boolean {
  const siblingSets = new Map<number, PySet[]>();
  for (const core of cell.freeSiblings) {
    for (let threads = 1; threads <= core.size; threads++) {
      const list = siblingSets.get(threads) ?? [];
      list.push(core);
      siblingSets.set(threads, list);
    }
  }
  const singles = siblingSets.get(1) ?? [];
  let pinning: Pinning | null = null;
  let cpusetReserved: PySet | null = null;

  if (instance.cpu_thread_policy === 'isolate') {
    const whole = siblingSets.get(cell.threadsPerCore);
    if (!whole) return false;
    // Nova (bug #1889633) only isolates on SMT hosts still set up with vcpu_pin_set.
    if (cell.threadsPerCore !== 1 && !cell.legacyPinSet) return false;
    pinning = pinningOnto(1, whole, instance.pcpuset);
    cpusetReserved = reservedFor(singles, pinning, reserved, true);
    if (empty(pinning) || (reserved && !cpusetReserved)) [pinning, cpusetReserved] = [null, null];
  } else {
    if (instance.cpu_thread_policy === 'require' && cell.threadsPerCore <= 1) return false;
    // Fuller cores first, to spread instances evenly over physical cores.
    let threadsNo = 1;
    for (const [threads, cores] of [...siblingSets].sort((a, b) => b[0] - a[0])) {
      threadsNo = threads;
      if (instance.cpu_thread_policy === 'require' && threads <= 1) continue;
      pinning = pinningOnto(threads, cores, instance.pcpuset);
      cpusetReserved = reservedFor(singles, pinning, reserved, false);
      if (empty(pinning) || (reserved && !cpusetReserved)) continue;
      break;
    }
    if (instance.cpu_thread_policy !== 'require' && empty(pinning)) {
      // Prefer falls back to any free threads, each treated as a core of its own.
      const threads = singles.flatMap((core) => core.values()).map((cpu) => PySet.of([cpu]));
      pinning = pinningOnto(threadsNo, threads, instance.pcpuset);
      cpusetReserved = reservedFor(threads, pinning, reserved, false);
    }
  }
  if (empty(pinning) || (reserved && !cpusetReserved)) return false;
  instance.pinning = pinning;
  instance.id = cell.id;
  instance.cpuset_reserved = cpusetReserved;
  return true;
}

const isShared = (instance: InstanceCellRequest) => instance.cpu_policy === null || instance.cpu_policy === 'shared';
const isPinned = (instance: InstanceCellRequest) => instance.cpu_policy === 'dedicated' || instance.cpu_policy === 'mixed';

/** _numa_fit_instance_cell; on success the instance cell now names the host cell. */
function fitCell(cell: HostCellView, instance: FittingCell, limits: NumaTopologyLimits | null, reserved: number): boolean {
  if (instance.pagesize) {
    const pagesize = supportedPagesize(cell, instance);
    if (!pagesize) return false;
    // Kept even when a later check fails: the next host cells only get this size.
    instance.pagesize = pagesize;
  } else {
    // Memory may overcommit here (use_free=False): these are not huge pages. claimplan's
    // cells always list page sizes, so Nova's branch for hosts without any is not needed.
    const smallest = Math.min(...cell.mempages.map((pages) => pages.size_kb));
    if (!canFitPagesize(cell, smallest, instance.memory * 1024, false)) return false;
  }
  if (isPinned(instance) && instance.pcpuset.length + reserved > cell.pcpuset.size) return false;
  if (instance.cpu_policy !== 'dedicated' && instance.cpuset.length > cell.cpusetSize) return false;
  if (isPinned(instance)) {
    if (instance.pcpuset.length + reserved > cell.freePcpus.size) return false;
    if (instance.memory > cell.memory - cell.memory_usage) return false;
    if (!packOntoCores(cell, instance, reserved)) return false;
  }
  // The NUMA limits (NUMATopologyFilter's ratios) only bound shared CPUs and their memory.
  if (instance.cpu_policy !== 'dedicated' && limits) {
    if (cell.cpu_usage + instance.cpuset.length > cell.cpusetSize * limits.cpu_allocation_ratio) return false;
    if (cell.memory_usage + instance.memory > cell.memory * limits.ram_allocation_ratio) return false;
  }
  instance.id = cell.id;
  return true;
}

/** itertools.permutations(range(n), k), in its order. */
function* permutations(n: number, k: number): Generator<number[]> {
  const chosen: number[] = [];
  const used = new Array<boolean>(n).fill(false);
  function* extend(): Generator<number[]> {
    if (chosen.length === k) {
      yield [...chosen];
      return;
    }
    for (let i = 0; i < n; i++) {
      if (used[i]) continue;
      used[i] = true;
      chosen.push(i);
      yield* extend();
      chosen.pop();
      used[i] = false;
    }
  }
  yield* extend();
}

/** A stable sort, as Python's sorted(key=..., reverse=...) is. */
function sortedBy<T>(items: T[], key: (item: T) => number, reverse: boolean): T[] {
  return [...items].sort((a, b) => (reverse ? key(b) - key(a) : key(a) - key(b)));
}

/** The instance cells as a fresh claim sees them (Claim clones the instance). */
function fittingCells(request: InstanceNumaRequest): FittingCell[] {
  return request.cells.map((cell) => ({ ...cell, pinning: null, cpuset_reserved: null }));
}

/**
 * numa_fit_instance_to_host: order the host cells, then try permutations of them until
 * every instance cell fits (and the PCI devices, when asked for, fit those cells).
 */
export function numaFitInstanceToHost(
  hostCells: HostCellView[],
  request: InstanceNumaRequest,
  limits: NumaTopologyLimits | null,
  pci: PciFitCheck | null,
  packing: boolean,
): FittedTopology | null {
  const instanceCells = fittingCells(request);
  if (hostCells.length === 0 || hostCells.length < instanceCells.length) return null;
  let cells = hostCells;
  if (hostCells.length > instanceCells.length) {
    cells = sortedBy(cells, (cell) => cell.memory - cell.memory_usage, !packing);
    cells = isShared(instanceCells[0])
      ? sortedBy(cells, (cell) => cell.cpu_usage, packing)
      : sortedBy(cells, (cell) => cell.freePcpus.size, !packing);
    // Cells with devices first when devices are asked for; Nova always spreads here.
    if (pci) cells = sortedBy(cells, (cell) => pci.devicesOnCell(cell.id), true);
  }
  const isolateEmulator = request.emulator_threads_policy === 'isolate';
  const notFit = new Set<string>();
  const fit = new Set<string>();
  for (const permutation of permutations(cells.length, instanceCells.length)) {
    const chosen: FittingCell[] = [];
    for (let k = 0; k < permutation.length; k++) {
      const cell = cells[permutation[k]];
      const instance = instanceCells[k];
      const pair = `${cell.id},${instance.id}`;
      if (notFit.has(pair)) break;
      if (fit.has(pair)) {
        // Nova trusts its cache and only renames the cell: pinning and page size stay
        // as the last real fit of this instance cell left them.
        instance.id = cell.id;
        chosen.push(instance);
        continue;
      }
      // Emulator threads take their CPU next to guest cell 0.
      const reserved = isolateEmulator && chosen.length === 0 ? 1 : 0;
      if (!fitCell(cell, instance, limits, reserved)) {
        notFit.add(pair);
        break;
      }
      chosen.push(instance);
      fit.add(pair);
    }
    if (chosen.length !== permutation.length) continue;
    if (pci && !pci.supports(chosen.map((instance) => instance.id))) continue;
    return {
      cells: chosen.map((instance) => ({ ...instance, pinning: instance.pinning && [...instance.pinning] })),
      emulator_threads_policy: request.emulator_threads_policy,
    };
  }
  return null;
}
