// A host's Placement keys (docs/plan-format.md, "The Placement model"): the traits of its
// resource provider and the inventories the plan gives in place of the derived ones,
// each checked as Placement checks it, with what an inventory omits filled from
// Placement's defaults.
import type { Inventory } from '../engine/model.ts';
import { INVENTORY_DEFAULTS, refusesInventory } from '../engine/placement/inventory.ts';
import { STANDARD_RESOURCE_CLASSES, STANDARD_TRAITS } from '../engine/placement/standard-names.ts';
import { didYouMean } from './did-you-mean.ts';
import type { PlanError } from './errors.ts';
import { fieldsOf, isFields, listOf, type Fields } from './fields.ts';
import { errorAt, type Origin } from './source.ts';

export interface PlacementKeys {
  traits?: string[];
  inventories?: Record<string, Inventory>;
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

/** The host's Placement keys, only those it gives, so a plan without them builds the hosts it always did. */
export function readPlacementKeys(host: Fields, origin: Origin, errors: PlanError[]): PlacementKeys {
  const keys: PlacementKeys = {};
  if ('traits' in host) keys.traits = readTraits(host.traits, origin, errors);
  if ('inventories' in host) keys.inventories = readInventories(host.inventories, origin, errors);
  return keys;
}
