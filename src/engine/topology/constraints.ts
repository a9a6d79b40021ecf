// A flavor's NUMA request: nova.virt.hardware.numa_get_constraints with an empty image
// (docs/semantics.md, "The request: numa_get_constraints"). Each Nova helper it calls is
// one function here, named after it, so the two read side by side and refuse in the same
// order. Each refusal carries the text of the exception Nova raises, so the plan loader
// can say what Nova would say.
import type { Flavor } from '../model.ts';
import { LARGEST_CPU_ID, parseCpuSpec, pythonInt, pythonRepr } from './cpu-spec.ts';
import { PySet } from './python-set.ts';

export type CpuPolicy = 'dedicated' | 'shared' | 'mixed';
export type ThreadPolicy = 'prefer' | 'isolate' | 'require';
export type EmulatorThreadsPolicy = 'share' | 'isolate';

/** nova.virt.hardware's MEMPAGES_SMALL / LARGE / ANY */
export const MEMPAGES_SMALL = -1;
export const MEMPAGES_LARGE = -2;
export const MEMPAGES_ANY = -3;

/** One InstanceNUMACell as numa_get_constraints builds it. */
export interface InstanceCellRequest {
  id: number;
  /** shared guest CPUs, sorted */
  cpuset: number[];
  /** dedicated guest CPUs, sorted */
  pcpuset: number[];
  memory: number;
  /** a size in KiB, one of MEMPAGES_*, or null (0 behaves as null, as in Nova) */
  pagesize: number | null;
  cpu_policy: CpuPolicy | null;
  cpu_thread_policy: ThreadPolicy | null;
}

export interface InstanceNumaRequest {
  cells: InstanceCellRequest[];
  emulator_threads_policy: EmulatorThreadsPolicy | null;
}

export interface Refusal {
  error: string;
}

const CPU_POLICIES: readonly string[] = ['dedicated', 'shared', 'mixed'];
const THREAD_POLICIES: readonly string[] = ['prefer', 'isolate', 'require'];
const EMULATOR_POLICIES: readonly string[] = ['share', 'isolate'];
const NUMA_NODES_MAX = 128;

function isRefusal<T>(value: T | Refusal): value is Refusal {
  return typeof value === 'object' && value !== null && 'error' in value;
}

/** The ValueError text of Python's int() on a str. */
export function intValueError(text: string): Refusal {
  return { error: `invalid literal for int() with base 10: ${pythonRepr(text)}` };
}

/** oslo strutils.bool_from_string, non-strict. */
function boolFromString(value: string | undefined): boolean {
  if (value === undefined) return false;
  return ['1', 't', 'true', 'on', 'y', 'yes'].includes(value.trim().toLowerCase());
}

/** oslo strutils.is_int_like: str(int(v)) == v. */
function isIntLike(value: string): boolean {
  const parsed = pythonInt(value);
  return parsed !== null && String(parsed) === value;
}

/**
 * parse_cpu_spec as a Python set: the manual NUMA topology walks it in set order, and
 * the first bad CPU it meets is the one Nova names.
 */
function parseCpuSpecSet(spec: string): PySet | Refusal {
  const parsed = parseCpuSpec(spec);
  if (!parsed.ok) return { error: parsed.error };
  const included = new PySet();
  const rejected = new PySet();
  for (const rawRule of spec.split(',')) {
    const rule = rawRule.trim();
    if (rule.length < 1) continue;
    const dash = rule.indexOf('-');
    if (dash >= 0) {
      const reject = rule.startsWith('^');
      const start = pythonInt(rule.slice(reject ? 1 : 0, dash)) as number;
      const end = pythonInt(rule.slice(dash + 1)) as number;
      const range = PySet.of(Array.from({ length: end - start + 1 }, (_, k) => start + k));
      (reject ? rejected : included).merge(range);
    } else if (rule.startsWith('^')) {
      rejected.add(pythonInt(rule.slice(1)) as number);
    } else {
      included.add(pythonInt(rule) as number);
    }
  }
  included.differenceUpdate(rejected);
  return included;
}

function cpuRange(count: number): number[] {
  return Array.from({ length: count }, (_, k) => k);
}

/** The most CPUs a host can have: its CPU ids run from 0 to LARGEST_CPU_ID, each in one cell. */
const MOST_HOST_CPUS = LARGEST_CPU_ID + 1;

/**
 * set(range(flavor.vcpus)): the guest CPUs Nova builds one by one for a NUMA topology, CPU
 * pinning or a CPU mask. This is where a flavor's vCPU count costs time and memory, so the
 * bound is here and not on the flavor (docs/limits.md): a guest with more CPUs than any host
 * can have fits no host's NUMA cells, and building it would take gigabytes.
 */
function guestCpus(flavor: Flavor): PySet | Refusal {
  if (flavor.vcpus > MOST_HOST_CPUS) {
    return {
      error:
        `asks for a NUMA topology, CPU pinning or a CPU mask for ${flavor.vcpus} vCPUs, which no host's NUMA cells can hold ` +
        `(a host has at most ${MOST_HOST_CPUS} CPUs); claimplan builds such a guest's CPUs one by one, up to ${MOST_HOST_CPUS}`,
    };
  }
  return PySet.of(cpuRange(flavor.vcpus));
}

function sorted(values: Iterable<number>): number[] {
  return [...values].sort((a, b) => a - b);
}

/** get_cpu_policy_constraint */
function getCpuPolicyConstraint(flavor: Flavor): CpuPolicy | null | Refusal {
  const policy = flavor.extra_specs['hw:cpu_policy'];
  if (!policy) return null;
  if (!CPU_POLICIES.includes(policy)) {
    return {
      error:
        `CPU policy requested from 'flavor extra specs' is invalid, given: '${policy}', ` +
        `available: '('dedicated', 'shared', 'mixed')'.`,
    };
  }
  return policy as CpuPolicy;
}

/** get_cpu_thread_policy_constraint */
function getCpuThreadPolicyConstraint(flavor: Flavor): ThreadPolicy | null | Refusal {
  const policy = flavor.extra_specs['hw:cpu_thread_policy'];
  if (!policy) return null;
  if (!THREAD_POLICIES.includes(policy)) {
    return {
      error:
        `CPU thread policy requested from 'flavor extra specs' is invalid, given: '${policy}', ` +
        `available: '('prefer', 'isolate', 'require')'.`,
    };
  }
  return policy as ThreadPolicy;
}

/** get_emulator_thread_policy_constraint */
function getEmulatorThreadPolicyConstraint(flavor: Flavor): EmulatorThreadsPolicy | null | Refusal {
  const policy = flavor.extra_specs['hw:emulator_threads_policy'];
  if (!policy) return null;
  if (!EMULATOR_POLICIES.includes(policy)) {
    return {
      error: `CPU emulator threads option requested is invalid, given: '${policy}', available: '('share', 'isolate')'.`,
    };
  }
  return policy as EmulatorThreadsPolicy;
}

const REALTIME_MASK_INVALID = 'Use of realtime CPUs requires either one or more non-realtime CPU(s) or offloaded emulator threads.';

/** A CPU mask that may start with '^', meaning "all guest CPUs except". */
function parseMask(mask: string, vcpus: number): PySet | Refusal {
  return parseCpuSpecSet(mask.trim().startsWith('^') ? `0-${vcpus - 1},${mask}` : mask);
}

function isSubset(set: PySet, of: PySet): boolean {
  return set.values().every((cpu) => of.has(cpu));
}

/** is_realtime_enabled */
function isRealtimeEnabled(flavor: Flavor): boolean {
  return boolFromString(flavor.extra_specs['hw:cpu_realtime']);
}

/** get_realtime_cpu_constraint */
function getRealtimeCpuConstraint(flavor: Flavor): PySet | null | Refusal {
  if (!isRealtimeEnabled(flavor)) return null;
  const mask = flavor.extra_specs['hw:cpu_realtime_mask'];
  const all = guestCpus(flavor);
  if (isRefusal(all)) return all;
  const realtime = mask ? parseMask(mask, flavor.vcpus) : PySet.of(cpuRange(flavor.vcpus));
  if (isRefusal(realtime)) return realtime;
  if (realtime.size === 0) return { error: REALTIME_MASK_INVALID };
  // Nova asks for the emulator policy here, so its refusal comes before the mask's.
  const emulator = getEmulatorThreadPolicyConstraint(flavor);
  if (isRefusal(emulator)) return emulator;
  if (realtime.size === all.size && isSubset(realtime, all) && !emulator) return { error: REALTIME_MASK_INVALID };
  if (!isSubset(realtime, all)) {
    return {
      error:
        'Realtime policy vCPU(s) mask is configured with RT vCPUs that are not a subset of the vCPUs ' +
        'in the flavor. See hw:cpu_realtime_mask or hw_cpu_realtime_mask',
    };
  }
  return realtime;
}

const MIXED_MASK_INVALID = "Mixed instance must have at least 1 pinned vCPU and 1 unpinned vCPU. See 'hw:cpu_dedicated_mask'.";

/** get_dedicated_cpu_constraint */
function getDedicatedCpuConstraint(flavor: Flavor): PySet | null | Refusal {
  const mask = flavor.extra_specs['hw:cpu_dedicated_mask'];
  if (!mask) return null;
  const all = guestCpus(flavor);
  if (isRefusal(all)) return all;
  const dedicated = parseMask(mask, flavor.vcpus);
  if (isRefusal(dedicated)) return dedicated;
  const shared = all.difference(dedicated);
  if (dedicated.size === 0 || shared.size === 0) return { error: MIXED_MASK_INVALID };
  if (!isSubset(dedicated, all)) {
    return { error: 'Mixed instance dedicated vCPU(s) mask is not a subset of vCPUs in the flavor. See "hw:cpu_dedicated_mask"' };
  }
  return dedicated;
}

/** _get_vcpu_pcpu_resources: `resources[N]:VCPU` / `resources[N]:PCPU` amounts. */
function getVcpuPcpuResources(flavor: Flavor): { vcpu: number; pcpu: number } {
  let vcpu = 0;
  let pcpu = 0;
  for (const [key, value] of Object.entries(flavor.extra_specs)) {
    // re.match anchors only at the start, as Nova's pattern does; a value int() cannot
    // read is Nova's "handled elsewhere", so it adds nothing.
    const amount = pythonInt(value);
    if (/^resources([1-9][0-9]*)?:VCPU/.test(key) && amount !== null) vcpu += amount;
    if (/^resources([1-9][0-9]*)?:PCPU/.test(key) && amount !== null) pcpu += amount;
  }
  return { vcpu, pcpu };
}

/** _get_hyperthreading_trait: the first `trait[N]:HW_CPU_HYPERTHREADING` key's value. */
function getHyperthreadingTrait(flavor: Flavor): string | null {
  for (const [key, value] of Object.entries(flavor.extra_specs)) {
    if (/^trait([1-9][0-9]*)?:HW_CPU_HYPERTHREADING/.test(key)) return value;
  }
  return null;
}

/** oslo strutils.string_to_bytes(text, 'IEC', return_int=True) */
function stringToBytes(text: string): number | null {
  const match = /^([-+]?\d*\.?\d+)([KMGT]i?)?(b|bit|B)\n?$/.exec(text);
  if (!match) return null;
  let magnitude = Number.parseFloat(match[1]);
  if (match[3] === 'b' || match[3] === 'bit') magnitude /= 8;
  const exponent = match[2] ? 'KMGT'.indexOf(match[2][0]) + 1 : 0;
  return Math.ceil(magnitude * 1024 ** exponent);
}

/** _get_numa_pagesize_constraint: a float, as Nova divides bytes by 1024 with `/`. */
function getNumaPagesizeConstraint(flavor: Flavor): number | null | Refusal {
  const request = flavor.extra_specs['hw:mem_page_size'];
  if (!request) return null;
  if (request === 'any') return MEMPAGES_ANY;
  if (request === 'large') return MEMPAGES_LARGE;
  if (request === 'small') return MEMPAGES_SMALL;
  if (/^\d+$/.test(request)) return Number(request);
  const bytes = stringToBytes(request);
  if (bytes === null) return { error: `Invalid memory page size '${request}'` };
  return bytes / 1024;
}

/** _get_numa_node_count_constraint */
function getNumaNodeCountConstraint(flavor: Flavor): number | null | Refusal {
  const nodes = flavor.extra_specs['hw:numa_nodes'];
  if (!nodes) return null;
  if (!isIntLike(nodes) || Number(nodes) < 1) {
    return { error: `The property 'numa_nodes' cannot be '${nodes}'. It must be a number greater than 0` };
  }
  return Number(nodes);
}

/** get_vpmems: hw:pmem labels ask for a NUMA topology even without other constraints. */
function getVpmems(flavor: Flavor): string[] {
  const value = flavor.extra_specs['hw:pmem'];
  if (!value) return [];
  return value.split(',').map((label) => label.trim()).filter((label) => label.length > 0);
}

/** get_locked_memory_constraint: numa_get_constraints calls it only for its refusal. */
function getLockedMemoryConstraint(flavor: Flavor): Refusal | null {
  const specs = flavor.extra_specs;
  if (boolFromString(specs['hw:locked_memory']) && !specs['hw:mem_page_size']) {
    return { error: 'locked_memory value in image or flavor is forbidden when mem_page_size is not set.' };
  }
  return null;
}

/**
 * _get_constraint_mappings_from_flavor: `key.0`, `key.1`, … until one is missing, each
 * read as it is met, so the first unreadable one is Nova's refusal.
 */
function getConstraintMappingsFromFlavor<T>(flavor: Flavor, key: string, read: (text: string) => T | Refusal): T[] | null | Refusal {
  const values: T[] = [];
  for (let cell = 0; cell < NUMA_NODES_MAX; cell++) {
    const text = flavor.extra_specs[`${key}.${cell}`];
    if (text === undefined) break;
    const value = read(text);
    if (isRefusal(value)) return value;
    values.push(value);
  }
  return values.length > 0 ? values : null;
}

/** _get_numa_cpu_constraint: hw:numa_cpus.N, as Python sets. */
function getNumaCpuConstraint(flavor: Flavor): PySet[] | null | Refusal {
  return getConstraintMappingsFromFlavor(flavor, 'hw:numa_cpus', parseCpuSpecSet);
}

/** _get_numa_mem_constraint: hw:numa_mem.N, read with int(). */
function getNumaMemConstraint(flavor: Flavor): number[] | null | Refusal {
  return getConstraintMappingsFromFlavor(flavor, 'hw:numa_mem', (text) => pythonInt(text) ?? intValueError(text));
}

/** The instance's shared (`vcpus`) and dedicated (`pcpus`) guest CPUs, as Nova names them. */
interface CpuSplit {
  vcpus: PySet;
  pcpus: PySet;
}

function cellRequest(id: number, cpus: number[], split: CpuSplit, memory: number): InstanceCellRequest {
  return {
    id,
    cpuset: sorted(cpus.filter((cpu) => split.vcpus.has(cpu))),
    pcpuset: sorted(cpus.filter((cpu) => split.pcpus.has(cpu))),
    memory,
    pagesize: null,
    cpu_policy: null,
    cpu_thread_policy: null,
  };
}

/** _get_numa_topology_auto */
function getNumaTopologyAuto(nodes: number, flavor: Flavor, split: CpuSplit): InstanceCellRequest[] | Refusal {
  if (flavor.vcpus % nodes > 0 || flavor.memory_mb % nodes > 0) {
    return {
      error:
        'Instance CPUs and/or memory cannot be evenly distributed across instance NUMA nodes. ' +
        'Explicit assignment of CPUs and memory to nodes is required',
    };
  }
  const ncpus = Math.trunc(flavor.vcpus / nodes);
  const memory = Math.trunc(flavor.memory_mb / nodes);
  return cpuRange(nodes).map((node) => {
    const cpus = cpuRange(ncpus).map((k) => node * ncpus + k);
    return cellRequest(node, cpus, split, memory);
  });
}

/** _get_numa_topology_manual */
function getNumaTopologyManual(
  nodes: number,
  flavor: Flavor,
  split: CpuSplit,
  cpuList: PySet[],
  memList: number[],
): InstanceCellRequest[] | Refusal {
  const cells: InstanceCellRequest[] = [];
  let totalMemory = 0;
  const available = PySet.of(cpuRange(flavor.vcpus));
  for (let node = 0; node < nodes; node++) {
    // In set order: the first bad CPU met is the one Nova names.
    const cpus = cpuList[node].values();
    for (const cpu of cpus) {
      if (cpu > flavor.vcpus - 1) return { error: `CPU number ${cpu} is larger than max ${flavor.vcpus - 1}` };
      if (!available.has(cpu)) return { error: `CPU number ${cpu} is assigned to two nodes` };
      available.discard(cpu);
    }
    cells.push(cellRequest(node, cpus, split, memList[node]));
    totalMemory += memList[node];
  }
  if (available.size > 0) return { error: `CPU number ${available.repr()} is not assigned to any node` };
  if (totalMemory !== flavor.memory_mb) {
    return { error: `${totalMemory} MB of memory assigned, but expected ${flavor.memory_mb} MB` };
  }
  return cells;
}

/**
 * numa_get_constraints' handling of `resources[N]:VCPU` / `resources[N]:PCPU`: the CPU
 * policy they imply, or Nova's InvalidRequest.
 */
function cpuPolicyWithResources(flavor: Flavor, cpuPolicy: CpuPolicy | null, emulatorPolicy: EmulatorThreadsPolicy | null): CpuPolicy | null | Refusal {
  const requested = getVcpuPcpuResources(flavor);
  if (cpuPolicy && (requested.vcpu || requested.pcpu)) {
    return {
      error:
        "It is not possible to use the 'resources:VCPU' or 'resources:PCPU' extra specs in combination " +
        "with the 'hw:cpu_policy' extra spec or 'hw_cpu_policy' image metadata property; use one or the other",
    };
  }
  if (requested.vcpu && requested.pcpu) {
    return { error: "It is not possible to specify both 'resources:VCPU' and 'resources:PCPU' extra specs; use one or the other" };
  }
  if (requested.pcpu) {
    if (emulatorPolicy === 'isolate' && flavor.vcpus + 1 !== requested.pcpu) {
      return {
        error:
          "You have requested 'hw:emulator_threads_policy=isolate' but have not requested sufficient PCPUs " +
          'to handle this policy; you must allocate exactly flavor.vcpus + 1 PCPUs.',
      };
    }
    if (emulatorPolicy !== 'isolate' && flavor.vcpus !== requested.pcpu) {
      return {
        error:
          "There is a mismatch between the number of PCPUs requested via 'resourcesNN:PCPU' and the flavor); " +
          'you must allocate exactly flavor.vcpus PCPUs',
      };
    }
    return 'dedicated';
  }
  return requested.vcpu ? 'shared' : cpuPolicy;
}

/** numa_get_constraints' handling of the HW_CPU_HYPERTHREADING trait: the thread policy it implies. */
function threadPolicyWithTrait(flavor: Flavor, threadPolicy: ThreadPolicy | null): ThreadPolicy | null | Refusal {
  const trait = getHyperthreadingTrait(flavor);
  if (threadPolicy && trait) {
    return {
      error:
        "It is not possible to use the 'trait:HW_CPU_HYPERTHREADING' extra spec in combination with the " +
        "'hw:cpu_thread_policy' extra spec or 'hw_cpu_thread_policy' image metadata property; use one or the other",
    };
  }
  if (trait === 'forbidden') return 'isolate';
  if (trait === 'required') return 'require';
  return threadPolicy;
}

interface CpuConstraints {
  cpuPolicy: CpuPolicy | null;
  threadPolicy: ThreadPolicy | null;
  emulatorPolicy: EmulatorThreadsPolicy | null;
  realtimeCpus: PySet | null;
  dedicatedCpus: PySet | null;
}

/**
 * numa_get_constraints' sanity checks of the CPU policies against each other: the
 * dedicated guest CPUs (under `mixed`, the realtime mask names them), or Nova's refusal.
 */
function checkedDedicatedCpus({ cpuPolicy, threadPolicy, emulatorPolicy, realtimeCpus, dedicatedCpus }: CpuConstraints): PySet | null | Refusal {
  if (cpuPolicy === 'shared' || cpuPolicy === null) {
    if (threadPolicy) return { error: 'Cannot set cpu thread pinning policy in a non dedicated cpu pinning policy' };
    if (emulatorPolicy === 'isolate') return { error: 'An isolated CPU emulator threads option requires a dedicated CPU policy option.' };
    if (dedicatedCpus) return { error: "Cannot specify 'hw:cpu_dedicated_mask' without the 'mixed' policy." };
    if (realtimeCpus) return { error: 'Cannot set realtime policy in a non dedicated cpu pinning policy' };
    return dedicatedCpus;
  }
  if (cpuPolicy === 'dedicated') {
    if (dedicatedCpus) return { error: "Cannot specify 'hw:cpu_dedicated_mask' without the 'mixed' policy." };
    return dedicatedCpus;
  }
  if ((realtimeCpus && dedicatedCpus) || !(realtimeCpus || dedicatedCpus)) {
    return {
      error:
        "Dedicated CPU set can be specified from either 'hw:cpu_dedicated_mask' or 'hw:cpu_realtime_mask' " +
        "when using 'mixed' CPU policy. 'hw:cpu_dedicated_mask' and 'hw:cpu_realtime_mask' can not be " +
        'specified at the same time, or be specified with none of them.',
    };
  }
  return dedicatedCpus ?? realtimeCpus;
}

/**
 * numa_get_constraints(flavor, image_meta={}): the instance's NUMA request, null when the
 * flavor asks for none (a plain flavor), or Nova's refusal. Each step is the Nova helper
 * of the same name, called in Nova's order, so the first refusal is the one Nova raises.
 */
export function numaGetConstraints(flavor: Flavor): InstanceNumaRequest | null | Refusal {
  const requestedPolicy = getCpuPolicyConstraint(flavor);
  if (isRefusal(requestedPolicy)) return requestedPolicy;
  const requestedThreadPolicy = getCpuThreadPolicyConstraint(flavor);
  if (isRefusal(requestedThreadPolicy)) return requestedThreadPolicy;
  const realtimeCpus = getRealtimeCpuConstraint(flavor);
  if (isRefusal(realtimeCpus)) return realtimeCpus;
  const requestedDedicatedCpus = getDedicatedCpuConstraint(flavor);
  if (isRefusal(requestedDedicatedCpus)) return requestedDedicatedCpus;
  const emulatorPolicy = getEmulatorThreadPolicyConstraint(flavor);
  if (isRefusal(emulatorPolicy)) return emulatorPolicy;

  const cpuPolicy = cpuPolicyWithResources(flavor, requestedPolicy, emulatorPolicy);
  if (isRefusal(cpuPolicy)) return cpuPolicy;
  const threadPolicy = threadPolicyWithTrait(flavor, requestedThreadPolicy);
  if (isRefusal(threadPolicy)) return threadPolicy;
  const dedicatedCpus = checkedDedicatedCpus({ cpuPolicy, threadPolicy, emulatorPolicy, realtimeCpus, dedicatedCpus: requestedDedicatedCpus });
  if (isRefusal(dedicatedCpus)) return dedicatedCpus;

  const nodeCount = getNumaNodeCountConstraint(flavor);
  if (isRefusal(nodeCount)) return nodeCount;
  const pagesize = getNumaPagesizeConstraint(flavor);
  if (isRefusal(pagesize)) return pagesize;
  const vpmems = getVpmems(flavor);
  const lockedMemory = getLockedMemoryConstraint(flavor);
  if (lockedMemory) return lockedMemory;

  // Nova builds a topology for an explicit node count, CPU pinning, huge pages or vPMEM.
  if (!(nodeCount || pagesize || vpmems.length > 0 || cpuPolicy === 'dedicated' || cpuPolicy === 'mixed')) return null;

  const all = guestCpus(flavor);
  if (isRefusal(all)) return all;
  const pcpus = cpuPolicy === 'dedicated' ? PySet.of(cpuRange(flavor.vcpus)) : dedicatedCpus ?? new PySet();
  const split: CpuSplit = { vcpus: all.difference(pcpus), pcpus };
  const nodes = nodeCount ?? 1;
  const cpuList = getNumaCpuConstraint(flavor);
  if (isRefusal(cpuList)) return cpuList;
  const memList = getNumaMemConstraint(flavor);
  if (isRefusal(memList)) return memList;

  let cells: InstanceCellRequest[] | Refusal;
  if (cpuList === null && memList === null) {
    cells = getNumaTopologyAuto(nodes, flavor, split);
  } else if (cpuList !== null && memList !== null) {
    if (cpuList.length !== nodes || memList.length !== nodes) {
      return { error: 'CPU and memory allocation must be provided for all NUMA nodes' };
    }
    cells = getNumaTopologyManual(nodes, flavor, split, cpuList, memList);
  } else {
    return { error: 'CPU and memory allocation must be provided for all NUMA nodes' };
  }
  if (isRefusal(cells)) return cells;

  // InstanceNUMACell.pagesize is an IntegerField: Nova's float page size truncates there.
  const cellPagesize = pagesize === null ? null : Math.trunc(pagesize);
  for (const cell of cells) {
    cell.pagesize = cellPagesize;
    cell.cpu_policy = cpuPolicy;
    cell.cpu_thread_policy = threadPolicy;
  }
  return { cells, emulator_threads_policy: emulatorPolicy };
}
