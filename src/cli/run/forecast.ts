// What `claimplan forecast` does once its options are read: load the plan and the history,
// replay the plan once, make the runs (on threads when the cloud is large), search the
// counts of each `--add` SKU, then write the report, the chart, and the gate's verdict.
import { availableParallelism } from 'node:os';
import { AddedHostsSearch, refusingRunsAllowed, type AddedHosts } from '../../engine/scenarios/forecast/added-hosts.ts';
import type { RunOutcome } from '../../engine/scenarios/forecast/forecast-run.ts';
import { summarizeForecast } from '../../engine/scenarios/forecast/forecast.ts';
import { dateOfDay } from '../../engine/scenarios/forecast/history-model.ts';
import type { Sku } from '../../engine/scenarios/expand/sku.ts';
import { skuNamed } from '../../plan/host-templates.ts';
import { loadHistory } from '../../plan/history.ts';
import { LIMITS } from '../../plan/limits.ts';
import { formatPlanWarning } from '../../plan/load.ts';
import { forecastSvg, renderForecast, type ForecastReport } from '../../report/forecast.ts';
import { exitOnFailedGates } from '../gates.ts';
import { exitOnUsageProblems, type PlanCommandOptions } from '../options.ts';
import { emit, exitOnHistoryErrors, exitOnLateProblems, exitOnUnwritableOutputs, loadPlansOrExit, noteInputFiles } from '../plan-io.ts';
import { inProcessRunMaker, makeRuns, threadRunMaker, type RunMaker } from '../forecast-pool.ts';
import { ForecastRunner } from '../forecast-runs.ts';
import { doneOfTotal, Progress } from '../progress.ts';
import { readStdinSync, stdinTextIfRead } from '../stdin.ts';
import { writeStderr } from '../write.ts';

export interface ForecastCommandOptions extends PlanCommandOptions {
  history: string[];
  horizon: number;
  window: number;
  runs: number;
  add: string[];
  chart?: string;
  failIfRunwayUnder?: number;
  jobs?: number;
}

/**
 * Below this many host-runs (hosts × runs) one thread makes them faster than several: a
 * thread costs a start, a plan load and a replay of the plan, about half a second, while
 * the bundled example's 200 runs over 7 hosts take about a second in all.
 */
const HOST_RUNS_FOR_THREADS = 20_000;

export async function runForecast(paths: string[], options: ForecastCommandOptions): Promise<void> {
  exitOnUsageProblems([
    ...(options.history.length === 0 ? ["required option '--history <file>' not specified"] : []),
    ...(paths.includes('-') && options.history.includes('-') ? ['standard input can be read once: give the plans or the history as -, not both'] : []),
    ...options.add.filter((name, index) => options.add.indexOf(name) !== index).map((name) => `--add ${name}: given twice`),
  ]);
  const plan = loadPlansOrExit(paths, options.set, options.seed, options.novaConf);
  noteInputFiles(options.history.filter((path) => path !== '-'));
  exitOnUnwritableOutputs(options.output, options.chart);
  const named = options.add.map((name) => skuNamed(name, plan.cloud.hosts, plan.hostTemplates));
  exitOnUsageProblems(named.flatMap((sku) => (sku.ok ? [] : [sku.error])));
  const skus = named.map((sku) => (sku as { value: Sku }).value);
  const history = loadHistory(options.history, plan.cloud.flavors.map((flavor) => flavor.name), readStdinSync);
  if (!history.ok) exitOnHistoryErrors(history.error);
  const { lifecycles, warnings } = history.value;
  writeStderr(warnings.map((warning) => `${formatPlanWarning(warning)}\n`).join(''));
  exitOnUsageProblems(lifecycles.length === 0 ? [`--history ${options.history.join(', ')}: no lifecycle of a flavor the plan has, so no trend to forecast from`] : []);

  const forecastOptions = { horizon: options.horizon, runs: options.runs, seed: options.seed };
  const runner = new ForecastRunner(plan, lifecycles, { windowDays: options.window, options: forecastOptions }, skus);
  const start = runner.start(null, 0);
  exitOnLateProblems(runner.problems);
  const threads = options.jobs ?? (plan.cloud.hosts.length * options.runs >= HOST_RUNS_FOR_THREADS ? availableParallelism() : 1);
  const maker: RunMaker =
    threads > 1
      ? threadRunMaker({ paths, stdin: stdinTextIfRead(), settingOverrides: options.set, novaConfPaths: options.novaConf, history: options.history, windowDays: options.window, options: forecastOptions, skus: options.add }, threads)
      : inProcessRunMaker(runner);
  const progress = Progress.forReport(options.output);
  const added: AddedHosts[] = [];
  let report: ForecastReport;
  try {
    const outcomes = await makeRuns(maker, { runs: options.runs, sku: null, added: 0, stopAt: null }, (done) => progress.update(() => `forecast: ${doneOfTotal(done, options.runs, 'runs made')}`));
    report = { forecast: summarizeForecast(start, runner.model, forecastOptions, outcomes), lifecycles: lifecycles.length, added };
    for (const [index, sku] of skus.entries()) {
      const search = new AddedHostsSearch(plan.cloud, sku, runner.model, options.horizon, LIMITS.hostsPerPlan - plan.cloud.hosts.length);
      const allowed = refusingRunsAllowed(options.runs);
      for (let count = search.next(); count !== null; count = search.next()) {
        const tried = count;
        const request = { runs: options.runs, sku: index, added: count, stopAt: [...search.stopAt], enough: (made: readonly RunOutcome[]) => search.refusingRuns(made) > allowed };
        search.record(count, await makeRuns(maker, request, (done) => progress.update(() => `forecast --add ${sku.name}: ${tried} hosts, ${doneOfTotal(done, options.runs, 'runs made')}`)), options.runs);
      }
      added.push(search.result());
    }
  } finally {
    maker.close();
    progress.done();
  }
  emit(options.output, (sink) => renderForecast(report, options.format, (chunk) => sink.write(chunk), { color: sink.color }));
  if (options.chart) emit(options.chart, (sink) => sink.write(forecastSvg(report)));
  const under = options.failIfRunwayUnder;
  if (under === undefined) return;
  const { forecast } = report;
  exitOnFailedGates(
    forecast.flavors
      .filter((flavor) => flavor.runway.p10 !== null && flavor.runway.p10 < under)
      .map((flavor) => `--fail-if-runway-under ${under}: ${flavor.flavor} meets No valid host by day ${flavor.runway.p10} (${dateOfDay(forecast.as_of_day + flavor.runway.p10!)}) in a tenth of the runs (P10), ruled out by ${flavor.cause}`),
  );
}
