// What a worker thread runs. Every thread starts from the command line's own entry,
// dist/claimplan.js, which loads the one bundle with its code cache (src/cli/boot.ts), and
// is told by its workerData which work to take (docs/contributing.md, "Building").
import { serveExpandCounts } from './expand-thread.ts';
import type { ExpandJob } from './expand-pool.ts';
import type { ForecastJob } from './forecast-runs.ts';
import { serveForecastRuns } from './forecast-thread.ts';
import { serveSweepValues } from './sweep-thread.ts';
import type { SweepJob } from './sweep-pool.ts';
import { serveTrace } from './trace-thread.ts';
import type { TraceJob } from './trace-reading.ts';

export type ThreadStart = { thread: 'sweep'; job: SweepJob } | { thread: 'expand'; job: ExpandJob } | { thread: 'forecast'; job: ForecastJob } | { thread: 'trace'; job: TraceJob };

export function startThread(start: ThreadStart): void {
  if (start.thread === 'sweep') serveSweepValues(start.job);
  else if (start.thread === 'expand') serveExpandCounts(start.job);
  else if (start.thread === 'trace') serveTrace(start.job);
  else serveForecastRuns(start.job);
}
