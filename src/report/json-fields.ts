// The JSON shape of what a replay returns (docs/output.md, "Decisions"). Objects are built key by key so
// the order is the contract's, whatever order the engine filled its objects in.
import type {
  Attempt,
  Decision,
  DecisionResult,
  HostUsage,
  InstanceNumaPlacement,
  Limits,
  NumaCellUsage,
  PciDevicesTaken,
  PciPoolUsage,
  RejectionCause,
  ReplaySummary,
  Resources,
  WeighedHost,
} from '../engine/core/model.ts';

function resourcesToJson(resources: Resources): object {
  return { memory_mb: resources.memory_mb, disk_gb: resources.disk_gb, vcpus: resources.vcpus };
}

function numaPlacementToJson(numa: InstanceNumaPlacement): object {
  return {
    cells: numa.cells.map((cell) => ({
      id: cell.id,
      host_cell: cell.host_cell,
      memory_mb: cell.memory_mb,
      cpus: cell.cpus,
      pinning: cell.pinning,
      pagesize_kb: cell.pagesize_kb,
    })),
    emulator_threads: numa.emulator_threads,
  };
}

/** What Nova pools PCI devices by (nova.pci.stats), which a pool and the devices taken from it share. */
type PciPoolKey = Pick<PciPoolUsage, 'vendor_id' | 'product_id' | 'numa_node' | 'dev_type' | 'physical_network'>;

function pciPoolKeyToJson(pool: PciPoolKey): object {
  return {
    vendor_id: pool.vendor_id,
    product_id: pool.product_id,
    numa_node: pool.numa_node,
    dev_type: pool.dev_type,
    physical_network: pool.physical_network,
  };
}

function pciTakenToJson(taken: PciDevicesTaken): object {
  return { ...pciPoolKeyToJson(taken), count: taken.count };
}

function attemptToJson({ host, reasons }: Attempt): object {
  return { host, reasons };
}

export function causeToJson({ cause, hosts, closest, server_group }: RejectionCause): object {
  const json: Record<string, unknown> = { cause, hosts, closest: closest === null ? null : { host: closest.host, short: closest.short, unit: closest.unit } };
  if (server_group) json.server_group = { name: server_group.name, policy: server_group.policy };
  return json;
}

/**
 * A decision as every machine-readable format prints it. `causes`, `attempts` and `weighed` are
 * always there, null when the decision has none (causes under NoValidHost only, attempts
 * and weighed with `--explain` only), so every decision has the same keys whatever the flags;
 * `numa` and `pci` appear only when set; `audit` never does, since `--verbose` sends
 * Nova's audit lines to stderr instead.
 */
export function decisionToJson(d: Decision): object {
  const json: Record<string, unknown> = {
    seq: d.seq,
    op: d.op,
    instance: d.instance,
    flavor: d.flavor,
    // Moves, confirms and reverts: the host the instance leaves, or whose hold is given back.
    ...(d.from !== undefined ? { from: d.from } : {}),
    host: d.host,
    result: d.result,
    reasons: d.reasons,
    message: d.message,
    requested: d.requested === null ? null : resourcesToJson(d.requested),
    // The Placement model's resource classes asked for; the legacy model has none to give.
    ...(d.resources ? { resources: d.resources } : {}),
    // A host with child providers: which of them the allocation came from.
    ...(d.providers ? { providers: d.providers } : {}),
    expect: d.expect,
    expectation_met: d.expectation_met,
    causes: d.causes === null ? null : d.causes.map(causeToJson),
    attempts: d.attempts === null ? null : d.attempts.map(attemptToJson),
    weighed: d.weighed === undefined ? null : d.weighed.map(weighedHostToJson),
  };
  if (d.numa !== null) json.numa = numaPlacementToJson(d.numa);
  if (d.pci !== null) json.pci = d.pci.map(pciTakenToJson);
  return json;
}

/** A number as JSON.stringify writes it: its shortest text, and null for NaN and the infinities. */
function jsonNumber(value: number): string {
  return Number.isFinite(value) ? `${value}` : 'null';
}

/**
 * A name (or null) as JSON.stringify writes it: when no character of it needs escaping, as
 * in nearly every name, quoted as it is, which takes half the time of the call.
 */
function jsonName(name: string | null): string {
  if (name === null) return 'null';
  for (let index = 0; index < name.length; index++) {
    const code = name.charCodeAt(index);
    // Control characters, the quote and the backslash are escaped, and lone surrogates: JSON.stringify tells them from pairs.
    if (code < 0x20 || code === 0x22 || code === 0x5c || (code >= 0xd800 && code <= 0xdfff)) return JSON.stringify(name);
  }
  return `"${name}"`;
}

/**
 * A result with no reasons and no message, as most are, up to the requested amounts:
 * made once per result rather than pieced together for each decision.
 */
const plainResultTexts = new Map<DecisionResult, string>();

function plainResultText(result: DecisionResult): string {
  let text = plainResultTexts.get(result);
  if (text === undefined) plainResultTexts.set(result, (text = `"result":"${result}","reasons":[],"message":null,"requested":`));
  return text;
}

/** How most decisions end: no expectation, no NoValidHost causes, no `--explain`. */
const NOTHING_EXPECTED_NOR_EXPLAINED = '"expect":null,"expectation_met":null,"causes":null,"attempts":null,"weighed":null';

/**
 * `JSON.stringify(decisionToJson(d))` written out directly: ndjson prints one per
 * decision, and on a long trace building the object in between costs more than the
 * text (a test holds the two equal). Only the free text (reasons, the message, a name
 * that needs escaping) goes through JSON.stringify; the operation, the result and the expectation are words
 * from fixed lists that need no escaping, and numbers, booleans and nulls are written
 * as they are. Every piece added makes a string of its own until the line is written, so
 * the runs most decisions share are added whole.
 */
export function decisionJsonText(d: Decision): string {
  const text = JSON.stringify;
  let json = `{"seq":${jsonNumber(d.seq)},"op":"${d.op}","instance":${jsonName(d.instance)},"flavor":${jsonName(d.flavor)},`;
  if (d.from !== undefined) json += `"from":${jsonName(d.from)},`;
  json += `"host":${jsonName(d.host)},`;
  json += d.reasons.length === 0 && d.message === null ? plainResultText(d.result) : `"result":"${d.result}","reasons":${text(d.reasons)},"message":${text(d.message)},"requested":`;
  json += d.requested === null ? 'null,' : `{"memory_mb":${jsonNumber(d.requested.memory_mb)},"disk_gb":${jsonNumber(d.requested.disk_gb)},"vcpus":${jsonNumber(d.requested.vcpus)}},`;
  if (d.resources) json += `"resources":${text(d.resources)},`;
  if (d.providers) json += `"providers":${text(d.providers)},`;
  if (d.expect === null && d.expectation_met === null && d.causes === null && d.attempts === null && d.weighed === undefined) {
    json += NOTHING_EXPECTED_NOR_EXPLAINED;
  } else {
    json +=
      `"expect":${d.expect === null ? 'null' : `"${d.expect}"`},"expectation_met":${d.expectation_met},` +
      `"causes":${d.causes === null ? 'null' : text(d.causes.map(causeToJson))},"attempts":${d.attempts === null ? 'null' : text(d.attempts.map(attemptToJson))},` +
      `"weighed":${d.weighed === undefined ? 'null' : text(d.weighed.map(weighedHostToJson))}`;
  }
  if (d.numa !== null) json += `,"numa":${text(numaPlacementToJson(d.numa))}`;
  if (d.pci !== null) json += `,"pci":${text(d.pci.map(pciTakenToJson))}`;
  return `${json}}`;
}

function limitsToJson(limits: Limits): object {
  return {
    memory_mb: limits.memory_mb,
    disk_gb: limits.disk_gb,
    vcpu: limits.vcpu,
    numa_topology:
      limits.numa_topology === null
        ? null
        : {
            cpu_allocation_ratio: limits.numa_topology.cpu_allocation_ratio,
            ram_allocation_ratio: limits.numa_topology.ram_allocation_ratio,
          },
  };
}

function numaCellUsageToJson(cell: NumaCellUsage): object {
  return {
    id: cell.id,
    cpus: cell.cpus,
    pcpus: cell.pcpus,
    cpu_usage: cell.cpu_usage,
    pinned_cpus: cell.pinned_cpus,
    memory_mb: cell.memory_mb,
    memory_usage: cell.memory_usage,
    mempages: cell.mempages.map((pages) => ({
      size_kb: pages.size_kb,
      total: pages.total,
      used: pages.used,
      reserved: pages.reserved,
    })),
  };
}

function pciPoolUsageToJson(pool: PciPoolUsage): object {
  return { ...pciPoolKeyToJson(pool), total: pool.total, free: pool.free };
}

/** A node's final figures with Nova's ComputeNode names; NUMA cells and PCI pools only when the host has them. */
export function hostUsageToJson(usage: HostUsage): object {
  const json: Record<string, unknown> = {
    host: usage.host,
    memory_mb: usage.memory_mb,
    memory_mb_used: usage.memory_mb_used,
    free_ram_mb: usage.free_ram_mb,
    local_gb: usage.local_gb,
    local_gb_used: usage.local_gb_used,
    free_disk_gb: usage.free_disk_gb,
    vcpus: usage.vcpus,
    vcpus_used: usage.vcpus_used,
    running_vms: usage.running_vms,
    limits: limitsToJson(usage.limits),
  };
  if (usage.numa_cells !== null) json.numa_cells = usage.numa_cells.map(numaCellUsageToJson);
  if (usage.pci_pools !== null) json.pci_pools = usage.pci_pools.map(pciPoolUsageToJson);
  // The Placement model's provider, as `openstack resource provider inventory list`, `usage show` and `trait list` give it.
  if (usage.inventories) json.inventories = usage.inventories;
  if (usage.usages) json.usages = usage.usages;
  if (usage.traits) json.traits = usage.traits;
  if (usage.providers) json.providers = usage.providers;
  return json;
}

export function summaryToJson(summary: ReplaySummary): object {
  return {
    requests: summary.requests,
    builds: summary.builds,
    deletes: summary.deletes,
    moves: summary.moves,
    claimed: summary.claimed,
    rejected: summary.rejected,
    released: summary.released,
    expectations: summary.expectations,
    expectations_failed: summary.expectations_failed,
    ...(summary.seed !== undefined ? { seed: summary.seed } : {}),
  };
}

function weighedHostToJson({ host, weight, weights }: WeighedHost): object {
  return { host, weight, weights: { ...weights } };
}
