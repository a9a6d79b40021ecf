// "How many more of flavor F fit": claims taken one after another on a copy of each
// node until the claim engine refuses one (docs/output.md, "fit").
import { requestedResources, testClaim, type FlavorRequest } from './claim.ts';
import type { ComputeNode } from './compute-node.ts';
import type { Limits, Resources } from './model.ts';
import type { CloudState } from './cloud-state.ts';

export interface HostFit {
  host: string;
  /** null: no limit bounds this flavor on this host */
  count: number | null;
  /** the reasons of the first claim refused; empty when unbounded */
  bottleneck: string[];
}

export interface FlavorFit {
  flavor: string;
  /** null when any host is unbounded */
  total: number | null;
  hosts: HostFit[];
}

/**
 * Claims that certainly pass before the tests need to run: the legacy tests are linear
 * in the number of claims, so with integer usage, n more claims pass while
 * used + n * requested <= limit. The claim engine then decides the rest one by one,
 * so the count and the bottleneck are the engine's own, never this estimate's.
 */
function claimsThatCertainlyFit(node: ComputeNode, requested: Resources, limits: Limits): number | null {
  const bounds: number[] = [];
  const bound = (used: number, limit: number | null, asked: number) => {
    if (limit !== null && asked > 0) bounds.push(Math.max(0, Math.floor((limit - used) / asked) - 1));
  };
  bound(node.memory_mb_used, limits.memory_mb, requested.memory_mb);
  bound(node.local_gb_used, limits.disk_gb, requested.disk_gb);
  bound(node.vcpus_used, limits.vcpu, requested.vcpus);
  return bounds.length === 0 ? null : Math.min(...bounds);
}

// A NUMA or PCI flavor is fitted claim by claim; cells and pools are finite, but a
// host with no limits at all and only shared CPUs would never refuse.
const STEP_LIMIT = 100_000;

function fitOnNode(original: ComputeNode, request: FlavorRequest): HostFit {
  const node = original.clone();
  const first = testClaim(node, request, false);
  if (first.reasons.length > 0) return { host: node.name, count: 0, bottleneck: first.reasons };
  const requested = requestedResources(request.flavor, node);
  let count = 0;
  // A NUMA or PCI claim changes what the next one can have: those go claim by claim.
  if (first.topologyClaim === null) {
    const certain = claimsThatCertainlyFit(node, requested, node.limits);
    if (certain === null) return { host: node.name, count: null, bottleneck: [] };
    if (certain > 0) {
      // One update standing for `certain` claims; only this discarded copy sees it.
      node.updateUsage(
        { memory_mb: requested.memory_mb * certain, disk_gb: requested.disk_gb * certain, vcpus: requested.vcpus * certain },
        1,
      );
      count = certain;
    }
  }
  for (;;) {
    const test = testClaim(node, request, false);
    if (test.reasons.length > 0) return { host: node.name, count, bottleneck: test.reasons };
    if (count >= STEP_LIMIT) return { host: node.name, count: null, bottleneck: [] };
    node.updateUsage(test.requested, 1);
    if (test.topologyClaim) node.topology.apply(test.topologyClaim);
    count++;
  }
}

/** Fit of one flavor over the given hosts, each from the state as it is now. */
export function fitFlavor(state: CloudState, flavor: string, hosts: string[]): FlavorFit {
  const request = state.flavorRequest(flavor);
  // A flavor the API refuses fits nowhere, for the API's reason.
  const { refusal } = request.topology;
  const fits = hosts.map((host) => (refusal !== null ? { host, count: 0, bottleneck: [refusal] } : fitOnNode(state.nodeNamed(host), request)));
  const total = fits.some((fit) => fit.count === null) ? null : fits.reduce((sum, fit) => sum + (fit.count ?? 0), 0);
  return { flavor, total, hosts: fits };
}
