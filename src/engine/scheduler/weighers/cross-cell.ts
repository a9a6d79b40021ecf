// CrossCellWeigher (nova/scheduler/weights/cross_cell.py): ±1 for a cross-cell move in or
// out of the preferred cell, 0 otherwise. A claimplan cloud is one cell, so 0 everywhere.
import type { HostWeigher } from './weigher.ts';

export const CROSS_CELL_WEIGHER: HostWeigher = {
  name: 'CrossCellWeigher',
  minval: null,
  maxval: null,
  source: 'none',
  multiplier: (settings) => settings.cross_cell_move_weight_multiplier,
  weigh: () => 0,
};
