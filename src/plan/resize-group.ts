// A host group at another size, for `sweep --vary hosts.<group>.count=…`: the cloud as
// if the plan had said another `count:` for that group.
import type { Cloud, HostSpec } from '../engine/core/model.ts';
import { expandName, parseNameTemplate } from './name-templates.ts';
import { failure, success, type Result } from '../engine/core/result.ts';

export type ResizeResult = Result<{ cloud: Cloud; removed: string[] }>;

/**
 * Hosts past the group's first `count` are dropped; hosts added beyond its original size
 * copy the group's first host as new, empty hardware (no instances, no usage), which is
 * what an operator adding nodes to a group gets.
 */
export function resizeGroup(cloud: Cloud, group: string, count: number): ResizeResult {
  const members = cloud.hosts.filter((host) => host.group === group);
  if (members.length === 0) {
    const groups = [...new Set(cloud.hosts.flatMap((host) => (host.group ? [host.group] : [])))];
    return failure(`no host group is named \`${group}\`${groups.length ? ` (groups: ${groups.join(', ')})` : ''}`);
  }
  const parsed = parseNameTemplate(group);
  if (!parsed.ok) return parsed;
  const template = parsed.value;
  const prototype = members[0];
  const added: HostSpec[] = [];
  for (let n = members.length + 1; n <= count; n++) {
    added.push({
      ...structuredClone(prototype),
      name: expandName(template, n),
      instances: [],
      used: { memory_mb: 0, local_gb: 0, vcpus: 0, running_vms: 0 },
    });
  }
  const kept = new Set(members.slice(0, count));
  const removed = members.slice(count).map((host) => host.name);
  const lastMember = cloud.hosts.indexOf(members[members.length - 1]);
  const hosts = cloud.hosts.flatMap((host, index) => {
    const here = host.group === group ? (kept.has(host) ? [host] : []) : [host];
    return index === lastMember ? [...here, ...added] : here;
  });
  return success({ cloud: { ...cloud, hosts }, removed });
}
