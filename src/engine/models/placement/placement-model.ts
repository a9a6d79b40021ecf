// The Placement capacity model: Nova since Train as Zed runs it (docs/semantics.md, "The
// Placement model"). The scheduler asks Placement for allocation candidates — providers
// with the inventory, traits and aggregate the request asks for — filters them for NUMA
// and PCI, weighs them by free RAM and writes the allocation; the compute node then claims
// NUMA and PCI alone. A build on a named host writes its allocation straight away.
import { claimMessage, topologyMisses, type CapacityModel, type HostMiss, type IndexPlan } from '../capacity-model.ts';
import type { Held, HostTest } from '../../core/host-test.ts';
import type { ComputeNode } from '../../core/compute-node.ts';
import type { CauseName, CloudSettings, HostSpec, Limits, ProviderAllocation, ResourceAmounts, Resources } from '../../core/model.ts';
import type { RequestSpec } from '../../core/request-spec.ts';
import { allocationRatio, INITIAL_ALLOCATION_RATIOS } from './inventory.ts';
import { isKnownTrait, ResourceProvider, type ClassMiss, type PlacementCatalog, type UnitConstraint } from './provider.ts';
import { traitsOf, type PlacementRequest, type ResourceRequest } from './resource-request.ts';
import { STANDARD_RESOURCE_CLASSES } from './standard-names.ts';
import { chosenAllocation, providerAllocations, treeCandidates, treeMisses, type TreeAllocation } from './tree-candidates.ts';
import { NO_ALLOCATION_CANDIDATES } from '../../scheduler/filter-scheduler.ts';

/**
 * What Zed's ResourceTracker adds to the compute node's figures (`_get_usage_dict`,
 * `_update_usage`): no driver overhead any more, no root disk for a volume-backed
 * instance, and swap in GB as a fraction the integer field then truncates.
 */
function trackedUsage({ flavor, bootFromVolume }: RequestSpec): Resources {
  return {
    memory_mb: flavor.memory_mb,
    disk_gb: (bootFromVolume ? 0 : flavor.root_gb) + flavor.ephemeral_gb + flavor.swap / 1024,
    vcpus: flavor.vcpus,
  };
}

/** The unit a class's shortfall is counted in: the legacy model's units where the class has one. */
function unitOf(resourceClass: string): string {
  if (resourceClass === 'MEMORY_MB') return 'MB';
  if (resourceClass === 'DISK_GB') return 'GB';
  return resourceClass;
}

/** Python's repr of a list of str, as Placement's messages print one. */
function pythonListRepr(items: readonly string[]): string {
  return `[${items.map((item) => `'${item}'`).join(', ')}]`;
}

/**
 * Why `GET /allocation_candidates` refuses the request as a whole (400; Nova then finds no
 * host), in the order placement/lib.py and the handler check: Nova asks with microversion
 * 1.36, sends no same_subtree, and names an unknown class or trait only when no provider
 * has it. Null when the query is valid.
 */
function queryRefusal(request: ResourceRequest, catalog: PlacementCatalog): string | null {
  const resourceless = request.groups.filter((group) => group.resources.size === 0);
  if (request.groups.length === 0 || resourceless.length === request.groups.length) {
    return 'There must be at least one resources or resources[$S] parameter.';
  }
  if (resourceless.length > 0) {
    return (
      'Resourceless suffixed group request should be specified in `same_subtree` query param: ' +
      `bad group(s) - ${pythonListRepr(resourceless.map((group) => group.suffix))}.`
    );
  }
  const conflicting = request.groups.flatMap((group) =>
    [...group.required].filter((trait) => group.forbidden.has(trait)).map((trait) => `required${group.suffix}: (${trait})`),
  );
  if (conflicting.length > 0) {
    return `Conflicting required and forbidden traits found in the following traits keys: ${conflicting.sort().join(', ')}`;
  }
  if (request.groupPolicy === null && request.groups.filter((group) => group.suffix !== '').length > 1) {
    return 'The "group_policy" parameter is required when specifying more than one "resources{N}" parameter.';
  }
  for (const group of request.groups) {
    for (const resourceClass of group.resources.keys()) {
      if (!STANDARD_RESOURCE_CLASSES.includes(resourceClass) && !catalog.customClassIds.has(resourceClass)) {
        return `Invalid resource class in resources parameter: No such resource class ${resourceClass}.`;
      }
    }
    const unknown = [...group.required, ...group.forbidden].filter((trait) => !isKnownTrait(trait, catalog));
    if (unknown.length > 0) return `No such trait(s): ${unknown.sort().join(', ')}.`;
  }
  return null;
}

/**
 * The allocation an instance already on a provider holds, as its build made it: the pinned
 * request's where the provider has all its classes, else the fallback's; of either, only
 * the classes the provider has. The import subtracts the same from Placement's usages.
 */
export function existingAllocation({ primary, fallback }: PlacementRequest, providerHas: (resourceClass: string) => boolean): ResourceAmounts {
  const held = [primary, ...(fallback ? [fallback] : [])].find((request) => [...request.resources.keys()].every(providerHas)) ?? primary;
  return Object.fromEntries([...held.resources].filter(([resourceClass]) => providerHas(resourceClass)));
}

/** A request as the checks of every host read it, worked out once per build request. */
interface Query {
  request: ResourceRequest;
  required: string[];
  forbidden: string[];
  /** the traits Placement does not know, so that it refuses the query whatever they are */
  unknownTraits: string[];
  /**
   * Why no provider can be a candidate whatever it holds: Placement's refusal of the query,
   * or, where some provider has a parent, an unnumbered group without resources, which
   * matches no tree (docs/semantics.md, "Nested resource providers"). Null when each host
   * decides.
   */
  refusal: string | null;
  /**
   * Why no host without child providers can be a candidate: group_policy=isolate with
   * more than one granular group wants a provider per group where such a host is one.
   */
  flatRefusal: string | null;
  amounts: ResourceAmounts;
}

function prepare(request: ResourceRequest, catalog: PlacementCatalog): Query {
  const { required, forbidden } = traitsOf(request);
  const granular = request.groups.filter((group) => group.suffix !== '').length;
  const isolated = request.groupPolicy === 'isolate' && granular > 1 ? 'group_policy=isolate wants a provider per granular group; a host is one provider' : null;
  const resourcelessUnnumbered = catalog.hasTrees && request.groups.some((group) => group.suffix === '' && group.resources.size === 0);
  return {
    request,
    required,
    forbidden,
    unknownTraits: [...required, ...forbidden].filter((trait) => !isKnownTrait(trait, catalog)),
    refusal: queryRefusal(request, catalog) ?? (resourcelessUnnumbered ? 'A request group without resources matches no provider tree.' : null),
    flatRefusal: isolated,
    amounts: Object.fromEntries(request.resources),
  };
}

const QUERIES = new WeakMap<RequestSpec, Query[]>();

/** The requests a build makes of Placement: the pinned one first, then its VCPU fallback. */
function queries(spec: RequestSpec): Query[] {
  let prepared = QUERIES.get(spec);
  if (!prepared) {
    const { primary, fallback } = spec.placement;
    QUERIES.set(spec, (prepared = (fallback ? [primary, fallback] : [primary]).map((request) => prepare(request, spec.catalog))));
  }
  return prepared;
}

interface CandidateCheck {
  reasons: string[];
  misses: HostMiss[];
}

/**
 * A class's cause: the class itself when its capacity is short or the provider lacks it, the
 * class and the bound when the amount asked breaks min_unit, max_unit or step_size, so that
 * a request one allocation may never be (`VCPU max_unit`) does not read as a shortage.
 */
function classCause({ resourceClass, constraint }: ClassMiss): CauseName {
  return constraint === null ? resourceClass : `${resourceClass} ${constraint}`;
}

const UNIT_CONSTRAINTS: readonly UnitConstraint[] = ['max_unit', 'min_unit', 'step_size'];

/** Whether the host's provider is an allocation candidate for one query, and if not, why. */
function candidateCheck(node: ComputeNode, query: Query): CandidateCheck {
  const provider = node.provider!;
  const classMisses = provider.classMisses(query.request);
  const traitMisses = provider.traitMisses(query.required, query.forbidden);
  const refusal = query.refusal ?? query.flatRefusal;
  if (classMisses.length === 0 && traitMisses.length === 0 && refusal === null && query.unknownTraits.length === 0) return { reasons: [], misses: [] };
  const reasons = [...(refusal === null ? [] : [refusal]), ...classMisses.map((miss) => miss.reason), ...traitMisses.map((miss) => miss.reason)];
  const misses: HostMiss[] = [
    ...classMisses.map((miss) => ({ cause: classCause(miss), short: miss.short, unit: miss.short === null ? null : unitOf(miss.resourceClass) })),
    ...traitMisses.map((miss) => ({ cause: `trait:${miss.trait}` as const, short: null, unit: null })),
  ];
  // A forbidden trait no provider has is still one Placement does not know: it refuses the query.
  for (const trait of query.unknownTraits) {
    if (!misses.some((miss) => miss.cause === `trait:${trait}`)) misses.push({ cause: `trait:${trait}`, short: null, unit: null });
  }
  return { reasons, misses };
}

/**
 * A host with child providers: the allocation taken in its tree (tree-candidates.ts), or
 * why there is none.
 */
function treeCheck(node: ComputeNode, query: Query): { allocation: TreeAllocation | null; check: CandidateCheck } {
  const root = node.provider!;
  if (query.refusal !== null) {
    const misses: HostMiss[] = query.unknownTraits.map((trait) => ({ cause: `trait:${trait}` as const, short: null, unit: null }));
    return { allocation: null, check: { reasons: [query.refusal], misses: misses.length > 0 ? misses : [{ cause: 'request group', short: null, unit: null }] } };
  }
  const allocation = chosenAllocation(root, treeCandidates(root, query.request));
  if (allocation !== null) return { allocation, check: { reasons: [], misses: [] } };
  const misses = treeMisses(root, query.request);
  return {
    allocation: null,
    check: {
      reasons: misses.map((miss) => miss.reason),
      misses: misses.map((miss) => ({ cause: miss.cause, short: miss.short, unit: miss.short === null || miss.resourceClass === null ? null : unitOf(miss.resourceClass) })),
    },
  };
}

function mergedMisses(checks: CandidateCheck[]): HostMiss[] {
  const misses: HostMiss[] = [];
  for (const check of checks) for (const miss of check.misses) if (!misses.some((known) => known.cause === miss.cause)) misses.push(miss);
  return misses;
}

class PlacementModel implements CapacityModel {
  readonly name = 'placement';

  /**
   * Zed's scheduler sets no memory, disk or vcpu limit (the filters that did are gone); a
   * NUMATopologyFilter hands the compute node's ratios, which fall back to the initial ones
   * as Placement's do. A host's explicit limits keep only their NUMA part.
   */
  limits(spec: HostSpec, settings: CloudSettings): Limits {
    const unlimited = { memory_mb: null, disk_gb: null, vcpu: null };
    if (spec.limits) return { ...unlimited, numa_topology: spec.limits.numa_topology ?? null };
    if (!settings.enabled_filters.includes('NUMATopologyFilter')) return { ...unlimited, numa_topology: null };
    return {
      ...unlimited,
      numa_topology: {
        cpu_allocation_ratio: allocationRatio(settings.cpu_allocation_ratio, INITIAL_ALLOCATION_RATIOS.cpu),
        ram_allocation_ratio: allocationRatio(settings.ram_allocation_ratio, INITIAL_ALLOCATION_RATIOS.ram),
      },
    };
  }

  provider(spec: HostSpec, settings: CloudSettings): ResourceProvider {
    return ResourceProvider.start(spec, settings);
  }

  /**
   * `PUT /allocations/{consumer}` on the host's provider (a pinned flavor falling back to
   * VCPU when its PCPU allocation is refused, as its second query would), then the
   * compute node's claim. Placement's refusal is the build's; the pinned one is reported.
   */
  claimOnNamedHost(node: ComputeNode, request: RequestSpec, consumer: string, withAudit: boolean): HostTest {
    const provider = node.provider!;
    if (provider.nested) return this.claimInTree(node, request, withAudit);
    let refusal: string | null = null;
    for (const query of queries(request)) {
      const refused = provider.allocationRefusal(query.request.resources, request.catalog, consumer);
      if (refused === null) return this.claim(node, request, query.amounts, withAudit);
      refusal ??= refused.text;
    }
    return { ...nothingHeld(request), reasons: [refusal!], message: refusal, candidate: true, audit: null };
  }

  /**
   * A build naming a host with child providers: Zed asks Placement for candidates in that
   * host's tree (`in_tree`) and takes the allocation the scheduler would; none, and Nova
   * finds no valid host.
   */
  private claimInTree(node: ComputeNode, request: RequestSpec, withAudit: boolean): HostTest {
    const reasons: string[] = [];
    for (const query of queries(request)) {
      const { allocation, check } = treeCheck(node, query);
      if (allocation !== null) return this.claim(node, request, query.amounts, withAudit, allocation);
      for (const reason of check.reasons) if (!reasons.includes(reason)) reasons.push(reason);
    }
    return { ...nothingHeld(request), reasons, message: NO_ALLOCATION_CANDIDATES, candidate: false, audit: null };
  }

  testForScheduler(node: ComputeNode, request: RequestSpec): HostTest {
    return this.schedulerVerdict(node, request).test;
  }

  /** nova/compute/claims.py logs the claim it makes on the chosen node. */
  claimAudit(node: ComputeNode): string[] {
    return [`Claim successful on node ${node.name}`];
  }

  commit(node: ComputeNode, held: Held): void {
    node.hold(held, 1);
  }

  release(node: ComputeNode, held: Held): void {
    node.hold(held, -1);
  }

  /**
   * Counted as Nova's audit counts it, with the allocation its build made: the pinned
   * request's where the provider has those classes, else the fallback's; of either, only
   * the classes the provider has.
   */
  addExisting(node: ComputeNode, request: RequestSpec): Held {
    const provider = node.provider!;
    const requested = trackedUsage(request);
    node.updateUsage(requested, 1);
    const topologyClaim = node.topology.addExisting(request.topology, node.settings.packing_host_numa_cells_allocation_strategy);
    // In a tree, the allocation the scheduler would have taken; where none fits any more,
    // what the host's own provider has of it, as on a host without children.
    const inTree = provider.nested ? queries(request).map((query) => treeCheck(node, query).allocation).find((found) => found !== null) : undefined;
    if (inTree) {
      const providers = providerAllocations(inTree);
      for (const { provider: name, resources } of providers) provider.inTree(name)!.allocate(resources, 1);
      return { requested, allocation: sumOf(providers), providers, topologyClaim };
    }
    const allocation = existingAllocation(request.placement, (resourceClass) => provider.inventories.has(resourceClass));
    provider.allocate(allocation, 1);
    return { requested, allocation, topologyClaim };
  }

  misses(node: ComputeNode, request: RequestSpec): HostMiss[] {
    return this.schedulerVerdict(node, request).misses;
  }

  causeOrder(request: RequestSpec): CauseName[] {
    const order: CauseName[] = [];
    for (const query of queries(request)) {
      const classes = Object.keys(query.amounts).flatMap((resourceClass) => [resourceClass, ...UNIT_CONSTRAINTS.map((constraint) => `${resourceClass} ${constraint}`)]);
      for (const cause of [...classes, ...[...query.required, ...query.forbidden].map((trait) => `trait:${trait}`)]) {
        if (!order.includes(cause)) order.push(cause);
      }
    }
    return [...order, 'request group', 'group_policy', 'numa', 'pci'];
  }

  /**
   * One index per request Nova makes, over the providers that are candidates whatever their
   * usage (the classes present with amounts their min_unit, max_unit and step_size allow,
   * the traits right); room is capacity − used per class asked for.
   */
  indexPlans(request: RequestSpec): IndexPlan[] {
    return queries(request).flatMap((query, rank) => {
      if (query.refusal !== null) return [];
      const classes = Object.keys(query.amounts);
      // A tree's room is its providers' room added up: more than any one allocation can
      // take, never less, so the index proposes every tree that might pass and the test decides.
      return [
        {
          key: `placement\u0000${request.key}\u0000${rank}`,
          dimensions: classes.length,
          member: (node: ComputeNode) => {
            const provider = node.provider;
            if (provider === null) return false;
            if (provider.nested) return classes.every((resourceClass) => provider.tree.some((member) => member.inventories.has(resourceClass)));
            return query.flatRefusal === null && provider.meetsUnits(query.request) && provider.traitMisses(query.required, query.forbidden).length === 0;
          },
          rooms: (node: ComputeNode, into: Float64Array, at: number) => {
            const provider = node.provider!;
            if (provider.nested) classes.forEach((resourceClass, offset) => (into[at + offset] = treeRoomFor(provider.tree, resourceClass)));
            else classes.forEach((resourceClass, offset) => (into[at + offset] = provider.roomFor(resourceClass)));
          },
          demand: classes.map((resourceClass) => query.amounts[resourceClass]),
        },
      ];
    });
  }

  /**
   * Each class's capacity bounds the builds: n more pass while used + n × amount fits, so
   * all but the last of those are certain; the allocation test decides the rest.
   */
  buildsThatCertainlyFit(node: ComputeNode, _request: RequestSpec, test: HostTest): number | null {
    // In a tree the next allocation may come from other providers: fit counts claim by claim.
    if (node.provider!.nested) return 0;
    const bounds = Object.entries(test.allocation ?? {}).map(([resourceClass, amount]) =>
      Math.max(0, Math.floor(node.provider!.roomFor(resourceClass) / amount) - 1),
    );
    return bounds.length === 0 ? null : Math.min(...bounds);
  }

  /**
   * A candidate for the first request that lists it (the scheduler claims with the first
   * allocation request per host), whose allocation Placement then accepts, and which the
   * NUMA and PCI filters pass (they run the claim's own fit). Otherwise every request's
   * reasons, the pinned one's first.
   */
  private schedulerVerdict(node: ComputeNode, request: RequestSpec): { test: HostTest; misses: HostMiss[] } {
    const checks: CandidateCheck[] = [];
    for (const query of queries(request)) {
      if (node.provider!.nested) {
        const { allocation, check } = treeCheck(node, query);
        if (allocation === null) {
          checks.push(check);
          continue;
        }
        const test = this.claim(node, request, query.amounts, false, allocation);
        return { test, misses: topologyMisses(test.reasons) };
      }
      const check = candidateCheck(node, query);
      if (check.reasons.length > 0) {
        checks.push(check);
        continue;
      }
      // Granular groups each pass on their own; the allocation holds their sum, which Placement checks again.
      const refused = query.request.groups.length > 1 ? node.provider!.allocationRefusal(query.request.resources, request.catalog, request.flavor.name) : null;
      if (refused !== null) {
        const test = { ...nothingHeld(request), reasons: [refused.text], message: refused.text, candidate: true, audit: null };
        return { test, misses: [{ cause: refused.resourceClass, short: null, unit: null }] };
      }
      const test = this.claim(node, request, query.amounts, false);
      return { test, misses: topologyMisses(test.reasons) };
    }
    const reasons = [...new Set(checks.flatMap((check) => check.reasons))];
    return { test: { ...nothingHeld(request), reasons, message: null, candidate: false, audit: null }, misses: mergedMisses(checks) };
  }

  /** The Zed claim: nova/compute/claims.py `Claim._claim_test` tests NUMA and PCI only. */
  private claim(node: ComputeNode, request: RequestSpec, allocation: ResourceAmounts, withAudit: boolean, inTree?: TreeAllocation): HostTest {
    const topology = node.topology.test(request.topology, node.limits.numa_topology, node.settings.packing_host_numa_cells_allocation_strategy);
    const { reasons } = topology;
    const message = reasons.length > 0 ? claimMessage(reasons) : null;
    return {
      requested: trackedUsage(request),
      allocation: reasons.length === 0 ? allocation : null,
      ...(inTree && reasons.length === 0 ? { providers: providerAllocations(inTree) } : {}),
      topologyClaim: reasons.length === 0 ? topology.claim : null,
      reasons,
      message,
      candidate: true,
      audit: withAudit ? [message === null ? `Claim successful on node ${node.name}` : `Failed to claim: ${reasons.join('; ')}`] : null,
    };
  }
}

/** What the tree's providers with the class still have room for, together. */
function treeRoomFor(tree: readonly ResourceProvider[], resourceClass: string): number {
  let room = -Infinity;
  for (const provider of tree) if (provider.inventories.has(resourceClass)) room = Math.max(room, 0) + provider.roomFor(resourceClass);
  return room;
}

/** Each class of a tree allocation summed over its providers. */
function sumOf(providers: readonly ProviderAllocation[]): ResourceAmounts {
  const sum: ResourceAmounts = {};
  for (const { resources } of providers) for (const [resourceClass, amount] of Object.entries(resources)) sum[resourceClass] = (sum[resourceClass] ?? 0) + amount;
  return sum;
}

function nothingHeld(request: RequestSpec): Held {
  return { requested: trackedUsage(request), allocation: null, topologyClaim: null };
}

export const PLACEMENT_MODEL: CapacityModel = new PlacementModel();
