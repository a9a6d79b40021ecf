// The runs `claimplan forecast` asks for, made the same way in the command's own thread and
// in its worker threads (forecast-pool.ts): the plan replayed once per count of added hosts,
// the history fitted once, then runs numbered as the task says, each from a clone of that
// state (docs/contributing.md, "Sweeps in parallel").
import { startWithAdded } from '../engine/scenarios/forecast/added-hosts.ts';
import { forecastRuns, type ForecastOptions } from '../engine/scenarios/forecast/forecast.ts';
import type { ForecastStart, RunOutcome } from '../engine/scenarios/forecast/forecast-run.ts';
import { fitHistory, type HistoryModel, type Lifecycle } from '../engine/scenarios/forecast/history-model.ts';
import type { Sku } from '../engine/scenarios/expand/sku.ts';
import { skuNamed } from '../plan/host-templates.ts';
import { loadHistory } from '../plan/history.ts';
import type { LoadedPlan, PlanError } from '../plan/load.ts';
import { loadJobPlan, type PlanJob } from './worker-pool.ts';

/** What every thread needs to load the plan and the history exactly as the command did. */
export interface ForecastJob extends PlanJob {
  history: string[];
  windowDays: number;
  options: ForecastOptions;
  /** the `--add` names, in the order given */
  skus: string[];
}

/** Runs `first` to `first + runs − 1`, from the plan's state with `added` hosts of SKU `sku` (none when null). */
export interface ForecastTask {
  sku: number | null;
  added: number;
  first: number;
  runs: number;
  /** end each run at the first refusal of these flavors (forecastRun) */
  stopAt: number[] | null;
}

export class ForecastRunner {
  readonly model: HistoryModel;
  /** the last state a task started from: tasks for one count come together */
  private cached: { key: string; start: ForecastStart } | null = null;
  /** what the plan's trace showed, located, the last time it was replayed */
  problems: PlanError[] = [];

  constructor(
    private readonly plan: LoadedPlan,
    lifecycles: readonly Lifecycle[],
    private readonly job: Pick<ForecastJob, 'windowDays' | 'options'>,
    private readonly skus: readonly Sku[],
  ) {
    this.model = fitHistory(lifecycles, job.windowDays, plan.cloud.flavors.map((flavor) => flavor.name));
  }

  /** In a thread: the plan, history and SKUs the command checked before any thread started. */
  static of(job: ForecastJob): ForecastRunner {
    const plan = loadJobPlan(job, 'forecast');
    plan.cloud.seed = job.options.seed;
    const history = loadHistory(job.history, plan.cloud.flavors.map((flavor) => flavor.name), () => job.stdin ?? '');
    if (!history.ok) throw new Error('the history the forecast command loaded does not load in its worker');
    const skus = job.skus.map((name) => {
      const sku = skuNamed(name, plan.cloud.hosts, plan.hostTemplates);
      if (!sku.ok) throw new Error(sku.error);
      return sku.value;
    });
    return new ForecastRunner(plan, history.value.lifecycles, job, skus);
  }

  start(sku: number | null, added: number): ForecastStart {
    const key = `${sku}:${added}`;
    if (this.cached?.key !== key) {
      const requests = this.plan.requests();
      this.cached = { key, start: startWithAdded(this.plan.cloud, requests, sku === null ? null : this.skus[sku], added, this.model) };
      this.problems = requests.problems;
    }
    return this.cached.start;
  }

  run(task: ForecastTask): RunOutcome[] {
    return forecastRuns(this.start(task.sku, task.added), this.model, this.job.options, task.first, task.runs, task.stopAt === null ? null : new Set(task.stopAt));
  }
}
