// PCI requests from a flavor (nova/pci/request.py) and the pools they are taken from
// (nova/pci/stats.py PciDeviceStats), counted per pool as the scheduler and tracker see them.
import type { PciAlias, PciPoolSpec } from '../core/model.ts';
import { pythonInt, pythonRepr } from './cpu-spec.ts';
import { failure, success, type Result } from '../core/result.ts';
import { intValueError } from './constraints.ts';

export type PciNumaPolicy = 'required' | 'legacy' | 'preferred' | 'socket';
const PCI_NUMA_POLICIES: readonly string[] = ['required', 'legacy', 'preferred', 'socket'];
const ALIAS_DEVICE_TYPES: readonly string[] = ['type-PCI', 'type-PF', 'type-VF'];
const PCI_ID = /^[\da-fA-F]{4}$/;

/** One InstancePCIRequest: `count` devices matching any of `specs`. */
export interface PciRequest {
  alias_name: string;
  count: number;
  /** alias specs (ORed), keys among vendor_id, product_id, dev_type */
  specs: Record<string, string>[];
  numa_policy: PciNumaPolicy;
}

/** get_pci_numa_policy_constraint: hw:pci_numa_affinity_policy, or Nova's refusal. */
export function pciNumaPolicyOf(specs: Record<string, string>): Result<PciNumaPolicy | null> {
  const policy = specs['hw:pci_numa_affinity_policy'];
  if (!policy) return success(null);
  if (!PCI_NUMA_POLICIES.includes(policy)) return failure(`Invalid PCI NUMA affinity configured: ${policy}`);
  return success(policy as PciNumaPolicy);
}

/** An alias entry's device spec as _get_alias_from_config keeps it: device_type becomes dev_type. */
function aliasSpec(alias: PciAlias): Record<string, string> {
  const spec: Record<string, string> = {};
  if (alias.product_id) spec.product_id = alias.product_id;
  if (alias.vendor_id) spec.vendor_id = alias.vendor_id;
  if (alias.device_type) spec.dev_type = alias.device_type;
  return spec;
}

/**
 * _get_alias_from_config: aliases by name, each with its NUMA policy and specs. An empty
 * string stands for a key the alias leaves out.
 */
function aliasesByName(aliases: PciAlias[]): Result<Map<string, { policy: PciNumaPolicy; specs: Record<string, string>[] }>> {
  const invalid = (reason: string) => failure(`Invalid PCI alias definition: ${reason}`);
  const byName = new Map<string, { policy: PciNumaPolicy; specs: Record<string, string>[] }>();
  for (const alias of aliases) {
    // The checks of Nova's alias JSON schema, with jsonschema's wording.
    if (alias.name.length < 1) return invalid(`'' is too short`);
    for (const key of ['product_id', 'vendor_id'] as const) {
      if (alias[key] && !PCI_ID.test(alias[key])) return invalid(`${pythonRepr(alias[key])} does not match '^([\\\\da-fA-F]{4})$'`);
    }
    if (alias.device_type && !ALIAS_DEVICE_TYPES.includes(alias.device_type)) {
      return invalid(`${pythonRepr(alias.device_type)} is not one of ['type-PCI', 'type-PF', 'type-VF']`);
    }
    if (alias.numa_policy && !PCI_NUMA_POLICIES.includes(alias.numa_policy)) {
      return invalid(`${pythonRepr(alias.numa_policy)} is not one of ['required', 'legacy', 'preferred', 'socket']`);
    }
    const name = alias.name.trim();
    const policy = (alias.numa_policy || 'legacy') as PciNumaPolicy;
    const spec = aliasSpec(alias);
    const known = byName.get(name);
    if (!known) {
      byName.set(name, { policy, specs: [spec] });
      continue;
    }
    if (known.policy !== policy) return invalid(`NUMA policy mismatch for alias '${name}'`);
    // Nova compares dev_type with [...]['dev_type']: a missing one is a KeyError, reported as its repr.
    if (!('dev_type' in known.specs[0]) || !('dev_type' in spec)) return invalid(`'dev_type'`);
    if (known.specs[0].dev_type !== spec.dev_type) return invalid(`Device type mismatch for alias '${name}'`);
    known.specs.push(spec);
  }
  return success(byName);
}

/** The text of PciRequestAliasNotDefined (nova/exception.py). */
function aliasNotDefined(name: string): string {
  return `PCI alias ${name} is not defined`;
}

/**
 * What get_pci_requests_from_flavor makes of a flavor: its requests, or the
 * PciRequestAliasNotDefined refusal. Nova raises that at the API for each server create,
 * so a flavor naming an undefined alias is valid (its extra-spec validator checks only
 * the `$alias:$count` shape) and every build of it fails.
 */
export interface FlavorPciRequests {
  requests: PciRequest[];
  /** Nova's refusal text, e.g. `PCI alias gpu is not defined`; null when there is none */
  refusal: string | null;
}

/** get_pci_requests_from_flavor with the flavor's hw:pci_numa_affinity_policy. */
export function pciRequestsOf(
  specs: Record<string, string>,
  aliases: PciAlias[],
  affinityPolicy: PciNumaPolicy | null,
): Result<FlavorPciRequests> {
  const text = specs['pci_passthrough:alias'];
  if (text === undefined) return success({ requests: [], refusal: null });
  const byNameResult = aliasesByName(aliases);
  if (!byNameResult.ok) return byNameResult;
  const byName = byNameResult.value;
  // `for name, count in [spec.split(':') for spec in ...]`: every item is unpacked first.
  const pairs = text.split(',').map((item) => item.split(':'));
  for (const pair of pairs) {
    if (pair.length < 2) return failure(`not enough values to unpack (expected 2, got ${pair.length})`);
    if (pair.length > 2) return failure('too many values to unpack (expected 2)');
  }
  // _translate_alias_to_requests looks each name up before int(count), pair by pair: the
  // first of an undefined alias and a bad count decides what Nova raises.
  const requests: PciRequest[] = [];
  for (const [rawName, rawCount] of pairs) {
    const name = rawName.trim();
    const alias = byName.get(name);
    if (!alias) return success({ requests: [], refusal: aliasNotDefined(name) });
    const count = pythonInt(rawCount);
    if (count === null) return intValueError(rawCount);
    requests.push({ alias_name: name, count, specs: alias.specs, numa_policy: affinityPolicy || alias.policy });
  }
  return success({ requests, refusal: null });
}

/** A pool as PciDeviceStats keeps it; `spec` is the plan's pool index it reports under. */
export interface PciPool {
  spec: number;
  product_id: string;
  vendor_id: string;
  numa_node: number | null;
  dev_type: string;
  physical_network: string | null;
  /** the `remote_managed: 'false'` tag Nova adds to VF, PF and vDPA pools */
  remote_managed: boolean;
  total: number;
  count: number;
}

/** A host cell's id and socket, for the `socket` affinity policy. */
export interface PciHostCell {
  id: number;
  socket: number | null;
}

/** Devices taken from one pool by one claim. */
export interface PoolTake {
  /** index into the host's pools */
  pool: number;
  /** the plan's pool (pci[spec]) it is reported under */
  spec: number;
  count: number;
}

/** How many keys Nova's pool dict has: PciDeviceStats keeps its pools sorted by that. */
function poolKeyCount(pool: PciPool): number {
  return 6 + (pool.physical_network !== null ? 1 : 0) + (pool.remote_managed ? 1 : 0);
}

/**
 * Pools as the compute node's PciDeviceStats builds them from its devices: one pool per
 * distinct key set (pools the plan lists twice merge), stably sorted by key count.
 */
export function poolsFromSpec(specs: PciPoolSpec[]): PciPool[] {
  const pools: PciPool[] = [];
  specs.forEach((spec, index) => {
    const same = pools.find(
      (pool) =>
        pool.product_id === spec.product_id &&
        pool.vendor_id === spec.vendor_id &&
        pool.numa_node === spec.numa_node &&
        pool.dev_type === spec.dev_type &&
        pool.physical_network === spec.physical_network,
    );
    if (same) {
      same.total += spec.count;
      same.count += spec.count;
      return;
    }
    pools.push({
      spec: index,
      product_id: spec.product_id,
      vendor_id: spec.vendor_id,
      numa_node: spec.numa_node,
      dev_type: spec.dev_type,
      physical_network: spec.physical_network,
      remote_managed: ['type-VF', 'type-PF', 'vdpa'].includes(spec.dev_type),
      total: spec.count,
      count: spec.count,
    });
  });
  return pools.sort((a, b) => poolKeyCount(a) - poolKeyCount(b));
}

/** pci_device_prop_match: string values compare case-insensitively. */
function poolMatches(pool: PciPool, spec: Record<string, string>): boolean {
  for (const [key, value] of Object.entries(spec)) {
    const poolValue = (pool as unknown as Record<string, unknown>)[key];
    if (typeof poolValue !== 'string' || poolValue.toLowerCase() !== value.toLowerCase()) return false;
  }
  return true;
}

const countOf = (pools: PciPool[]) => pools.reduce((sum, pool) => sum + pool.count, 0);

/** _filter_pools_for_numa_cells, with the host cells for the socket policy. */
function filterForNumaCells(pools: PciPool[], request: PciRequest, cellIds: number[], hostCells: PciHostCell[]): PciPool[] {
  const policy = request.numa_policy;
  const onCells = pools.filter((pool) => pool.numa_node !== null && cellIds.includes(pool.numa_node));
  if (policy === 'required' || countOf(onCells) >= request.count) return onCells;
  if (policy === 'socket') {
    if (hostCells.some((cell) => cell.socket === null)) return [];
    const sockets = new Set(hostCells.filter((cell) => cellIds.includes(cell.id)).map((cell) => cell.socket));
    const allowed = hostCells.filter((cell) => sockets.has(cell.socket)).map((cell) => cell.id);
    return pools.filter((pool) => pool.numa_node !== null && allowed.includes(pool.numa_node));
  }
  // Devices that report no NUMA node are acceptable from here on.
  const onCellsOrNone = pools.filter((pool) => pool.numa_node === null || cellIds.includes(pool.numa_node));
  if (policy === 'legacy' || countOf(onCellsOrNone) >= request.count) return onCellsOrNone;
  // preferred: anything, affine pools first (a stable sort on "not affine").
  const affine = (pool: PciPool) => pool.numa_node === null || cellIds.includes(pool.numa_node);
  return [...pools.filter(affine), ...pools.filter((pool) => !affine(pool))];
}

/** _filter_pools: the pools that can serve the request, or null when they cannot together. */
function filterPools(pools: PciPool[], request: PciRequest, cellIds: number[] | null, hostCells: PciHostCell[]): PciPool[] | null {
  let candidates = pools.filter((pool) => request.specs.some((spec) => poolMatches(pool, spec)));
  if (countOf(candidates) < request.count) return null;
  if (cellIds !== null) candidates = filterForNumaCells(candidates, request, cellIds, hostCells);
  if (countOf(candidates) < request.count) return null;
  if (request.specs.every((spec) => spec.dev_type !== 'type-PF')) {
    candidates = candidates.filter((pool) => pool.dev_type !== 'type-PF');
  }
  if (countOf(candidates) < request.count) return null;
  if (request.specs.every((spec) => spec.dev_type !== 'vdpa')) {
    candidates = candidates.filter((pool) => pool.dev_type !== 'vdpa');
  }
  // Nova next drops remote-managed pools unless asked for; claimplan's pools never are.
  if (countOf(candidates) < request.count) return null;
  return candidates;
}

/**
 * support_requests: apply_requests on a copy, where a pool that runs dry leaves the list
 * (_decrease_pool_count). `cellIds` null means no NUMA affinity is considered.
 */
export function supportRequests(pools: PciPool[], requests: PciRequest[], cellIds: number[] | null, hostCells: PciHostCell[]): boolean {
  const copy = pools.map((pool) => ({ ...pool }));
  for (const request of requests) {
    const filtered = filterPools(copy, request, cellIds, hostCells);
    if (filtered === null || filtered.length === 0) return false;
    let count = request.count;
    for (const pool of filtered) {
      if (pool.count > count) {
        pool.count -= count;
        count = 0;
      } else {
        count -= pool.count;
        copy.splice(copy.indexOf(pool), 1);
      }
      if (!count) break;
    }
  }
  return true;
}

/**
 * consume_requests, as the tracker's PCI claim runs it: devices leave their pools, but
 * pools stay listed at zero, so a freed device goes back where it came from. Returns the
 * devices taken per pool, or null where Nova raises PciDeviceRequestFailed.
 */
export function consumeRequests(pools: PciPool[], requests: PciRequest[], cellIds: number[] | null, hostCells: PciHostCell[]): PoolTake[] | null {
  const copy = pools.map((pool) => ({ ...pool }));
  const taken = new Map<number, number>();
  for (const request of requests) {
    const filtered = filterPools(copy, request, cellIds, hostCells);
    if (filtered === null || filtered.length === 0) return null;
    let count = request.count;
    for (const pool of filtered) {
      const take = Math.min(pool.count, count);
      count -= take;
      pool.count -= take;
      const index = copy.indexOf(pool);
      if (take > 0) taken.set(index, (taken.get(index) ?? 0) + take);
      if (count === 0) break;
    }
  }
  return [...taken].sort((a, b) => a[0] - b[0]).map(([pool, count]) => ({ pool, spec: pools[pool].spec, count }));
}

/**
 * Whether any of `pools` could give one device to a request for the alias entry: Nova's
 * support_requests without NUMA cells, so the pool filters that ignore affinity still
 * apply (a PF or vDPA pool serves only a request naming that type).
 */
export function aliasMatchesAnyPool(alias: PciAlias, pools: PciPoolSpec[]): boolean {
  const request: PciRequest = { alias_name: alias.name, count: 1, specs: [aliasSpec(alias)], numa_policy: 'legacy' };
  return supportRequests(poolsFromSpec(pools), [request], null, []);
}
