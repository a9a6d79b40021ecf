// A flavor's NUMA request: nova.virt.hardware.numa_get_constraints with an empty image
// (docs/semantics.md, "The request: numa_get_constraints"). Each Nova helper it calls is
// one function here, named after it, so the two read side by side and refuse in the same
// order. Each refusal carries the text of the exception Nova raises, so the plan loader
// can say what Nova would say.
import type { Flavor } from '../core/model.ts';
import { LARGEST_CPU_ID, parseCpuSpec, pythonInt, pythonRepr } from './cpu-spec.ts';
import { PySet } from './python-set.ts';
import { failure, success, type Result } from '../core/result.ts';

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

const CPU_POLICIES: readonly string[] = ['dedicated', 'shared', 'mixed'];
const THREAD_POLICIES: readonly string[] = ['prefer', 'isolate', 'require'];
const EMULATOR_POLICIES: readonly string[] = ['share', 'isolate'];
const NUMA_NODES_MAX = 128;

/** The ValueError text of Python's int() on a str. */
export function intValueError(text: string): Result<never> {
  return failure(`invalid literal for int() with base 10: ${pythonRepr(text)}`);
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
function parseCpuSpecSet(spec: string): Result<PySet> {
  const parsed = parseCpuSpec(spec);
  if (!parsed.ok) return parsed;
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
  return success(included);
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
function guestCpus(flavor: Flavor): Result<PySet> {
  if (flavor.vcpus > MOST_HOST_CPUS) {
    return failure(`asks for a NUMA topology, CPU pinning or a CPU mask for ${flavor.vcpus} vCPUs, which no host's NUMA cells can hold ` +
        `(a host has at most ${MOST_HOST_CPUS} CPUs); claimplan builds such a guest's CPUs one by one, up to ${MOST_HOST_CPUS}`);
  }
  return success(PySet.of(cpuRange(flavor.vcpus)));
}

function sorted(values: Iterable<number>): number[] {
  return [...values].sort((a, b) => a - b);
}

/** get_cpu_policy_constraint */
function getCpuPolicyConstraint(flavor: Flavor): Result<CpuPolicy | null> {
  const policy = flavor.extra_specs['hw:cpu_policy'];
  if (!policy) return success(null);
  if (!CPU_POLICIES.includes(policy)) {
    return failure(`CPU policy requested from 'flavor extra specs' is invalid, given: '${policy}', ` +
        `available: '('dedicated', 'shared', 'mixed')'.`);
  }
  return success(policy as CpuPolicy);
}

/** get_cpu_thread_policy_constraint */
function getCpuThreadPolicyConstraint(flavor: Flavor): Result<ThreadPolicy | null> {
  const policy = flavor.extra_specs['hw:cpu_thread_policy'];
  if (!policy) return success(null);
  if (!THREAD_POLICIES.includes(policy)) {
    return failure(`CPU thread policy requested from 'flavor extra specs' is invalid, given: '${policy}', ` +
        `available: '('prefer', 'isolate', 'require')'.`);
  }
  return success(policy as ThreadPolicy);
}

/** get_emulator_thread_policy_constraint */
function getEmulatorThreadPolicyConstraint(flavor: Flavor): Result<EmulatorThreadsPolicy | null> {
  const policy = flavor.extra_specs['hw:emulator_threads_policy'];
  if (!policy) return success(null);
  if (!EMULATOR_POLICIES.includes(policy)) {
    return failure(`CPU emulator threads option requested is invalid, given: '${policy}', available: '('share', 'isolate')'.`);
  }
  return success(policy as EmulatorThreadsPolicy);
}

const REALTIME_MASK_INVALID = 'Use of realtime CPUs requires either one or more non-realtime CPU(s) or offloaded emulator threads.';

/** A CPU mask that may start with '^', meaning "all guest CPUs except". */
function parseMask(mask: string, vcpus: number): Result<PySet> {
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
function getRealtimeCpuConstraint(flavor: Flavor): Result<PySet | null> {
  if (!isRealtimeEnabled(flavor)) return success(null);
  const mask = flavor.extra_specs['hw:cpu_realtime_mask'];
  const allResult = guestCpus(flavor);
  if (!allResult.ok) return allResult;
  const all = allResult.value;
  const realtimeResult = mask ? parseMask(mask, flavor.vcpus) : success(PySet.of(cpuRange(flavor.vcpus)));
  if (!realtimeResult.ok) return realtimeResult;
  const realtime = realtimeResult.value;
  if (realtime.size === 0) return failure(REALTIME_MASK_INVALID);
  // Nova asks for the emulator policy here, so its refusal comes before the mask's.
  const emulatorResult = getEmulatorThreadPolicyConstraint(flavor);
  if (!emulatorResult.ok) return emulatorResult;
  const emulator = emulatorResult.value;
  if (realtime.size === all.size && isSubset(realtime, all) && !emulator) return failure(REALTIME_MASK_INVALID);
  if (!isSubset(realtime, all)) {
    return failure('Realtime policy vCPU(s) mask is configured with RT vCPUs that are not a subset of the vCPUs ' +
        'in the flavor. See hw:cpu_realtime_mask or hw_cpu_realtime_mask');
  }
  return success(realtime);
}

const MIXED_MASK_INVALID = "Mixed instance must have at least 1 pinned vCPU and 1 unpinned vCPU. See 'hw:cpu_dedicated_mask'.";

/** get_dedicated_cpu_constraint */
function getDedicatedCpuConstraint(flavor: Flavor): Result<PySet | null> {
  const mask = flavor.extra_specs['hw:cpu_dedicated_mask'];
  if (!mask) return success(null);
  const allResult = guestCpus(flavor);
  if (!allResult.ok) return allResult;
  const all = allResult.value;
  const dedicatedResult = parseMask(mask, flavor.vcpus);
  if (!dedicatedResult.ok) return dedicatedResult;
  const dedicated = dedicatedResult.value;
  const shared = all.difference(dedicated);
  if (dedicated.size === 0 || shared.size === 0) return failure(MIXED_MASK_INVALID);
  if (!isSubset(dedicated, all)) {
    return failure('Mixed instance dedicated vCPU(s) mask is not a subset of vCPUs in the flavor. See "hw:cpu_dedicated_mask"');
  }
  return success(dedicated);
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
function getNumaPagesizeConstraint(flavor: Flavor): Result<number | null> {
  const request = flavor.extra_specs['hw:mem_page_size'];
  if (!request) return success(null);
  if (request === 'any') return success(MEMPAGES_ANY);
  if (request === 'large') return success(MEMPAGES_LARGE);
  if (request === 'small') return success(MEMPAGES_SMALL);
  if (/^\d+$/.test(request)) return success(Number(request));
  const bytes = stringToBytes(request);
  if (bytes === null) return failure(`Invalid memory page size '${request}'`);
  return success(bytes / 1024);
}

/** _get_numa_node_count_constraint */
function getNumaNodeCountConstraint(flavor: Flavor): Result<number | null> {
  const nodes = flavor.extra_specs['hw:numa_nodes'];
  if (!nodes) return success(null);
  if (!isIntLike(nodes) || Number(nodes) < 1) {
    return failure(`The property 'numa_nodes' cannot be '${nodes}'. It must be a number greater than 0`);
  }
  return success(Number(nodes));
}

/** get_vpmems: hw:pmem labels ask for a NUMA topology even without other constraints. */
function getVpmems(flavor: Flavor): string[] {
  const value = flavor.extra_specs['hw:pmem'];
  if (!value) return [];
  return value.split(',').map((label) => label.trim()).filter((label) => label.length > 0);
}

/** get_locked_memory_constraint: numa_get_constraints calls it only for its refusal. */
function getLockedMemoryConstraint(flavor: Flavor): Result<null> {
  const specs = flavor.extra_specs;
  if (boolFromString(specs['hw:locked_memory']) && !specs['hw:mem_page_size']) {
    return failure('locked_memory value in image or flavor is forbidden when mem_page_size is not set.');
  }
  return success(null);
}

/**
 * _get_constraint_mappings_from_flavor: `key.0`, `key.1`, … until one is missing, each
 * read as it is met, so the first unreadable one is Nova's refusal.
 */
function getConstraintMappingsFromFlavor<T>(flavor: Flavor, key: string, read: (text: string) => Result<T>): Result<T[] | null> {
  const values: T[] = [];
  for (let cell = 0; cell < NUMA_NODES_MAX; cell++) {
    const text = flavor.extra_specs[`${key}.${cell}`];
    if (text === undefined) break;
    const value = read(text);
    if (!value.ok) return value;
    values.push(value.value);
  }
  return success(values.length > 0 ? values : null);
}

/** _get_numa_cpu_constraint: hw:numa_cpus.N, as Python sets. */
function getNumaCpuConstraint(flavor: Flavor): Result<PySet[] | null> {
  return getConstraintMappingsFromFlavor(flavor, 'hw:numa_cpus', parseCpuSpecSet);
}

/** _get_numa_mem_constraint: hw:numa_mem.N, read with int(). */
function getNumaMemConstraint(flavor: Flavor): Result<number[] | null> {
  return getConstraintMappingsFromFlavor(flavor, 'hw:numa_mem', (text) => {
    const value = pythonInt(text);
    return value === null ? intValueError(text) : success(value);
  });
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
function getNumaTopologyAuto(nodes: number, flavor: Flavor, split: CpuSplit): Result<InstanceCellRequest[]> {
  if (flavor.vcpus % nodes > 0 || flavor.memory_mb % nodes > 0) {
    return failure('Instance CPUs and/or memory cannot be evenly distributed across instance NUMA nodes. ' +
        'Explicit assignment of CPUs and memory to nodes is required');
  }
  const ncpus = Math.trunc(flavor.vcpus / nodes);
  const memory = Math.trunc(flavor.memory_mb / nodes);
  return success(
    cpuRange(nodes).map((node) => {
      const cpus = cpuRange(ncpus).map((k) => node * ncpus + k);
      return cellRequest(node, cpus, split, memory);
    }),
  );
}

/** _get_numa_topology_manual */
function getNumaTopologyManual(
  nodes: number,
  flavor: Flavor,
  split: CpuSplit,
  cpuList: PySet[],
  memList: number[],
): Result<InstanceCellRequest[]> {
  const cells: InstanceCellRequest[] = [];
  let totalMemory = 0;
  const available = PySet.of(cpuRange(flavor.vcpus));
  for (let node = 0; node < nodes; node++) {
    // In set order: the first bad CPU met is the one Nova names.
    const cpus = cpuList[node].values();
    for (const cpu of cpus) {
      if (cpu > flavor.vcpus - 1) return failure(`CPU number ${cpu} is larger than max ${flavor.vcpus - 1}`);
      if (!available.has(cpu)) return failure(`CPU number ${cpu} is assigned to two nodes`);
      available.discard(cpu);
    }
    cells.push(cellRequest(node, cpus, split, memList[node]));
    totalMemory += memList[node];
  }
  if (available.size > 0) return failure(`CPU number ${available.repr()} is not assigned to any node`);
  if (totalMemory !== flavor.memory_mb) {
    return failure(`${totalMemory} MB of memory assigned, but expected ${flavor.memory_mb} MB`);
  }
  return success(cells);
}

/**
 * numa_get_constraints' handling of `resources[N]:VCPU` / `resources[N]:PCPU`: the CPU
 * policy they imply, or Nova's InvalidRequest.
 */
function cpuPolicyWithResources(flavor: Flavor, cpuPolicy: CpuPolicy | null, emulatorPolicy: EmulatorThreadsPolicy | null): Result<CpuPolicy | null> {
  const requested = getVcpuPcpuResources(flavor);
  if (cpuPolicy && (requested.vcpu || requested.pcpu)) {
    return failure("It is not possible to use the 'resources:VCPU' or 'resources:PCPU' extra specs in combination " +
        "with the 'hw:cpu_policy' extra spec or 'hw_cpu_policy' image metadata property; use one or the other");
  }
  if (requested.vcpu && requested.pcpu) {
    return failure("It is not possible to specify both 'resources:VCPU' and 'resources:PCPU' extra specs; use one or the other");
  }
  if (requested.pcpu) {
    if (emulatorPolicy === 'isolate' && flavor.vcpus + 1 !== requested.pcpu) {
      return failure("You have requested 'hw:emulator_threads_policy=isolate' but have not requested sufficient PCPUs " +
          'to handle this policy; you must allocate exactly flavor.vcpus + 1 PCPUs.');
    }
    if (emulatorPolicy !== 'isolate' && flavor.vcpus !== requested.pcpu) {
      return failure("There is a mismatch between the number of PCPUs requested via 'resourcesNN:PCPU' and the flavor); " +
          'you must allocate exactly flavor.vcpus PCPUs');
    }
    return success('dedicated');
  }
  return success(requested.vcpu ? 'shared' : cpuPolicy);
}

/** numa_get_constraints' handling of the HW_CPU_HYPERTHREADING trait: the thread policy it implies. */
function threadPolicyWithTrait(flavor: Flavor, threadPolicy: ThreadPolicy | null): Result<ThreadPolicy | null> {
  const trait = getHyperthreadingTrait(flavor);
  if (threadPolicy && trait) {
    return failure("It is not possible to use the 'trait:HW_CPU_HYPERTHREADING' extra spec in combination with the " +
        "'hw:cpu_thread_policy' extra spec or 'hw_cpu_thread_policy' image metadata property; use one or the other");
  }
  if (trait === 'forbidden') return success('isolate');
  if (trait === 'required') return success('require');
  return success(threadPolicy);
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
function checkedDedicatedCpus({ cpuPolicy, threadPolicy, emulatorPolicy, realtimeCpus, dedicatedCpus }: CpuConstraints): Result<PySet | null> {
  if (cpuPolicy === 'shared' || cpuPolicy === null) {
    if (threadPolicy) return failure('Cannot set cpu thread pinning policy in a non dedicated cpu pinning policy');
    if (emulatorPolicy === 'isolate') return failure('An isolated CPU emulator threads option requires a dedicated CPU policy option.');
    if (dedicatedCpus) return failure("Cannot specify 'hw:cpu_dedicated_mask' without the 'mixed' policy.");
    if (realtimeCpus) return failure('Cannot set realtime policy in a non dedicated cpu pinning policy');
    return success(dedicatedCpus);
  }
  if (cpuPolicy === 'dedicated') {
    if (dedicatedCpus) return failure("Cannot specify 'hw:cpu_dedicated_mask' without the 'mixed' policy.");
    return success(dedicatedCpus);
  }
  if ((realtimeCpus && dedicatedCpus) || !(realtimeCpus || dedicatedCpus)) {
    return failure("Dedicated CPU set can be specified from either 'hw:cpu_dedicated_mask' or 'hw:cpu_realtime_mask' " +
        "when using 'mixed' CPU policy. 'hw:cpu_dedicated_mask' and 'hw:cpu_realtime_mask' can not be " +
        'specified at the same time, or be specified with none of them.');
  }
  return success(dedicatedCpus ?? realtimeCpus);
}

/**
 * numa_get_constraints(flavor, image_meta={}): the instance's NUMA request, null when the
 * flavor asks for none (a plain flavor), or Nova's refusal. Each step is the Nova helper
 * of the same name, called in Nova's order, so the first refusal is the one Nova raises.
 */
export function numaGetConstraints(flavor: Flavor): Result<InstanceNumaRequest | null> {
  const requestedPolicyResult = getCpuPolicyConstraint(flavor);
  if (!requestedPolicyResult.ok) return requestedPolicyResult;
  const requestedPolicy = requestedPolicyResult.value;
  const requestedThreadPolicyResult = getCpuThreadPolicyConstraint(flavor);
  if (!requestedThreadPolicyResult.ok) return requestedThreadPolicyResult;
  const requestedThreadPolicy = requestedThreadPolicyResult.value;
  const realtimeCpusResult = getRealtimeCpuConstraint(flavor);
  if (!realtimeCpusResult.ok) return realtimeCpusResult;
  const realtimeCpus = realtimeCpusResult.value;
  const requestedDedicatedCpusResult = getDedicatedCpuConstraint(flavor);
  if (!requestedDedicatedCpusResult.ok) return requestedDedicatedCpusResult;
  const requestedDedicatedCpus = requestedDedicatedCpusResult.value;
  const emulatorPolicyResult = getEmulatorThreadPolicyConstraint(flavor);
  if (!emulatorPolicyResult.ok) return emulatorPolicyResult;
  const emulatorPolicy = emulatorPolicyResult.value;

  const cpuPolicyResult = cpuPolicyWithResources(flavor, requestedPolicy, emulatorPolicy);
  if (!cpuPolicyResult.ok) return cpuPolicyResult;
  const cpuPolicy = cpuPolicyResult.value;
  const threadPolicyResult = threadPolicyWithTrait(flavor, requestedThreadPolicy);
  if (!threadPolicyResult.ok) return threadPolicyResult;
  const threadPolicy = threadPolicyResult.value;
  const dedicatedCpusResult = checkedDedicatedCpus({ cpuPolicy, threadPolicy, emulatorPolicy, realtimeCpus, dedicatedCpus: requestedDedicatedCpus });
  if (!dedicatedCpusResult.ok) return dedicatedCpusResult;
  const dedicatedCpus = dedicatedCpusResult.value;

  const nodeCountResult = getNumaNodeCountConstraint(flavor);
  if (!nodeCountResult.ok) return nodeCountResult;
  const nodeCount = nodeCountResult.value;
  const pagesizeResult = getNumaPagesizeConstraint(flavor);
  if (!pagesizeResult.ok) return pagesizeResult;
  const pagesize = pagesizeResult.value;
  const vpmems = getVpmems(flavor);
  const lockedMemory = getLockedMemoryConstraint(flavor);
  if (!lockedMemory.ok) return lockedMemory;

  // Nova builds a topology for an explicit node count, CPU pinning, huge pages or vPMEM.
  if (!(nodeCount || pagesize || vpmems.length > 0 || cpuPolicy === 'dedicated' || cpuPolicy === 'mixed')) return success(null);

  const allResult = guestCpus(flavor);
  if (!allResult.ok) return allResult;
  const all = allResult.value;
  const pcpus = cpuPolicy === 'dedicated' ? PySet.of(cpuRange(flavor.vcpus)) : dedicatedCpus ?? new PySet();
  const split: CpuSplit = { vcpus: all.difference(pcpus), pcpus };
  const nodes = nodeCount ?? 1;
  const cpuListResult = getNumaCpuConstraint(flavor);
  if (!cpuListResult.ok) return cpuListResult;
  const cpuList = cpuListResult.value;
  const memListResult = getNumaMemConstraint(flavor);
  if (!memListResult.ok) return memListResult;
  const memList = memListResult.value;

  let cellsResult: Result<InstanceCellRequest[]>;
  if (cpuList === null && memList === null) {
    cellsResult = getNumaTopologyAuto(nodes, flavor, split);
  } else if (cpuList !== null && memList !== null) {
    if (cpuList.length !== nodes || memList.length !== nodes) {
      return failure('CPU and memory allocation must be provided for all NUMA nodes');
    }
    cellsResult = getNumaTopologyManual(nodes, flavor, split, cpuList, memList);
  } else {
    return failure('CPU and memory allocation must be provided for all NUMA nodes');
  }
  if (!cellsResult.ok) return cellsResult;
  const cells = cellsResult.value;

  // InstanceNUMACell.pagesize is an IntegerField: Nova's float page size truncates there.
  const cellPagesize = pagesize === null ? null : Math.trunc(pagesize);
  for (const cell of cells) {
    cell.pagesize = cellPagesize;
    cell.cpu_policy = cpuPolicy;
    cell.cpu_thread_policy = threadPolicy;
  }
  return success({ cells, emulator_threads_policy: emulatorPolicy });
}
