// A compute node's resource provider inventory: what Zed's libvirt driver reports for it
// (nova/virt/libvirt/driver.py `update_provider_tree`), with the classes the plan gives
// in place of the derived ones (docs/plan-format.md, "The Placement model").
import type { CloudSettings, HostSpec, Inventory } from '../../core/model.ts';

/** Placement's defaults for a field an inventory omits: placement/handlers/inventory.py INVENTORY_DEFAULTS. */
export const INVENTORY_DEFAULTS: Readonly<Omit<Inventory, 'total'>> = Object.freeze({
  reserved: 0,
  min_unit: 1,
  max_unit: 2147483647,
  step_size: 1,
  allocation_ratio: 1.0,
});

/** nova/conf/compute.py `initial_*_allocation_ratio`: what a ratio left unset becomes. */
export const INITIAL_ALLOCATION_RATIOS = { cpu: 16.0, ram: 1.5, disk: 1.0 } as const;

/**
 * `(total - reserved) * allocation_ratio`, unrounded: the figure Placement compares
 * `used + amount` with, both when it lists candidates and when it writes an allocation.
 */
export function capacityOf(inventory: Inventory): number {
  return (inventory.total - inventory.reserved) * inventory.allocation_ratio;
}

/**
 * Whether Placement refuses to store the inventory: placement/handlers/inventory.py
 * `_validate_inventory_capacity` at microversion 1.26 and later, on Inventory.capacity,
 * which truncates (a reserve just above the total, times a ratio below 1, passes).
 */
export function refusesInventory(inventory: Inventory): boolean {
  return Math.trunc(capacityOf(inventory)) < 0;
}

/**
 * nova/virt/driver.py `_get_allocation_ratios`: a ratio set (and not 0, which Python reads
 * as unset) wins; otherwise the `initial_*` default, since claimplan's providers are new.
 */
export function allocationRatio(configured: number | null, initial: number): number {
  return configured ? configured : initial;
}

/** nova/compute/utils.py `convert_mb_to_ceil_gb`. */
export function megabytesToCeilGigabytes(megabytes: number): number {
  return megabytes ? Math.ceil(megabytes / 1024) : 0;
}

function reported(total: number, reserved: number, allocation_ratio: number): Inventory {
  return { total, reserved, min_unit: 1, max_unit: total, step_size: 1, allocation_ratio };
}

/**
 * The driver's shared and dedicated CPU counts: `_get_vcpu_available` gives the shared set
 * (every CPU when neither set is configured; none when only a dedicated set is),
 * `_get_pcpu_available` the dedicated set. A host without NUMA cells has only `vcpus`.
 */
function cpuCounts(spec: HostSpec): { vcpus: number; pcpus: number } {
  if (!spec.numa || spec.numa.length === 0) return { vcpus: spec.vcpus, pcpus: 0 };
  const shared = spec.numa.reduce((sum, cell) => sum + cell.cpus.length, 0);
  const dedicated = spec.numa.reduce((sum, cell) => sum + cell.pcpus.length, 0);
  return { vcpus: shared === 0 && dedicated === 0 ? spec.vcpus : shared, pcpus: dedicated };
}

/**
 * `update_provider_tree`'s MEMORY_MB, VCPU, PCPU and DISK_GB, in its order, each with
 * max_unit = total; a class with a total of 0 is not reported, as Placement forbids it.
 * reserved_host_cpus is not a claimplan setting, so VCPU reserves nothing.
 */
export function derivedInventories(spec: HostSpec, settings: CloudSettings): Map<string, Inventory> {
  const inventories = new Map<string, Inventory>();
  const { vcpus, pcpus } = cpuCounts(spec);
  if (spec.memory_mb) {
    inventories.set(
      'MEMORY_MB',
      reported(spec.memory_mb, settings.reserved_host_memory_mb, allocationRatio(settings.ram_allocation_ratio, INITIAL_ALLOCATION_RATIOS.ram)),
    );
  }
  if (vcpus) inventories.set('VCPU', reported(vcpus, 0, allocationRatio(settings.cpu_allocation_ratio, INITIAL_ALLOCATION_RATIOS.cpu)));
  if (pcpus) inventories.set('PCPU', reported(pcpus, 0, 1));
  if (spec.local_gb) {
    inventories.set(
      'DISK_GB',
      reported(
        spec.local_gb,
        megabytesToCeilGigabytes(settings.reserved_host_disk_mb),
        allocationRatio(settings.disk_allocation_ratio, INITIAL_ALLOCATION_RATIOS.disk),
      ),
    );
  }
  return inventories;
}

/**
 * The provider's inventory as nova-compute writes it: the derived classes, each class the
 * plan gives replacing its derived one (new classes after them, in the plan's order), in
 * one `PUT /resource_providers/{uuid}/inventories`. Null when Placement refuses it: one
 * class's reserve above its total refuses them all, and the provider keeps none.
 */
export function providerInventories(spec: HostSpec, settings: CloudSettings): Map<string, Inventory> | null {
  const inventories = derivedInventories(spec, settings);
  for (const [resourceClass, inventory] of Object.entries(spec.inventories ?? {})) inventories.set(resourceClass, inventory);
  for (const inventory of inventories.values()) if (refusesInventory(inventory)) return null;
  return inventories;
}
