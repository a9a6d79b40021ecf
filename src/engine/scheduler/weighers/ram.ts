// RAMWeigher (nova/scheduler/weights/ram.py): HostState.free_ram_mb, the compute node's
// memory_mb − memory_mb_used (reserved memory counted as used, no allocation ratio), which
// goes negative on an over-committed host and is then clamped to minval 0.
import type { HostWeigher } from './weigher.ts';

export const RAM_WEIGHER: HostWeigher = {
  name: 'RAMWeigher',
  minval: 0,
  maxval: null,
  source: 'host',
  multiplier: (settings) => settings.ram_weight_multiplier,
  weigh: (node) => node.free_ram_mb,
};
