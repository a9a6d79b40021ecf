// CPUWeigher (nova/scheduler/weights/cpu.py): vcpus_total × cpu_allocation_ratio − vcpus_used,
// clamped to minval 0. The ratio is the compute node's; a plan's `null` (no CoreFilter
// limit) leaves the node reporting Nova's default 16.0 (docs/semantics.md, "Weighing").
import { DEFAULT_CLOUD_SETTINGS } from '../../core/model.ts';
import type { HostWeigher } from './weigher.ts';

export const CPU_WEIGHER: HostWeigher = {
  name: 'CPUWeigher',
  minval: 0,
  maxval: null,
  source: 'host',
  multiplier: (settings) => settings.cpu_weight_multiplier,
  weigh: (node) => node.spec.vcpus * (node.settings.cpu_allocation_ratio ?? DEFAULT_CLOUD_SETTINGS.cpu_allocation_ratio!) - node.vcpus_used,
};
