// ComputeFilter (nova/scheduler/filters/compute_filter.py): a host whose compute service is
// disabled, or not heard from, passes no build. Zed's request filter drops disabled hosts
// before Placement is asked; either way the host is never weighed (docs/semantics.md, "Hosts
// down and up").
import type { ComputeNode } from '../../core/compute-node.ts';

/** claimplan's words for what ComputeFilter logs of the host, or null when its service is up and enabled. */
export function computeFilterRefusal(node: ComputeNode): string | null {
  if (!node.serviceDown) return null;
  return node.spec.disabled === true ? 'the compute service is disabled (ComputeFilter)' : 'the compute service is down (ComputeFilter)';
}
