// ServerGroupAntiAffinityFilter (nova/scheduler/filters/affinity_filter.py): a host passes
// while it has fewer than the group's max_server_per_host members (default 1). A member that
// is moving passes on the host it is on, as the filter lets a resize stay on its source.
import type { ServerGroup } from '../../core/model.ts';

/** Why the filter refuses a host with `here` members on it, in claimplan's words; null when it passes. */
export function antiAffinityRefusal(group: ServerGroup, here: readonly string[], moving: string | null): string | null {
  if (here.length < group.max_server_per_host || (moving !== null && here.includes(moving))) return null;
  const most = group.max_server_per_host > 1 ? ` (max_server_per_host ${group.max_server_per_host})` : '';
  return `server group ${group.name} (anti-affinity) already has ${here.join(', ')} here${most}`;
}
