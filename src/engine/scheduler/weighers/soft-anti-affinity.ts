// ServerGroupSoftAntiAffinityWeigher (nova/scheduler/weights/affinity.py): minus the members
// of the request's soft-anti-affinity group already on the host; 0 for any other request.
import type { HostWeigher } from './weigher.ts';

export const SOFT_ANTI_AFFINITY_WEIGHER: HostWeigher = {
  name: 'ServerGroupSoftAntiAffinityWeigher',
  minval: null,
  maxval: null,
  source: 'group',
  multiplier: (settings) => settings.soft_anti_affinity_weight_multiplier,
  weigh: (node, request) => (request.group?.policy === 'soft-anti-affinity' ? -request.membersOn(node) : 0),
};
