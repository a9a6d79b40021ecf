// MetricsWeigher (nova/scheduler/weights/metrics.py): the host's monitor metrics times
// [metrics] weight_setting. claimplan's hosts report no metrics, so every host weighs the
// same — 0.0 with no weight_setting, weight_of_unavailable with one — and the weigher adds
// nothing after normalize().
import type { HostWeigher } from './weigher.ts';

export const METRICS_WEIGHER: HostWeigher = {
  name: 'MetricsWeigher',
  minval: null,
  maxval: null,
  source: 'none',
  multiplier: (settings) => settings.metrics_weight_multiplier,
  weigh: () => 0,
};
