// A claim on one compute node: nova/compute/claims.py `Claim._claim_test`.
import { testResource } from './claim-tests.ts';
import type { ComputeNode } from './compute-node.ts';
import { formatInteger } from './python-format.ts';
import type { Flavor, Resources } from './model.ts';
import type { TopologyClaim, TopologyRequest } from './topology/index.ts';

/** A flavor with what Nova derives from it once: its NUMA and PCI request. */
export interface FlavorRequest {
  flavor: Flavor;
  topology: TopologyRequest;
}

export interface ClaimTest {
  requested: Resources;
  /** Nova's reasons, empty when the claim succeeds */
  reasons: string[];
  topologyClaim: TopologyClaim | null;
  audit: string[] | null;
}

/** The Claim's properties: memory and disk include the driver overhead; swap is not claimed. */
export function requestedResources(flavor: Flavor, node: ComputeNode): Resources {
  const { overhead } = node.spec;
  return {
    memory_mb: flavor.memory_mb + overhead.memory_mb,
    disk_gb: flavor.root_gb + flavor.ephemeral_gb + overhead.disk_gb,
    vcpus: flavor.vcpus,
  };
}

/** The exception text of ComputeResourcesUnavailable. */
export function claimMessage(reasons: string[]): string {
  return `Insufficient compute resources: ${reasons.join('; ')}.`;
}

/** Runs the five tests in Nova's order and keeps the reasons that are not empty. */
export function testClaim(node: ComputeNode, request: FlavorRequest, withAudit: boolean): ClaimTest {
  const requested = requestedResources(request.flavor, node);
  const audit = withAudit ? [] as string[] : null;
  audit?.push(
    `Attempting claim: memory ${formatInteger(requested.memory_mb)} MB, ` +
      `disk ${formatInteger(requested.disk_gb)} GB, vcpus ${formatInteger(requested.vcpus)} CPU`,
  );
  const { limits } = node;
  const reasons: string[] = [];
  const memory = testResource(
    { type: 'memory', total: node.spec.memory_mb, used: node.memory_mb_used, requested: requested.memory_mb, limit: limits.memory_mb },
    audit,
  );
  const disk = testResource(
    { type: 'disk', total: node.spec.local_gb, used: node.local_gb_used, requested: requested.disk_gb, limit: limits.disk_gb },
    audit,
  );
  const vcpu = testResource(
    { type: 'vcpu', total: node.spec.vcpus, used: node.vcpus_used, requested: requested.vcpus, limit: limits.vcpu },
    audit,
  );
  for (const reason of [memory, disk, vcpu]) if (reason !== null) reasons.push(reason);
  const topology = node.topology.test(
    request.topology,
    limits.numa_topology,
    node.settings.packing_host_numa_cells_allocation_strategy,
  );
  reasons.push(...topology.reasons);
  audit?.push(reasons.length === 0 ? 'Claim successful' : claimMessage(reasons));
  return { requested, reasons, topologyClaim: reasons.length === 0 ? topology.claim : null, audit };
}
