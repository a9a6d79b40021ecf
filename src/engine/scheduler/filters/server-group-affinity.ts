// ServerGroupAffinityFilter (nova/scheduler/filters/affinity_filter.py): once the group has
// members, only the hosts they are on pass (InstanceGroup.get_hosts counts a member on a host
// that is down too).
import type { ServerGroup } from '../../core/model.ts';

/** Why the filter refuses `host`, given the hosts the group's members are on, in claimplan's words; null when it passes. */
export function affinityRefusal(group: ServerGroup, memberHosts: readonly string[], host: string): string | null {
  if (memberHosts.length === 0 || memberHosts.includes(host)) return null;
  return `server group ${group.name} (affinity) has its members on ${memberHosts.join(', ')}, not here`;
}
