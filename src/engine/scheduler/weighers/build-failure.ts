// BuildFailureWeigher (nova/scheduler/weights/compute.py): the host's recent failed builds
// under a negated multiplier. A replayed claim that passes never fails on the compute node,
// so every host has 0 and the weigher adds nothing.
import type { HostWeigher } from './weigher.ts';

export const BUILD_FAILURE_WEIGHER: HostWeigher = {
  name: 'BuildFailureWeigher',
  minval: null,
  maxval: null,
  source: 'none',
  multiplier: (settings) => -1 * settings.build_failure_weight_multiplier,
  weigh: () => 0,
};
