// Server groups as Nova's scheduler sees them (docs/semantics.md, "Server groups"): which
// members are on which host, for the hard policies' filters (filters/server-group-*.ts) and
// the soft policies' weighers (weighers/soft-affinity.ts, weighers/soft-anti-affinity.ts).
import type { ComputeNode } from '../core/compute-node.ts';
import type { ServerGroup } from '../core/model.ts';
import { affinityRefusal } from './filters/server-group-affinity.ts';
import { antiAffinityRefusal } from './filters/server-group-anti-affinity.ts';

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

  /** Back to `kept`, a clone taken before: its members, which it hands over. */
  putBack(kept: ServerGroupMembers): void {
    this.members.clear();
    for (const [group, hosts] of kept.members) this.members.set(group, hosts);
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

  /** Why the group's hard policy's filter refuses the host, in claimplan's words; null when it passes (and for the soft policies, which filter nothing). */
  refusal(group: ServerGroup, node: ComputeNode, moving: string | null = null): string | null {
    const hosts = this.members.get(group.name)!;
    if (group.policy === 'anti-affinity') return antiAffinityRefusal(group, hosts.get(node.name) ?? [], moving);
    if (group.policy === 'affinity') return affinityRefusal(group, [...hosts.keys()], node.name);
    return null;
  }

  /** How many of the group's members are on the host: what the soft policies' weighers count. */
  membersOn(group: ServerGroup, node: ComputeNode): number {
    return this.members.get(group.name)!.get(node.name)?.length ?? 0;
  }
}
