// Every claimplan command, in the order `--help` lists them: the one table the command
// line registers from, the build warms V8's code cache with, and the tests walk
// (docs/contributing.md, "Adding a command").
import type { Command } from 'commander';
import { compareCommand } from './compare.ts';
import { consolidateCommand } from './consolidate.ts';
import { expandCommand } from './expand.ts';
import { failoverCommand } from './failover.ts';
import { fitCommand } from './fit.ts';
import { forecastCommand } from './forecast.ts';
import { importCommand } from './import.ts';
import { replayCommand } from './replay.ts';
import { sweepCommand } from './sweep.ts';
import { validateCommand } from './validate.ts';

export interface CommandEntry {
  name: string;
  /** the commander definition: arguments, options, help, and the action that runs the work */
  define: () => Command;
  /**
   * One run on a bundled example that exercises the command's work, for the build's code
   * cache; null where examples/ has nothing to run it on (import reads exports).
   */
  warmUp: string[] | null;
}

export const COMMANDS: readonly CommandEntry[] = [
  { name: 'replay', define: replayCommand, warmUp: ['replay', 'examples/small-cloud.yaml'] },
  { name: 'fit', define: fitCommand, warmUp: ['fit', 'examples/small-cloud.yaml', '--flavor', 'm1.large'] },
  { name: 'compare', define: compareCommand, warmUp: ['compare', 'examples/small-cloud.yaml', '--set', 'cpu_allocation_ratio=4'] },
  { name: 'sweep', define: sweepCommand, warmUp: ['sweep', 'examples/small-cloud.yaml', '--vary', 'cpu_allocation_ratio=2:4:1', '--jobs', '1'] },
  { name: 'validate', define: validateCommand, warmUp: ['validate', 'examples/small-cloud.yaml'] },
  { name: 'import', define: importCommand, warmUp: null },
  { name: 'failover', define: failoverCommand, warmUp: ['failover', 'examples/small-cloud.yaml', '--each', 'host'] },
  { name: 'expand', define: expandCommand, warmUp: ['expand', 'examples/growth.yaml', '--add', 'r640', '--jobs', '1'] },
  { name: 'consolidate', define: consolidateCommand, warmUp: ['consolidate', 'examples/small-cloud.yaml'] },
  { name: 'forecast', define: forecastCommand, warmUp: ['forecast', 'examples/small-cloud.yaml', '--history', 'examples/small-cloud-history.ndjson', '--runs', '20', '--jobs', '1'] },
];
