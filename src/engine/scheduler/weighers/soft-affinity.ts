// ServerGroupSoftAffinityWeigher (nova/scheduler/weights/affinity.py): the members of the
// request's soft-affinity group already on the host; 0 for any other request.
import type { HostWeigher } from './weigher.ts';

export const SOFT_AFFINITY_WEIGHER: HostWeigher = {
  name: 'ServerGroupSoftAffinityWeigher',
  minval: null,
  maxval: null,
  source: 'group',
  multiplier: (settings) => settings.soft_affinity_weight_multiplier,
  weigh: (node, request) => (request.group?.policy === 'soft-affinity' ? request.membersOn(node) : 0),
};
