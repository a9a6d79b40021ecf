// Allocation candidates over one host's provider tree, as Placement 8.0 builds them
// (placement/objects/allocation_candidate.py, research_context.py; docs/semantics.md,
// "Nested resource providers"), and the one allocation claimplan takes of them.
//
// - The unnumbered group (use_same_provider=False) takes each class whole from one
//   provider of the tree with room for it; different classes may come from different
//   providers. Its required traits must be on the providers serving it taken together,
//   its forbidden traits on none of them (`_check_traits_for_alloc_request`). Without
//   resources it matches no tree (`get_trees_matching_all` starts from the resources).
// - A numbered group (`resources1:`) lands whole on one provider having every class, its
//   required traits and none of its forbidden ones (`get_provider_ids_matching`).
// - One choice per group, combined: `group_policy=isolate` wants the numbered groups on
//   different providers (`_satisfies_group_policy`); amounts that land together are
//   summed and checked again against capacity and max_unit (`exceeds_capacity`).
import type { ProviderAllocation } from '../../core/model.ts';
import type { ClassMiss, ResourceProvider } from './provider.ts';
import type { RequestGroup, ResourceRequest } from './resource-request.ts';
import { capacityOf } from './inventory.ts';

/** One allocation request: the amounts each provider of the tree gives, providers in tree order. */
export type TreeAllocation = Map<ResourceProvider, Map<string, number>>;

/** `_capacity_check_clause`: room for the amount, and the amount within min_unit, max_unit and step_size. */
function takes(provider: ResourceProvider, resourceClass: string, amount: number): boolean {
  const inventory = provider.inventories.get(resourceClass);
  if (inventory === undefined) return false;
  return (
    provider.usedOf(resourceClass) + amount <= capacityOf(inventory) &&
    inventory.min_unit <= amount &&
    amount <= inventory.max_unit &&
    amount % inventory.step_size === 0
  );
}

function hasTraits(traits: ReadonlySet<string>, group: RequestGroup): boolean {
  for (const trait of group.required) if (!traits.has(trait)) return false;
  for (const trait of group.forbidden) if (traits.has(trait)) return false;
  return true;
}

/** Every combination of one item from each list, the first list varying slowest. */
function product<T>(lists: readonly (readonly T[])[]): T[][] {
  let combinations: T[][] = [[]];
  for (const list of lists) combinations = combinations.flatMap((combination) => list.map((item) => [...combination, item]));
  return combinations;
}

/** One group's choices: for each, the provider serving each class. */
type GroupChoice = Map<string, ResourceProvider>;

function unnumberedChoices(tree: readonly ResourceProvider[], group: RequestGroup): GroupChoice[] {
  if (group.resources.size === 0) return [];
  const classes = [...group.resources.keys()];
  const servers = classes.map((resourceClass) => tree.filter((provider) => takes(provider, resourceClass, group.resources.get(resourceClass)!)));
  const choices: GroupChoice[] = [];
  for (const combination of product(servers)) {
    const serving = new Set(combination);
    if ([...serving].some((provider) => [...group.forbidden].some((trait) => provider.traits.has(trait)))) continue;
    if (![...group.required].every((trait) => [...serving].some((provider) => provider.traits.has(trait)))) continue;
    choices.push(new Map(classes.map((resourceClass, index) => [resourceClass, combination[index]])));
  }
  return choices;
}

function numberedChoices(tree: readonly ResourceProvider[], group: RequestGroup): GroupChoice[] {
  const classes = [...group.resources.keys()];
  return tree
    .filter((provider) => hasTraits(provider.traits, group) && classes.every((resourceClass) => takes(provider, resourceClass, group.resources.get(resourceClass)!)))
    .map((provider) => new Map(classes.map((resourceClass) => [resourceClass, provider])));
}

function groupChoices(tree: readonly ResourceProvider[], group: RequestGroup): GroupChoice[] {
  return group.suffix === '' ? unnumberedChoices(tree, group) : numberedChoices(tree, group);
}

/** `_consolidate_allocation_requests`: the groups' amounts summed per provider and class, providers in tree order. */
function consolidate(tree: readonly ResourceProvider[], groups: readonly RequestGroup[], choices: readonly GroupChoice[]): TreeAllocation {
  const byProvider = new Map<ResourceProvider, Map<string, number>>();
  groups.forEach((group, index) => {
    for (const [resourceClass, provider] of choices[index]) {
      let amounts = byProvider.get(provider);
      if (!amounts) byProvider.set(provider, (amounts = new Map()));
      amounts.set(resourceClass, (amounts.get(resourceClass) ?? 0) + group.resources.get(resourceClass)!);
    }
  });
  return new Map(tree.filter((provider) => byProvider.has(provider)).map((provider) => [provider, byProvider.get(provider)!]));
}

/** `exceeds_capacity`: Placement's provider summaries hold the capacity as an int. */
function exceedsCapacity(allocation: TreeAllocation): { provider: ResourceProvider; resourceClass: string; constraint: boolean } | null {
  for (const [provider, amounts] of allocation) {
    for (const [resourceClass, amount] of amounts) {
      const inventory = provider.inventories.get(resourceClass)!;
      if (provider.usedOf(resourceClass) + amount > Math.trunc(capacityOf(inventory))) return { provider, resourceClass, constraint: false };
      if (amount > inventory.max_unit) return { provider, resourceClass, constraint: true };
    }
  }
  return null;
}

function isolated(groups: readonly RequestGroup[], choices: readonly GroupChoice[]): boolean {
  const providers = new Set<ResourceProvider>();
  let numbered = 0;
  groups.forEach((group, index) => {
    if (group.suffix === '') return;
    numbered++;
    for (const provider of choices[index].values()) providers.add(provider);
  });
  return providers.size === numbered;
}

function allocationKey(tree: readonly ResourceProvider[], allocation: TreeAllocation): string {
  return [...allocation].map(([provider, amounts]) => `${tree.indexOf(provider)}:${[...amounts].sort().join(',')}`).join(';');
}

/**
 * The allocation requests `GET /allocation_candidates` lists for the request in this tree
 * (equal ones once, as Placement's set keeps them), in no meaningful order: Placement's
 * own order within a tree is a per-process hash.
 */
export function treeCandidates(root: ResourceProvider, request: ResourceRequest): TreeAllocation[] {
  const { tree } = root;
  const perGroup = request.groups.map((group) => groupChoices(tree, group));
  if (perGroup.some((choices) => choices.length === 0)) return [];
  const seen = new Set<string>();
  const candidates: TreeAllocation[] = [];
  for (const choices of product(perGroup)) {
    if (request.groupPolicy === 'isolate' && !isolated(request.groups, choices)) continue;
    const allocation = consolidate(tree, request.groups, choices);
    if (exceedsCapacity(allocation) !== null) continue;
    const key = allocationKey(tree, allocation);
    if (seen.has(key)) continue;
    seen.add(key);
    candidates.push(allocation);
  }
  return candidates;
}

/**
 * docs/semantics.md, "Nested resource providers": of the candidates, the one that takes the
 * most from the earliest provider — providers in tree order, at each the classes in name
 * order, larger amounts first. Null when there is none.
 */
export function chosenAllocation(root: ResourceProvider, candidates: readonly TreeAllocation[]): TreeAllocation | null {
  if (candidates.length === 0) return null;
  const classes = [...new Set(candidates.flatMap((candidate) => [...candidate.values()].flatMap((amounts) => [...amounts.keys()])))].sort();
  const vector = (candidate: TreeAllocation) => root.tree.flatMap((provider) => classes.map((resourceClass) => candidate.get(provider)?.get(resourceClass) ?? 0));
  let best = candidates[0];
  let bestVector = vector(best);
  for (const candidate of candidates.slice(1)) {
    const candidateVector = vector(candidate);
    const at = candidateVector.findIndex((amount, index) => amount !== bestVector[index]);
    if (at >= 0 && candidateVector[at] > bestVector[at]) {
      best = candidate;
      bestVector = candidateVector;
    }
  }
  return best;
}

/** The allocation as a decision names it: each provider used and its amounts. */
export function providerAllocations(allocation: TreeAllocation): ProviderAllocation[] {
  return [...allocation].map(([provider, amounts]) => ({ provider: provider.name, resources: Object.fromEntries(amounts) }));
}

/** Why a tree is no candidate, and the class or trait each reason is about. */
export interface TreeMiss {
  reason: string;
  /** a class, a class and its bound (`VGPU max_unit`), `trait:…`, or `group_policy` */
  cause: string;
  short: number | null;
  resourceClass: string | null;
}

/** A class no provider of the tree takes: the provider with the most room for it says why. */
function classMissInTree(root: ResourceProvider, resourceClass: string, amount: number): TreeMiss {
  const holders = root.tree.filter((provider) => provider.inventories.has(resourceClass));
  const closest = holders.reduce<ResourceProvider | null>((best, provider) => (best === null || provider.roomFor(resourceClass) > best.roomFor(resourceClass) ? provider : best), null);
  const miss: ClassMiss | null = (closest ?? root).amountMiss(resourceClass, amount);
  if (miss === null) throw new Error(`a provider that takes ${amount} ${resourceClass} was counted out`);
  return { reason: miss.reason, cause: miss.constraint === null ? resourceClass : `${resourceClass} ${miss.constraint}`, short: miss.short, resourceClass };
}

function traitMissesInTree(providers: readonly ResourceProvider[], group: RequestGroup): TreeMiss[] {
  const misses: TreeMiss[] = [];
  for (const trait of group.required) {
    if (!providers.some((provider) => provider.traits.has(trait))) {
      misses.push({ reason: `Resource provider '${providers[0].name}' lacks required trait ${trait}.`, cause: `trait:${trait}`, short: null, resourceClass: null });
    }
  }
  for (const trait of group.forbidden) {
    const holder = providers.find((provider) => provider.traits.has(trait));
    if (holder) misses.push({ reason: `Resource provider '${holder.name}' has forbidden trait ${trait}.`, cause: `trait:${trait}`, short: null, resourceClass: null });
  }
  return misses;
}

/**
 * Why the tree is no candidate for the request, in Placement's words where it has some:
 * each group no provider can serve, then the combination the groups could not make.
 */
export function treeMisses(root: ResourceProvider, request: ResourceRequest): TreeMiss[] {
  const { tree } = root;
  const misses: TreeMiss[] = [];
  for (const group of request.groups) {
    if (groupChoices(tree, group).length > 0) continue;
    const short = [...group.resources].filter(([resourceClass, amount]) => !tree.some((provider) => takes(provider, resourceClass, amount)));
    if (short.length > 0) {
      misses.push(...short.map(([resourceClass, amount]) => classMissInTree(root, resourceClass, amount)));
      continue;
    }
    if (group.resources.size === 0) {
      misses.push({ reason: 'A request group without resources matches no provider tree.', cause: 'request group', short: null, resourceClass: null });
      continue;
    }
    // Each class has room somewhere: the traits rule the providers out.
    const serving = group.suffix === '' ? tree.filter((provider) => [...group.resources].some(([resourceClass, amount]) => takes(provider, resourceClass, amount))) : tree.filter((provider) => [...group.resources].every(([resourceClass, amount]) => takes(provider, resourceClass, amount)));
    const traitMisses = traitMissesInTree(serving.length > 0 ? serving : [root], group);
    misses.push(...(traitMisses.length > 0 ? traitMisses : [{ reason: `No resource provider in the tree of '${root.name}' has room for request group resources${group.suffix} and its traits.`, cause: 'request group', short: null, resourceClass: null }]));
  }
  if (misses.length > 0) return misses;
  const perGroup = request.groups.map((group) => groupChoices(tree, group));
  let allIsolatedFail = request.groupPolicy === 'isolate';
  for (const choices of product(perGroup)) {
    if (request.groupPolicy === 'isolate' && !isolated(request.groups, choices)) continue;
    allIsolatedFail = false;
    const exceeded = exceedsCapacity(consolidate(tree, request.groups, choices));
    if (exceeded !== null) {
      const { provider, resourceClass, constraint } = exceeded;
      const reason = constraint
        ? `Unable to create allocation for '${resourceClass}' on resource provider '${provider.name}'. The requested amount would violate inventory constraints.`
        : `Unable to create allocation for '${resourceClass}' on resource provider '${provider.name}'. The requested amount would exceed the capacity.`;
      return [{ reason, cause: constraint ? `${resourceClass} max_unit` : resourceClass, short: null, resourceClass }];
    }
  }
  if (allIsolatedFail) {
    return [{ reason: `group_policy=isolate wants a provider per granular group; the tree of '${root.name}' has too few with room`, cause: 'group_policy', short: null, resourceClass: null }];
  }
  return misses;
}
