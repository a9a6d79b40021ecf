// claimplan sweep PLAN... --vary KEY=FROM:TO:STEP : one setting (or a group's host
// count) over a range; claimed, rejected and fit per flavor at each value.
import { Command } from 'commander';
import type { Cloud, Request } from '../engine/model.ts';
import { Sweep, sweepValues } from '../engine/sweep.ts';
import { resizeGroup } from '../plan/resize-group.ts';
import { applySettingOverride, parseSettingValue } from '../plan/settings.ts';
import { renderSweep, sweepSvg } from '../report/sweep.ts';
import { collect, emit, exitOnUsageProblems, failUsage, loadPlansOrExit, unknownFlavorProblems, withOutputOptions, withSettingOverrides, type PlanCommandOptions } from './common.ts';
import { Progress } from './progress.ts';

interface SweepCommandOptions extends PlanCommandOptions {
  vary: string;
  flavor: string[];
  chart?: string;
}

const MOST_VALUES = 1000;
const GROUP_COUNT_KEY = /^hosts\.(.+)\.count$/;

function parseRange(vary: string): { key: string; values: number[] } {
  const match = /^([^=]+)=([^:]+):([^:]+):([^:]+)$/.exec(vary);
  if (!match) failUsage(`--vary ${vary}: must be KEY=FROM:TO:STEP, e.g. cpu_allocation_ratio=1:16:1`);
  const [from, to, step] = match.slice(2).map(Number);
  if (![from, to, step].every(Number.isFinite) || step === 0) {
    failUsage(`--vary ${vary}: FROM, TO and STEP must be numbers and STEP must not be 0`);
  }
  const values = sweepValues(from, to, step);
  if (values.length > MOST_VALUES) failUsage(`--vary ${vary}: ${values.length} values; sweep at most ${MOST_VALUES}`);
  return { key: match[1].trim(), values };
}

/** The cloud at each value, or every reason the range cannot be swept. */
function cloudsForValues(cloud: Cloud, key: string, values: number[], requests: () => Iterable<Request>): Cloud[] {
  const group = GROUP_COUNT_KEY.exec(key);
  if (group) {
    const resized = values.map((count) =>
      Number.isInteger(count) && count >= 0 ? resizeGroup(cloud, group[1], count) : ({ ok: false, error: `host counts must be whole numbers, not ${count}` } as const),
    );
    const failed = resized.find((result) => !result.ok);
    if (failed && !failed.ok) failUsage(`--vary ${key}: ${failed.error}`);
    const removed = new Set(resized.flatMap((result) => (result.ok ? result.removed : [])));
    for (const request of requests()) {
      if (request.op === 'build' && request.host !== null && removed.has(request.host)) {
        failUsage(`--vary ${key}: a request builds on ${request.host}, which the smallest count removes`);
      }
    }
    return resized.map((result) => (result.ok ? result.cloud : cloud));
  }
  return values.map((value) => {
    const parsed = parseSettingValue(key, String(value));
    if (!parsed.ok) failUsage(`--vary ${key}=${value}: ${parsed.error.message}`);
    const settings = { ...cloud.settings };
    applySettingOverride(settings, parsed.override);
    return { ...cloud, settings };
  });
}

export function sweepCommand(): Command {
  const command = new Command('sweep')
    .description('replay the plan at each value of one setting (or a host group\'s count) and show claimed, rejected and fit')
    .argument('<plan...>', "plan files, merged in order ('-' reads standard input)")
    .requiredOption('--vary <KEY=FROM:TO:STEP>', 'a cloud setting, or hosts.<group name>.count, over a range')
    .option('--flavor <name>', 'flavors whose fit to show at each value (repeatable)', collect, [])
    .option('--chart <file.svg>', 'also write the chart as SVG');
  withSettingOverrides(command);
  withOutputOptions(command);
  return command.action((paths: string[], options: SweepCommandOptions) => {
    const plan = loadPlansOrExit(paths, options.set);
    const { key, values } = parseRange(options.vary);
    exitOnUsageProblems(unknownFlavorProblems(plan.cloud.flavors, options.flavor));
    const clouds = cloudsForValues(plan.cloud, key, values, () => plan.requests());
    const progress = new Progress(process.stderr.isTTY === true);
    const sweep = new Sweep(options.flavor);
    clouds.forEach((cloud, index) => {
      progress.update(() => `sweep ${index + 1}/${values.length}: ${key} = ${values[index]}`);
      sweep.add(values[index], cloud, plan.requests());
    });
    progress.done();
    const report = { key, flavors: options.flavor, points: sweep.points, turning: sweep.turning };
    emit(options.output, (sink) => renderSweep(report, options.format, (chunk) => sink.write(chunk), { color: sink.color }));
    if (options.chart) emit(options.chart, (sink) => sink.write(sweepSvg(report)));
  });
}
