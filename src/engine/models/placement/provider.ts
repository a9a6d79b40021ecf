// A compute node's resource provider as Placement 8.0 keeps it: inventories, traits and
// the usage its allocations add up to, and Placement's two questions of it — is it an
// allocation candidate for a request (placement/objects/research_context.py
// `get_provider_ids_matching`), and would it take an allocation
// (placement/objects/allocation.py `_check_capacity_exceeded`). Placement names a
// provider by its UUID; claimplan names it by its host.
import type { ChildProviderSpec, CloudSettings, HostSpec, Inventory, ProviderUsage, ResourceAmounts } from '../../core/model.ts';
import { PySet } from '../../topology/python-set.ts';
import { capacityOf, providerInventories } from './inventory.ts';
import type { RequestGroup, ResourceRequest } from './resource-request.ts';
import { STANDARD_RESOURCE_CLASSES, STANDARD_TRAITS } from './standard-names.ts';

/** placement/objects/resource_class.py MIN_CUSTOM_RESOURCE_CLASS_ID */
const FIRST_CUSTOM_CLASS_ID = 10000;

/**
 * What Placement knows beyond the standard names: the custom classes and traits the cloud's
 * providers carry. A custom class's id is its creation rank; claimplan takes them as
 * created in name order.
 */
export interface PlacementCatalog {
  customClassIds: ReadonlyMap<string, number>;
  customTraits: ReadonlySet<string>;
  /**
   * Whether any provider has a parent: Placement then answers an unnumbered group over
   * trees (research_context.py `_has_provider_trees`), which changes what a group
   * without resources gets.
   */
  hasTrees: boolean;
}

/** A host's child providers, depth-first, each before its own children: the plan's order. */
export function childProviderSpecs(host: HostSpec): ChildProviderSpec[] {
  const specs: ChildProviderSpec[] = [];
  const visit = (children: readonly ChildProviderSpec[]) => {
    for (const child of children) {
      specs.push(child);
      visit(child.providers);
    }
  };
  visit(host.providers ?? []);
  return specs;
}

/**
 * nova-compute creates the custom classes a host's inventory names before it writes the
 * inventory (report.py `_ensure_resource_classes`), so they exist even where Placement
 * then refuses the inventory; an operator creates the custom traits it sets.
 */
export function placementCatalog(hosts: Iterable<HostSpec>): PlacementCatalog {
  const classes = new Set<string>();
  const customTraits = new Set<string>();
  let hasTrees = false;
  for (const host of hosts) {
    const children = host.providers && host.providers.length > 0 ? childProviderSpecs(host) : [];
    hasTrees ||= children.length > 0;
    for (const provider of [host, ...children]) {
      for (const resourceClass of Object.keys(provider.inventories ?? {})) if (!STANDARD_RESOURCE_CLASSES.includes(resourceClass)) classes.add(resourceClass);
      for (const trait of provider.traits ?? []) if (!STANDARD_TRAITS.has(trait)) customTraits.add(trait);
    }
  }
  const customClassIds = new Map([...classes].sort().map((name, rank) => [name, FIRST_CUSTOM_CLASS_ID + rank]));
  return { customClassIds, customTraits, hasTrees };
}

function classIdOf(resourceClass: string, catalog: PlacementCatalog): number | undefined {
  const standard = STANDARD_RESOURCE_CLASSES.indexOf(resourceClass);
  return standard >= 0 ? standard : catalog.customClassIds.get(resourceClass);
}

export function isKnownTrait(trait: string, catalog: PlacementCatalog): boolean {
  return STANDARD_TRAITS.has(trait) || catalog.customTraits.has(trait);
}

/**
 * The traits nova-compute (libvirt, Zed, default configuration) sets on every node it
 * manages: COMPUTE_NODE (resource_tracker.py `_get_traits`) and the driver's capabilities
 * that hold whatever the host (nova/virt/driver.py CAPABILITY_TRAITS_MAP over
 * LibvirtDriver.capabilities).
 */
const LIBVIRT_NODE_TRAITS: readonly string[] = [
  'COMPUTE_NODE',
  'COMPUTE_NET_ATTACH_INTERFACE',
  'COMPUTE_DEVICE_TAGGING',
  'COMPUTE_NET_ATTACH_INTERFACE_WITH_TAG',
  'COMPUTE_VOLUME_ATTACH_WITH_TAG',
  'COMPUTE_VOLUME_EXTEND',
  'COMPUTE_VOLUME_MULTI_ATTACH',
  'COMPUTE_TRUSTED_CERTS',
  'COMPUTE_ACCELERATORS',
  'COMPUTE_IMAGE_TYPE_AKI',
  'COMPUTE_IMAGE_TYPE_AMI',
  'COMPUTE_IMAGE_TYPE_ARI',
  'COMPUTE_IMAGE_TYPE_ISO',
  'COMPUTE_IMAGE_TYPE_QCOW2',
  'COMPUTE_IMAGE_TYPE_RAW',
  'COMPUTE_RESCUE_BFV',
  'COMPUTE_SOCKET_PCI_NUMA_AFFINITY',
];

/**
 * What nova-compute takes away whatever the plan says: the capabilities LibvirtDriver
 * denies, and HW_CPU_HYPERTHREADING, which the driver sets from the host's threads.
 */
const NOVA_MANAGED_TRAITS: ReadonlySet<string> = new Set(['COMPUTE_SAME_HOST_COLD_MIGRATE', 'COMPUTE_IMAGE_TYPE_PLOOP', 'HW_CPU_HYPERTHREADING']);

/**
 * The plan's traits as nova-compute leaves them (the driver's `update_provider_tree`
 * then the resource tracker's `_get_traits`): its own traits added, those it manages set
 * by the host, HW_CPU_HYPERTHREADING when a NUMA cell has thread siblings
 * (Host.has_hyperthreading). A provider whose inventory Placement refused keeps only the
 * plan's: nova-compute sets traits after its inventory (report.py
 * `update_from_provider_tree`).
 */
function providerTraits(spec: HostSpec, inventoryTaken: boolean): Set<string> {
  const planned = spec.traits ?? [];
  if (!inventoryTaken) return new Set(planned);
  const traits = new Set([...planned.filter((trait) => !NOVA_MANAGED_TRAITS.has(trait)), ...LIBVIRT_NODE_TRAITS]);
  if ((spec.numa ?? []).some((cell) => cell.siblings.some((threads) => threads.length > 1))) traits.add('HW_CPU_HYPERTHREADING');
  return traits;
}

/** Why a provider is not a candidate for one class of a request, and by how much it is short when that can be said. */
/** An inventory's bounds on one allocation of its class, named as Placement names them. */
export type UnitConstraint = 'min_unit' | 'max_unit' | 'step_size';

export interface ClassMiss {
  resourceClass: string;
  /** the sentence Placement would refuse an allocation of it with */
  reason: string;
  /** the bound the amount asked breaks where the capacity has room for it; null when the capacity is short too, or the class is missing */
  constraint: UnitConstraint | null;
  /** how much less would pass: beyond max_unit, or beyond capacity; null when no amount would (missing, min_unit, step) */
  short: number | null;
}

/** Placement's refusal of an allocation, and the class it names first. */
export interface AllocationRefusal {
  resourceClass: string;
  text: string;
}

/** The words of a refused allocation: placement/exception.py InvalidInventory and its subclasses. */
const refusal = {
  missing: (classes: string, provider: string) => `Inventory for '${classes}' on resource provider '${provider}' invalid.`,
  constraints: (resourceClass: string, provider: string) =>
    `Unable to create allocation for '${resourceClass}' on resource provider '${provider}'. The requested amount would violate inventory constraints.`,
  capacity: (resourceClass: string, provider: string) =>
    `Unable to create allocation for '${resourceClass}' on resource provider '${provider}'. The requested amount would exceed the capacity.`,
};

function violatesConstraints(amount: number, inventory: Inventory): boolean {
  return violatedConstraint(amount, inventory) !== null;
}

/** Which of min_unit, max_unit and step_size `amount` breaks (Placement checks the three at once), or null. */
function violatedConstraint(amount: number, inventory: Inventory): UnitConstraint | null {
  if (amount > inventory.max_unit) return 'max_unit';
  if (amount < inventory.min_unit) return 'min_unit';
  return amount % inventory.step_size !== 0 ? 'step_size' : null;
}

export class ResourceProvider {
  /** this provider and every provider below it, depth-first, each before its children: the order the choice of an allocation compares them in (docs/semantics.md, "Nested resource providers") */
  readonly tree: readonly ResourceProvider[];

  private constructor(
    readonly name: string,
    readonly inventories: ReadonlyMap<string, Inventory>,
    readonly traits: ReadonlySet<string>,
    private readonly used: Map<string, number>,
    /** the providers whose parent it is, in the plan's order */
    readonly children: readonly ResourceProvider[],
  ) {
    this.tree = children.length === 0 ? [this] : [this, ...children.flatMap((child) => child.tree)];
  }

  static start(spec: HostSpec, settings: CloudSettings): ResourceProvider {
    const inventories = providerInventories(spec, settings);
    const children = (spec.providers ?? []).map((child) => ResourceProvider.child(child));
    return new ResourceProvider(spec.name, inventories ?? new Map(), providerTraits(spec, inventories !== null), new Map(), children);
  }

  /**
   * A child provider as nova-compute writes it (report.py `update_from_provider_tree`): the
   * inventories and traits its driver or operator gives, nothing of its root's.
   */
  private static child(spec: ChildProviderSpec): ResourceProvider {
    const children = spec.providers.map((child) => ResourceProvider.child(child));
    return new ResourceProvider(spec.name, new Map(Object.entries(spec.inventories)), new Set(spec.traits), new Map(), children);
  }

  clone(): ResourceProvider {
    return new ResourceProvider(this.name, this.inventories, this.traits, new Map(this.used), this.children.map((child) => child.clone()));
  }

  /** Back to `kept`, a clone taken before: its usage and its children's. */
  putBack(kept: ResourceProvider): void {
    this.used.clear();
    for (const [resourceClass, amount] of kept.used) this.used.set(resourceClass, amount);
    kept.children.forEach((child, index) => this.children[index].putBack(child));
  }

  /** Whether providers hang below it: then Placement answers over the tree (tree-candidates.ts). */
  get nested(): boolean {
    return this.children.length > 0;
  }

  /** The provider of its tree with this name. */
  inTree(name: string): ResourceProvider | undefined {
    return this.tree.find((provider) => provider.name === name);
  }

  /** Each child's inventories, usages and traits, as `GET /resource_providers?in_tree=` and each provider's listings give them. */
  childUsages(): ProviderUsage[] {
    return this.children.map((child) => ({
      provider: child.name,
      inventories: Object.fromEntries(child.inventories),
      usages: child.usages(),
      traits: [...child.traits].sort(),
      providers: child.childUsages(),
    }));
  }

  usedOf(resourceClass: string): number {
    return this.used.get(resourceClass) ?? 0;
  }

  /** capacity − used: what an allocation of the class may still add. */
  roomFor(resourceClass: string): number {
    const inventory = this.inventories.get(resourceClass);
    return inventory ? capacityOf(inventory) - this.usedOf(resourceClass) : -Infinity;
  }

  /** Adds (sign 1) or removes (−1) an allocation's amounts. */
  allocate(amounts: ResourceAmounts, sign: 1 | -1): void {
    for (const resourceClass in amounts) this.used.set(resourceClass, this.usedOf(resourceClass) + sign * amounts[resourceClass]);
  }

  /** Every class of the inventory with what its allocations use, as `GET /resource_providers/{uuid}/usages`. */
  usages(): ResourceAmounts {
    return Object.fromEntries([...this.inventories.keys()].map((resourceClass) => [resourceClass, this.usedOf(resourceClass)]));
  }

  /**
   * `PUT /allocations/{consumer}` for these amounts: Placement's refusal, or null. An
   * unknown class fails first; then a provider with none of the classes; then class by
   * class in the order asked, constraints before capacity, the first failing class alone
   * named.
   */
  allocationRefusal(amounts: ReadonlyMap<string, number>, catalog: PlacementCatalog, consumer: string): AllocationRefusal | null {
    for (const resourceClass of amounts.keys()) {
      if (classIdOf(resourceClass, catalog) === undefined) {
        return { resourceClass, text: `Unable to allocate inventory for consumer ${consumer}: No such resource class ${resourceClass}.` };
      }
    }
    const conflict = (resourceClass: string, text: string) => ({ resourceClass, text: `Unable to allocate inventory: ${text}` });
    if (![...amounts.keys()].some((resourceClass) => this.inventories.has(resourceClass))) {
      // The classes come out in the order of a Python set of their ids.
      const byId = new Map([...amounts.keys()].map((resourceClass) => [classIdOf(resourceClass, catalog)!, resourceClass]));
      const named = PySet.of(byId.keys()).values().map((id) => byId.get(id)!);
      return conflict(named[0], refusal.missing(named.join(', '), this.name));
    }
    for (const [resourceClass, amount] of amounts) {
      const inventory = this.inventories.get(resourceClass);
      if (!inventory) return conflict(resourceClass, refusal.missing(resourceClass, this.name));
      if (violatesConstraints(amount, inventory)) return conflict(resourceClass, refusal.constraints(resourceClass, this.name));
      if (capacityOf(inventory) < this.usedOf(resourceClass) + amount) return conflict(resourceClass, refusal.capacity(resourceClass, this.name));
    }
    return null;
  }

  /** Whether it has every class the request asks for, each group's amount within the class's min_unit, max_unit and step_size. */
  meetsUnits(request: ResourceRequest): boolean {
    for (const resourceClass of request.resources.keys()) {
      const inventory = this.inventories.get(resourceClass);
      if (inventory === undefined || largestViolation(request.groups, resourceClass, inventory) !== null) return false;
    }
    return true;
  }

  /**
   * Why the provider is not an allocation candidate for the request's resources: each group's
   * amount must meet the class's min_unit, max_unit and step_size and fit its capacity
   * (`_capacity_check_clause`), and the groups' sum fit too (`exceeds_capacity`). Every
   * failing class, in the order asked.
   */
  classMisses(request: ResourceRequest): ClassMiss[] {
    const misses: ClassMiss[] = [];
    for (const [resourceClass, total] of request.resources) {
      const inventory = this.inventories.get(resourceClass);
      if (!inventory) {
        misses.push({ resourceClass, reason: refusal.missing(resourceClass, this.name), constraint: null, short: null });
        continue;
      }
      const violation = largestViolation(request.groups, resourceClass, inventory);
      const beyondCapacity = this.usedOf(resourceClass) + total - capacityOf(inventory);
      if (violation !== null) {
        const beyondMax = violation - inventory.max_unit;
        const short = beyondMax > 0 ? Math.max(beyondMax, beyondCapacity) : null;
        // Named only when the room is there: over both, the class is simply short.
        const constraint = beyondCapacity > 0 ? null : violatedConstraint(violation, inventory);
        misses.push({ resourceClass, reason: refusal.constraints(resourceClass, this.name), constraint, short });
      } else if (beyondCapacity > 0) {
        misses.push({ resourceClass, reason: refusal.capacity(resourceClass, this.name), constraint: null, short: beyondCapacity });
      }
    }
    return misses;
  }

  /** Why one allocation of `amount` of the class does not fit it, as classMisses says it; null when it fits. */
  amountMiss(resourceClass: string, amount: number): ClassMiss | null {
    const inventory = this.inventories.get(resourceClass);
    if (!inventory) return { resourceClass, reason: refusal.missing(resourceClass, this.name), constraint: null, short: null };
    const beyondCapacity = this.usedOf(resourceClass) + amount - capacityOf(inventory);
    const violation = violatedConstraint(amount, inventory);
    if (violation !== null) {
      const beyondMax = amount - inventory.max_unit;
      const short = beyondMax > 0 ? Math.max(beyondMax, beyondCapacity) : null;
      return { resourceClass, reason: refusal.constraints(resourceClass, this.name), constraint: beyondCapacity > 0 ? null : violation, short };
    }
    return beyondCapacity > 0 ? { resourceClass, reason: refusal.capacity(resourceClass, this.name), constraint: null, short: beyondCapacity } : null;
  }

  /** The required traits it lacks and the forbidden ones it has. */
  traitMisses(required: readonly string[], forbidden: readonly string[]): { trait: string; reason: string }[] {
    return [
      ...required.filter((trait) => !this.traits.has(trait)).map((trait) => ({ trait, reason: `Resource provider '${this.name}' lacks required trait ${trait}.` })),
      ...forbidden.filter((trait) => this.traits.has(trait)).map((trait) => ({ trait, reason: `Resource provider '${this.name}' has forbidden trait ${trait}.` })),
    ];
  }
}

/** Of the groups' amounts of the class that break its min_unit, max_unit or step_size, the largest; null when none does. */
function largestViolation(groups: readonly RequestGroup[], resourceClass: string, inventory: Inventory): number | null {
  let largest: number | null = null;
  for (const group of groups) {
    const amount = group.resources.get(resourceClass);
    if (amount !== undefined && violatesConstraints(amount, inventory) && (largest === null || amount > largest)) largest = amount;
  }
  return largest;
}
