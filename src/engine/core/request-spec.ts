// A build's request as the scheduler and the compute node receive it (Nova's RequestSpec):
// the flavor with what Nova derives from it once — its NUMA and PCI request and, for the
// Placement model, the resources and traits it asks Placement for.
import type { Flavor } from './model.ts';
import { placementRequestFor, type PlacementRequest } from '../models/placement/resource-request.ts';
import type { PlacementCatalog } from '../models/placement/provider.ts';
import type { TopologyRequest } from '../topology/host-topology.ts';

export interface RequestSpec {
  /** what explanations and indexes are kept per: the flavor, and whether the root disk is a volume */
  key: string;
  flavor: Flavor;
  topology: TopologyRequest;
  bootFromVolume: boolean;
  placement: PlacementRequest;
  /** the custom classes and traits Placement knows in this cloud */
  catalog: PlacementCatalog;
}

export function requestSpecFor(flavor: Flavor, topology: TopologyRequest, bootFromVolume: boolean, catalog: PlacementCatalog): RequestSpec {
  return {
    key: bootFromVolume ? `${flavor.name}\u0000volume` : flavor.name,
    flavor,
    topology,
    bootFromVolume,
    placement: placementRequestFor(flavor, topology, bootFromVolume),
    catalog,
  };
}
