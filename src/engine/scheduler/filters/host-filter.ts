// What every scheduler filter sees (nova/scheduler/filters/__init__.py `BaseHostFilter`): the
// host as a HostState, with its aggregates, and the request as a RequestSpec, with its
// flavor, image, zone, project and hints (docs/semantics.md, "Filters").
import type { ComputeNode } from '../../core/compute-node.ts';
import type { CloudSettings, Flavor, ImageSpec } from '../../core/model.ts';
import type { HostAggregate } from '../host-aggregates.ts';

export interface FilterHost {
  node: ComputeNode;
  aggregates: readonly HostAggregate[];
}

export interface FilterRequest {
  flavor: Flavor;
  image: ImageSpec | null;
  /** the zone the build asked for, or default_schedule_zone; null: anywhere */
  availability_zone: string | null;
  /** null: a project no aggregate names */
  project: string | null;
  /** the hosts holding the instances `same_host` names; null without the hint */
  sameHost: ReadonlySet<ComputeNode> | null;
  /** the hosts holding the instances `different_host` names; null without the hint */
  differentHost: ReadonlySet<ComputeNode> | null;
}

/**
 * One filter: its class name, and why it refuses a host (claimplan's words after Nova's
 * debug log), or null when the host passes. `usage` filters read what the host runs now,
 * so their verdict is taken again for every request; the others' depend only on the
 * host's fixed facts and the request, and are kept per request.
 */
export interface HostFilter {
  name: string;
  readsUsage: boolean;
  /** Whether the filter can refuse any host of a request with these hints; absent: always. A hint's filter passes every host without its hint. */
  actsOn?(hints: Pick<FilterRequest, 'sameHost' | 'differentHost'>): boolean;
  refusal(host: FilterHost, request: FilterRequest, settings: CloudSettings): string | null;
}
