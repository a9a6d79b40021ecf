// Zed's weighers by class name (nova.scheduler.weights.all_weighers).
import type { WeigherName } from '../../core/model.ts';
import { BUILD_FAILURE_WEIGHER } from './build-failure.ts';
import { CPU_WEIGHER } from './cpu.ts';
import { CROSS_CELL_WEIGHER } from './cross-cell.ts';
import { DISK_WEIGHER } from './disk.ts';
import { IO_OPS_WEIGHER } from './io-ops.ts';
import { METRICS_WEIGHER } from './metrics.ts';
import { PCI_WEIGHER } from './pci.ts';
import { RAM_WEIGHER } from './ram.ts';
import { SOFT_AFFINITY_WEIGHER } from './soft-affinity.ts';
import { SOFT_ANTI_AFFINITY_WEIGHER } from './soft-anti-affinity.ts';
import type { HostWeigher } from './weigher.ts';

const WEIGHERS: Record<WeigherName, HostWeigher> = {
  RAMWeigher: RAM_WEIGHER,
  CPUWeigher: CPU_WEIGHER,
  DiskWeigher: DISK_WEIGHER,
  MetricsWeigher: METRICS_WEIGHER,
  IoOpsWeigher: IO_OPS_WEIGHER,
  PCIWeigher: PCI_WEIGHER,
  ServerGroupSoftAffinityWeigher: SOFT_AFFINITY_WEIGHER,
  ServerGroupSoftAntiAffinityWeigher: SOFT_ANTI_AFFINITY_WEIGHER,
  BuildFailureWeigher: BUILD_FAILURE_WEIGHER,
  CrossCellWeigher: CROSS_CELL_WEIGHER,
};

/** The weighers weight_classes names, in its order (Nova runs them in the order it loads them). */
export function weighersNamed(names: readonly WeigherName[]): HostWeigher[] {
  return names.map((name) => WEIGHERS[name]);
}

export { NO_GROUP, type HostWeigher, type WeighingRequest } from './weigher.ts';
