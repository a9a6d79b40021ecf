// DiskWeigher (nova/scheduler/weights/disk.py): HostState.free_disk_mb, the compute node's
// free_disk_gb × 1024 (host_manager.py; claimplan's nodes report no disk_available_least),
// clamped to minval 0.
import type { HostWeigher } from './weigher.ts';

export const DISK_WEIGHER: HostWeigher = {
  name: 'DiskWeigher',
  minval: 0,
  maxval: null,
  source: 'host',
  multiplier: (settings) => settings.disk_weight_multiplier,
  weigh: (node) => node.free_disk_gb * 1024,
};
