// A host's Placement keys (docs/plan-format.md, "The Placement model"): the traits of its
// resource provider and the inventories the plan gives in place of the derived ones,
// each checked as Placement checks it, with what an inventory omits filled from
// Placement's defaults.
import type { ChildProviderSpec, Inventory } from '../engine/core/model.ts';
import type { MdevSpec, PgpuSpec } from '../engine/models/placement/vgpu.ts';
import { INVENTORY_DEFAULTS, refusesInventory } from '../engine/models/placement/inventory.ts';
import { STANDARD_RESOURCE_CLASSES, STANDARD_TRAITS } from '../engine/models/placement/standard-names.ts';
import { didYouMean } from './did-you-mean.ts';
import type { PlanError } from './errors.ts';
import { fieldsOf, isFields, listOf, type Fields } from './fields.ts';
import { errorAt, type Origin } from './source.ts';

export interface PlacementKeys {
  traits?: string[];
  inventories?: Record<string, Inventory>;
  providers?: ChildProviderSpec[];
  /** derived into child providers per host copy, as each copy's name names them */
  mdev?: MdevSpec;
}

/** placement/schemas/common.py CUSTOM_RC_PATTERN and CUSTOM_TRAIT_PATTERN */
const CUSTOM_NAME = /^CUSTOM_[A-Z0-9_]+$/;

/** A resource class Placement 8.0 accepts: a standard one (os-resource-classes) or CUSTOM_…. */
export function isResourceClassName(name: string): boolean {
  return STANDARD_RESOURCE_CLASSES.includes(name) || CUSTOM_NAME.test(name);
}

/** A trait Placement 8.0 accepts: a standard one (os-traits) or CUSTOM_…. */
export function isTraitName(name: string): boolean {
  return STANDARD_TRAITS.has(name) || CUSTOM_NAME.test(name);
}

function nameProblem(kind: string, name: string, standard: Iterable<string>, listing: string): string {
  return `unknown ${kind} \`${name}\`: neither ${listing} nor CUSTOM_ followed by upper-case letters, digits and _${didYouMean(name, standard)}`;
}

function readTraits(value: unknown, origin: Origin, errors: PlanError[]): string[] {
  const traits: string[] = [];
  listOf(value).forEach((trait, index) => {
    if (typeof trait !== 'string' || trait === '') return;
    if (isTraitName(trait)) traits.push(trait);
    else errors.push(errorAt(origin.source, [...origin.path, 'traits', index], nameProblem('trait', trait, STANDARD_TRAITS, 'a standard trait (os-traits)')));
  });
  return traits;
}

/** Placement refuses an inventory whose reserve leaves a negative capacity, so nova-compute could never have it. */
function readInventory(value: Fields): Inventory {
  const number = (key: keyof Inventory, fallback: number) => (typeof value[key] === 'number' ? (value[key] as number) : fallback);
  return {
    total: number('total', 1),
    reserved: number('reserved', INVENTORY_DEFAULTS.reserved),
    min_unit: number('min_unit', INVENTORY_DEFAULTS.min_unit),
    max_unit: number('max_unit', INVENTORY_DEFAULTS.max_unit),
    step_size: number('step_size', INVENTORY_DEFAULTS.step_size),
    allocation_ratio: number('allocation_ratio', INVENTORY_DEFAULTS.allocation_ratio),
  };
}

function readInventories(value: unknown, origin: Origin, errors: PlanError[]): Record<string, Inventory> {
  const inventories: Record<string, Inventory> = {};
  for (const [resourceClass, raw] of Object.entries(fieldsOf(value))) {
    const at = [...origin.path, 'inventories', resourceClass];
    if (!isResourceClassName(resourceClass)) {
      const message = nameProblem('resource class', resourceClass, STANDARD_RESOURCE_CLASSES, 'a standard class (os-resource-classes)');
      errors.push(errorAt(origin.source, at, message, 'key'));
      continue;
    }
    if (!isFields(raw)) continue;
    const inventory = readInventory(raw);
    if (refusesInventory(inventory)) {
      const message = 'leaves a negative capacity ((total − reserved) × allocation_ratio); Placement refuses it: the reserved value is greater than total';
      errors.push(errorAt(origin.source, 'reserved' in raw ? [...at, 'reserved'] : at, message));
      continue;
    }
    inventories[resourceClass] = inventory;
  }
  return inventories;
}

function at(origin: Origin, ...path: (string | number)[]): Origin {
  return { ...origin, path: [...origin.path, ...path] };
}

/** Child providers, to any depth: each its own inventories and traits (docs/plan-format.md, "Nested resource providers"). */
function readChildProviders(value: unknown, origin: Origin, errors: PlanError[]): ChildProviderSpec[] {
  const providers: ChildProviderSpec[] = [];
  listOf(value).forEach((raw, index) => {
    if (!isFields(raw) || typeof raw.name !== 'string') return;
    const here = at(origin, 'providers', index);
    providers.push({
      name: raw.name,
      inventories: readInventories(raw.inventories, here, errors),
      traits: readTraits(raw.traits, here, errors),
      providers: readChildProviders(raw.providers, here, errors),
    });
  });
  return providers;
}

/** nova/conf/devices.py: `[mdev_<type>] mdev_class` takes VGPU or a custom class. */
const MDEV_CLASS = /^(VGPU|CUSTOM_[A-Z0-9_]+)$/;

function readMdev(value: Fields, origin: Origin, errors: PlanError[]): MdevSpec {
  const here = at(origin, 'mdev');
  const pgpus: PgpuSpec[] = [];
  const addresses = new Map<string, number>();
  listOf(value.pgpus).forEach((raw, index) => {
    if (!isFields(raw) || typeof raw.address !== 'string' || typeof raw.type !== 'string' || typeof raw.available_instances !== 'number') return;
    const address = raw.address.toLowerCase();
    const earlier = addresses.get(address);
    if (earlier !== undefined) {
      errors.push(errorAt(origin.source, [...here.path, 'pgpus', index, 'address'], `pGPU ${raw.address} is already given at pgpus[${earlier}]: one address, one physical GPU`));
      return;
    }
    addresses.set(address, index);
    pgpus.push({ address, type: raw.type, available_instances: raw.available_instances, traits: readTraits(raw.traits, at(here, 'pgpus', index), errors) });
  });
  const mdevClasses: Record<string, string> = {};
  for (const [type, resourceClass] of Object.entries(fieldsOf(value.mdev_classes))) {
    if (typeof resourceClass !== 'string') continue;
    if (MDEV_CLASS.test(resourceClass)) mdevClasses[type] = resourceClass;
    else errors.push(errorAt(origin.source, [...here.path, 'mdev_classes', type], `mdev_class \`${resourceClass}\` must be VGPU or CUSTOM_ followed by upper-case letters, digits and _, as nova.conf requires`));
  }
  const enabledTypes = listOf(value.enabled_types).filter((type): type is string => typeof type === 'string');
  return { enabled_types: enabledTypes, pgpus, mdev_classes: mdevClasses };
}

/** The host's Placement keys, only those it gives, so a plan without them builds the hosts it always did. */
export function readPlacementKeys(host: Fields, origin: Origin, errors: PlanError[]): PlacementKeys {
  const keys: PlacementKeys = {};
  if ('traits' in host) keys.traits = readTraits(host.traits, origin, errors);
  if ('inventories' in host) keys.inventories = readInventories(host.inventories, origin, errors);
  if ('providers' in host) keys.providers = readChildProviders(host.providers, origin, errors);
  if (isFields(host.mdev)) keys.mdev = readMdev(host.mdev, origin, errors);
  return keys;
}
