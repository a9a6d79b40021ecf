// A claim on one compute node: nova/compute/claims.py `Claim._claim_test`.
import { claimMessage } from '../capacity-model.ts';
import type { HostTest } from '../../core/host-test.ts';
import { requestedResources, type ComputeNode } from '../../core/compute-node.ts';
import { formatInteger } from '../../core/python-format.ts';
import type { RequestSpec } from '../../core/request-spec.ts';
import { testResource } from './claim-tests.ts';

/** What the legacy claim reads of a request: the flavor and its NUMA and PCI request. */
export type FlavorRequest = Pick<RequestSpec, 'flavor' | 'topology'>;

/**
 * Runs the five tests in Nova's order and keeps the reasons that are not empty. The
 * legacy scheduler has no candidates stage: every host it tries is one.
 */
export function testClaim(node: ComputeNode, request: FlavorRequest, withAudit: boolean): HostTest {
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
  const message = reasons.length === 0 ? null : claimMessage(reasons);
  audit?.push(message ?? 'Claim successful');
  return { requested, allocation: null, topologyClaim: reasons.length === 0 ? topology.claim : null, reasons, message, candidate: true, audit };
}
