// The seam between the legacy claim (memory, disk, vcpu) and Nova's NUMA and PCI
// tests (`_test_numa_topology`, `_test_pci`). PLACEHOLDER until NUMA/PCI land:
// flavors ask for no topology and hosts report none.
import type {
  Flavor,
  HostSpec,
  InstanceNumaPlacement,
  NumaCellUsage,
  NumaTopologyLimits,
  PciAlias,
  PciDevicesTaken,
  PciPoolUsage,
} from '../model.ts';

/** What a flavor asks of NUMA cells and PCI pools, built once per flavor. */
export interface TopologyRequest {
  flavor: string;
}

/** What one claim took from cells and pools, so a delete can give it back. */
export interface TopologyClaim {
  numa: InstanceNumaPlacement | null;
  pci: PciDevicesTaken[] | null;
}

export interface TopologyTest {
  /** Nova's reasons, in `_test_numa_topology` then `_test_pci` order */
  reasons: string[];
  claim: TopologyClaim | null;
}

/** Nova's numa_get_constraints and PCI alias parsing; an error is an input error. */
export function topologyRequestFor(flavor: Flavor, _aliases: PciAlias[]): TopologyRequest | { error: string } {
  return { flavor: flavor.name };
}

export class HostTopology {
  static fromSpec(_spec: HostSpec): HostTopology {
    return new HostTopology();
  }

  test(_request: TopologyRequest, _limits: NumaTopologyLimits | null, _packing: boolean): TopologyTest {
    return { reasons: [], claim: null };
  }

  /** Counts an instance already on the host, as Nova's audit does: no test. */
  addExisting(_request: TopologyRequest, _packing: boolean): TopologyClaim | null {
    return null;
  }

  apply(_claim: TopologyClaim): void {}

  release(_claim: TopologyClaim): void {}

  clone(): HostTopology {
    return new HostTopology();
  }

  usage(): { numa_cells: NumaCellUsage[] | null; pci_pools: PciPoolUsage[] | null } {
    return { numa_cells: null, pci_pools: null };
  }
}
