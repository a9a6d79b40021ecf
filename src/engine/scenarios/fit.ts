// "How many more of flavor F fit": builds taken one after another on a copy of each
// node until the host's capacity model refuses one (docs/output.md, "fit"), by the
// scheduler's own test of that host.
import type { CapacityModel } from '../models/capacity-model.ts';
import type { Held } from '../core/host-test.ts';
import type { ComputeNode } from '../core/compute-node.ts';
import type { CloudState } from '../core/cloud-state.ts';
import type { ResourceAmounts } from '../core/model.ts';
import type { RequestSpec } from '../core/request-spec.ts';

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

function times(held: Held, count: number): Held {
  const { requested } = held;
  const scaled = (amounts: ResourceAmounts) => Object.fromEntries(Object.entries(amounts).map(([resourceClass, amount]) => [resourceClass, amount * count]));
  return {
    requested: { memory_mb: requested.memory_mb * count, disk_gb: requested.disk_gb * count, vcpus: requested.vcpus * count },
    allocation: held.allocation && scaled(held.allocation),
    ...(held.providers ? { providers: held.providers.map(({ provider, resources }) => ({ provider, resources: scaled(resources) })) } : {}),
    topologyClaim: null,
  };
}

// A NUMA or PCI flavor is fitted claim by claim; cells and pools are finite, but a
// host with no limits at all and only shared CPUs would never refuse.
const STEP_LIMIT = 100_000;

function fitOnNode(original: ComputeNode, model: CapacityModel, request: RequestSpec): HostFit {
  const node = original.clone();
  const first = model.testForScheduler(node, request, false);
  if (first.reasons.length > 0) return { host: node.name, count: 0, bottleneck: first.reasons };
  let count = 0;
  // A NUMA or PCI claim changes what the next one can have: those go claim by claim.
  if (first.topologyClaim === null) {
    const certain = model.buildsThatCertainlyFit(node, request, first);
    if (certain === null) return { host: node.name, count: null, bottleneck: [] };
    if (certain > 0) {
      // One commit standing for `certain` builds; only this discarded copy sees it.
      model.commit(node, times(first, certain));
      count = certain;
    }
  }
  for (;;) {
    const test = model.testForScheduler(node, request, false);
    if (test.reasons.length > 0) return { host: node.name, count, bottleneck: test.reasons };
    if (count >= STEP_LIMIT) return { host: node.name, count: null, bottleneck: [] };
    model.commit(node, test);
    count++;
  }
}

/**
 * Fit of one flavor over the given hosts, each from the state as it is now; a host the
 * scheduler's filters refuse the flavor (in `zone`, when given) fits none, for the filter's reason.
 */
export function fitFlavor(state: CloudState, flavor: string, hosts: string[], zone: string | null = null): FlavorFit {
  const request = state.requestSpec(flavor, false);
  // A flavor the API refuses fits nowhere, for the API's reason.
  const { refusal } = request.topology;
  const fits = hosts.map((host) => {
    if (refusal !== null) return { host, count: 0, bottleneck: [refusal] };
    const node = state.nodeNamed(host);
    const filtered = state.filterRefusal(request, node, { availability_zone: zone });
    if (filtered !== null) return { host, count: 0, bottleneck: [filtered] };
    const fit = fitOnNode(node, state.modelOf(node), request);
    // The instance count filters stop a host before its resources do when their bound is lower.
    const allowed = state.instancesAllowed(node);
    if (allowed === null || (fit.count !== null && fit.count <= allowed.more)) return fit;
    return { host, count: allowed.more, bottleneck: [`the host would run ${allowed.max} instances, max_instances_per_host is ${allowed.max} (${allowed.filter})`] };
  });
  const total = fits.some((fit) => fit.count === null) ? null : fits.reduce((sum, fit) => sum + (fit.count ?? 0), 0);
  return { flavor, total, hosts: fits };
}
