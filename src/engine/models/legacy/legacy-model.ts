// The legacy capacity model: the seed's claim on the compute node (memory, disk and vcpus
// against the limits the scheduler's filters set, then NUMA and PCI), chosen among hosts
// by the scheduler with the same test (docs/semantics.md, "The claim test").
import { topologyMisses, type CapacityModel, type HostMiss, type IndexPlan } from '../capacity-model.ts';
import type { Held, HostTest } from '../../core/host-test.ts';
import { nominalResources, requestedResources, type ComputeNode } from '../../core/compute-node.ts';
import type { CauseName, CloudSettings, HostSpec, Limits } from '../../core/model.ts';
import type { RequestSpec } from '../../core/request-spec.ts';
import { headroom, shortfall } from './claim-tests.ts';
import { testClaim } from './claim.ts';
import { limitsFor } from './limits.ts';

const RESOURCE_CAUSES = [
  { cause: 'memory', unit: 'MB' },
  { cause: 'disk', unit: 'GB' },
  { cause: 'vcpu', unit: 'VCPU' },
] as const;
const CAUSE_ORDER: readonly CauseName[] = ['memory', 'disk', 'vcpu', 'numa', 'pci'];

class LegacyModel implements CapacityModel {
  readonly name = 'legacy';

  limits(spec: HostSpec, settings: CloudSettings): Limits {
    return limitsFor(spec, settings);
  }

  provider(): null {
    return null;
  }

  claimOnNamedHost(node: ComputeNode, request: RequestSpec, _consumer: string, withAudit: boolean): HostTest {
    return testClaim(node, request, withAudit);
  }

  /** The scheduler runs the claim itself on each host it tries, so the claim's lines are already there. */
  testForScheduler(node: ComputeNode, request: RequestSpec, withAudit: boolean): HostTest {
    return testClaim(node, request, withAudit);
  }

  claimAudit(): string[] {
    return [];
  }

  commit(node: ComputeNode, held: Held): void {
    node.hold(held, 1);
  }

  release(node: ComputeNode, held: Held): void {
    node.hold(held, -1);
  }

  addExisting(node: ComputeNode, request: RequestSpec): Held {
    const requested = requestedResources(request.flavor, node);
    node.updateUsage(requested, 1);
    const topologyClaim = node.topology.addExisting(request.topology, node.settings.packing_host_numa_cells_allocation_strategy);
    return { requested, allocation: null, topologyClaim };
  }

  misses(node: ComputeNode, request: RequestSpec): HostMiss[] {
    const requested = requestedResources(request.flavor, node);
    const { limits } = node;
    const shorts = [
      shortfall(node.memory_mb_used, limits.memory_mb, requested.memory_mb),
      shortfall(node.local_gb_used, limits.disk_gb, requested.disk_gb),
      shortfall(node.vcpus_used, limits.vcpu, requested.vcpus),
    ];
    const misses: HostMiss[] = [];
    RESOURCE_CAUSES.forEach(({ cause, unit }, resource) => {
      if (shorts[resource] > 0) misses.push({ cause, short: shorts[resource], unit });
    });
    const topology = node.topology.test(request.topology, limits.numa_topology, node.settings.packing_host_numa_cells_allocation_strategy);
    return [...misses, ...topologyMisses(topology.reasons)];
  }

  causeOrder(): readonly CauseName[] {
    return CAUSE_ORDER;
  }

  /** One index for every flavor: headroom in memory, disk and vcpus, net of the host's overhead. */
  indexPlans(request: RequestSpec): IndexPlan[] {
    const demand = nominalResources(request);
    return [
      {
        key: 'legacy',
        dimensions: 3,
        member: () => true,
        rooms: (node, into, at) => {
          const { limits, spec } = node;
          into[at] = headroom(node.memory_mb_used, limits.memory_mb) - spec.overhead.memory_mb;
          into[at + 1] = headroom(node.local_gb_used, limits.disk_gb) - spec.overhead.disk_gb;
          into[at + 2] = headroom(node.vcpus_used, limits.vcpu);
        },
        demand: [demand.memory_mb, demand.disk_gb, demand.vcpus],
      },
    ];
  }

  /**
   * The legacy tests are linear in the number of claims, so with integer usage, n more
   * claims pass while used + n * requested <= limit; one fewer, to leave the last to the
   * tests. Null when no limit bounds the flavor.
   */
  buildsThatCertainlyFit(node: ComputeNode, _request: RequestSpec, test: HostTest): number | null {
    const bounds: number[] = [];
    const bound = (used: number, limit: number | null, asked: number) => {
      if (limit !== null && asked > 0) bounds.push(Math.max(0, Math.floor((limit - used) / asked) - 1));
    };
    const { limits } = node;
    bound(node.memory_mb_used, limits.memory_mb, test.requested.memory_mb);
    bound(node.local_gb_used, limits.disk_gb, test.requested.disk_gb);
    bound(node.vcpus_used, limits.vcpu, test.requested.vcpus);
    return bounds.length === 0 ? null : Math.min(...bounds);
  }
}

export const LEGACY_MODEL: CapacityModel = new LegacyModel();
