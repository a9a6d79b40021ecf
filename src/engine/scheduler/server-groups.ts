// Server groups as Nova's scheduler sees them (docs/semantics.md, "Server groups"): which
// members are on which host, and the hard policies' filters
// (nova/scheduler/filters/affinity_filter.py); the soft policies' weighers
// (weighers/soft-affinity.ts, weighers/soft-anti-affinity.ts) count the members per host here.
import type { ComputeNode } from '../compute-node.ts';
import type { ServerGroup } from '../model.ts';

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

  /** How many of the group's members are on the host: what the soft policies' weighers count. */
  membersOn(group: ServerGroup, node: ComputeNode): number {
    return this.members.get(group.name)!.get(node.name)?.length ?? 0;
  }
}
