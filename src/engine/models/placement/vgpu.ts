// A host's pGPUs as Zed's libvirt driver reports them to Placement: one child provider per
// physical GPU under the compute node's, with a VGPU (or `[mdev_<type>] mdev_class`)
// inventory of the vGPUs it can make (nova/virt/libvirt/driver.py
// `_get_supported_vgpu_types`, `_get_vgpu_type_per_pgpu`, `_get_gpu_inventories`,
// `_ensure_pgpu_providers`; docs/plan-format.md, "Nested resource providers").
import type { ChildProviderSpec } from '../../core/model.ts';

/** A physical GPU as the plan gives it: its PCI address, the mdev type it offers and how many of them. */
export interface PgpuSpec {
  address: string;
  type: string;
  available_instances: number;
  /** traits an operator sets on the pGPU's provider; the driver sets none */
  traits: string[];
}

/** A host's `mdev:` key: `[devices] enabled_mdev_types`, its pGPUs, `[mdev_<type>] mdev_class`. */
export interface MdevSpec {
  enabled_types: string[];
  pgpus: PgpuSpec[];
  /** mdev type → resource class; a type not named gives VGPU, mdev_class's default */
  mdev_classes: Record<string, string>;
}

/**
 * `_get_supported_vgpu_types`: each enabled type's `[mdev_<type>] device_addresses` (here
 * the pGPUs the plan gives that type) map those pGPUs to it; when more than one type is
 * enabled and one of them has no address, the driver keeps only the first type, for every
 * pGPU, as VGPU.
 */
function pgpuTypes(mdev: MdevSpec): { supported: string[]; typeOf: Map<string, string> } {
  const typeOf = new Map<string, string>();
  for (const type of mdev.enabled_types) {
    const addresses = mdev.pgpus.filter((pgpu) => pgpu.type === type).map((pgpu) => pgpu.address);
    if (addresses.length === 0) return { supported: mdev.enabled_types.slice(0, 1), typeOf: new Map() };
    for (const address of addresses) typeOf.set(address, type);
  }
  return { supported: mdev.enabled_types, typeOf };
}

/** libvirt's name for a PCI device, which names the pGPU's provider: `pci_0000_81_00_0`. */
export function libvirtDeviceName(address: string): string {
  return `pci_${address.replace(/[:.]/g, '_')}`;
}

/**
 * The pGPU providers the driver reports for the host, in the plan's order of pGPUs: each
 * pGPU counts the available instances of the one type the driver gives it (with a single
 * enabled type, that type whatever the addresses), total = max_unit = that count, ratio 1;
 * a pGPU left with none has no provider, as Placement refuses a total of 0.
 */
export function vgpuProviders(hostName: string, mdev: MdevSpec): ChildProviderSpec[] {
  if (mdev.enabled_types.length === 0) return [];
  const { supported, typeOf } = pgpuTypes(mdev);
  const providers: ChildProviderSpec[] = [];
  for (const pgpu of mdev.pgpus) {
    const type = supported.length === 1 ? supported[0] : typeOf.get(pgpu.address);
    const total = pgpu.type === type ? pgpu.available_instances : 0;
    if (total === 0) continue;
    // mdev_class_mapping is a defaultdict of VGPU: an address no type named gives VGPU.
    const resourceClass = typeOf.has(pgpu.address) ? (mdev.mdev_classes[typeOf.get(pgpu.address)!] ?? 'VGPU') : 'VGPU';
    providers.push({
      name: `${hostName}_${libvirtDeviceName(pgpu.address)}`,
      inventories: { [resourceClass]: { total, reserved: 0, min_unit: 1, max_unit: total, step_size: 1, allocation_ratio: 1.0 } },
      traits: [...pgpu.traits],
      providers: [],
    });
  }
  return providers;
}
