// Server groups as Nova's scheduler sees them (docs/semantics.md, "Server groups"): which
// members are on which host, the hard policies' filters
// (nova/scheduler/filters/affinity_filter.py) and the soft policies' weighers
// (nova/scheduler/weights/affinity.py), weighed with the RAM weigher as nova/weights.py
// does: each weigher's weights normalised over the hosts that passed, times its multiplier.
import type { ComputeNode } from './compute-node.ts';
import type { ServerGroup, Weigher } from './model.ts';

export class ServerGroupMembers {
  private constructor(
    private readonly groups: ReadonlyMap<string, ServerGroup>,
    /** per group, per host name, the members there in the order they arrived */
    private readonly members: Map<string, Map<string, string[]>>,
  ) {}

  static of(groups: readonly ServerGroup[]): ServerGroupMembers {
    return new ServerGroupMembers(new Map(groups.map((group) => [group.name, group])), new Map(groups.map((group) => [group.name, new Map()])));
  }

  clone(): ServerGroupMembers {
    const members = new Map([...this.members].map(([group, hosts]) => [group, new Map([...hosts].map(([host, names]) => [host, [...names]]))]));
    return new ServerGroupMembers(this.groups, members);
  }

  group(name: string): ServerGroup {
    const group = this.groups.get(name);
    // The plan loader rejects unknown group names with a located error; reaching here is a bug.
    if (group === undefined) throw new Error(`unknown server group ${JSON.stringify(name)}`);
    return group;
  }

  join(group: string, instance: string, node: ComputeNode): void {
    const hosts = this.members.get(group)!;
    const here = hosts.get(node.name);
    // Each state owns its arrays (clone copies them), so a join appends in place.
    if (here) here.push(instance);
    else hosts.set(node.name, [instance]);
  }

  leave(group: string, instance: string, node: ComputeNode): void {
    const hosts = this.members.get(group)!;
    const left = (hosts.get(node.name) ?? []).filter((name) => name !== instance);
    if (left.length > 0) hosts.set(node.name, left);
    else hosts.delete(node.name);
  }

  /**
   * Why a hard policy's filter refuses the host, in claimplan's words; null when it passes.
   * Anti-affinity: fewer than max_server_per_host members there. Affinity: on a host that
   * has members, once any has (the group's hosts count every member, including one on a
   * host that is down). A member moving passes anti-affinity on the host it is on, as the
   * filter lets a resize stay on its source.
   */
  refusal(group: ServerGroup, node: ComputeNode, moving: string | null = null): string | null {
    const hosts = this.members.get(group.name)!;
    if (group.policy === 'anti-affinity') {
      const here = hosts.get(node.name) ?? [];
      if (here.length < group.max_server_per_host || (moving !== null && here.includes(moving))) return null;
      const most = group.max_server_per_host > 1 ? ` (max_server_per_host ${group.max_server_per_host})` : '';
      return `server group ${group.name} (anti-affinity) already has ${here.join(', ')} here${most}`;
    }
    if (group.policy === 'affinity' && hosts.size > 0 && !hosts.has(node.name)) {
      return `server group ${group.name} (affinity) has its members on ${[...hosts.keys()].join(', ')}, not here`;
    }
    return null;
  }

  /**
   * The best of the hosts that passed, listed in inventory order: the RAM weigher's weight
   * (free_ram_mb, multiplier +1 to spread, −1 to pack) and under a soft policy the group
   * weigher's (members on the host, negated for soft-anti-affinity, multiplier 1.0), each
   * normalised to 0…1 over these hosts; ties to the host listed first.
   */
  weighed<Passed extends { node: ComputeNode }>(group: ServerGroup, passed: readonly Passed[], weigher: Weigher): Passed | null {
    const ram = normalised(passed.map(({ node }) => node.free_ram_mb));
    const soft = group.policy === 'soft-affinity' ? 1 : group.policy === 'soft-anti-affinity' ? -1 : 0;
    const hosts = this.members.get(group.name)!;
    const members = normalised(passed.map(({ node }) => soft * (hosts.get(node.name)?.length ?? 0)));
    const ramMultiplier = weigher === 'spread' ? 1 : -1;
    let best: Passed | null = null;
    let bestWeight = -Infinity;
    passed.forEach((candidate, position) => {
      const weight = ramMultiplier * ram[position] + members[position];
      if (weight > bestWeight) {
        best = candidate;
        bestWeight = weight;
      }
    });
    return best;
  }
}

/** nova/weights.py `normalize`: to 0…1 between the lowest and the highest; all 0 when they are equal. */
function normalised(weights: readonly number[]): number[] {
  const lowest = weights.reduce((low, weight) => Math.min(low, weight), Infinity);
  const highest = weights.reduce((high, weight) => Math.max(high, weight), -Infinity);
  if (lowest === highest) return weights.map(() => 0);
  return weights.map((weight) => (weight - lowest) / (highest - lowest));
}
