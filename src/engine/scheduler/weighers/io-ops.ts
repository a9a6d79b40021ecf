// IoOpsWeigher (nova/scheduler/weights/io_ops.py): HostState.num_io_ops, the instances in a
// building, resizing or snapshotting task state. A replay shows each request after the one
// before it has finished, so every host has 0 and the weigher adds nothing.
import type { HostWeigher } from './weigher.ts';

export const IO_OPS_WEIGHER: HostWeigher = {
  name: 'IoOpsWeigher',
  minval: 0,
  maxval: null,
  source: 'none',
  multiplier: (settings) => settings.io_ops_weight_multiplier,
  weigh: () => 0,
};
