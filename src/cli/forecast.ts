// claimplan forecast PLAN... --history FILE : on which day growth at the history's trend
// first meets No valid host, for which flavor (docs/semantics.md, "Forecast").
import { Command } from 'commander';
import { collect, wholeNumber, wholeNumberAtLeastOne } from './arguments.ts';
import { withExamples, withOutputOptions, withSettingOverrides } from './options.ts';
import { runForecast, type ForecastCommandOptions } from './run/forecast.ts';

export function forecastCommand(): Command {
  const command = new Command('forecast')
    .description("replay the plan, then grow it day by day at its history's trend: when each flavor first meets No valid host")
    .argument('<plan...>', "plan files, merged in order ('-' reads standard input)")
    .option('--history <file>', 'instance lifecycles: NDJSON, CSV, or an os-simple-tenant-usage body (repeatable)', collect, [])
    .option('--horizon <days>', 'days to forecast', wholeNumberAtLeastOne, 365)
    .option('--window <days>', "the history's last DAYS whose builds make the trend", wholeNumberAtLeastOne, 90)
    .option('--runs <n>', 'runs, each with its own seed from --seed; P10/P50/P90 are over them', wholeNumberAtLeastOne, 200)
    .option('--add <sku>', 'also find how many hosts of a host_templates entry, host group or host keep every build claimed to the horizon at P90 (repeatable)', collect, [])
    .option('--chart <file.svg>', 'also write usage over time as SVG: median, P10–P90 band, each flavor\'s median first No valid host')
    .option('--fail-if-runway-under <days>', "exit 1 when a flavor's P10 first No valid host comes before this day", wholeNumber)
    .option('--jobs <n>', 'runs made side by side, one thread each (default: one per CPU once hosts × runs reaches 20,000, else 1); the report does not depend on it', wholeNumberAtLeastOne);
  withSettingOverrides(command);
  withOutputOptions(command);
  withExamples(command, [
    ['claimplan forecast examples/small-cloud.yaml --history examples/small-cloud-history.ndjson', 'when each flavor first meets No valid host at the trend of the last 90 days'],
    ['claimplan forecast examples/small-cloud.yaml --history examples/small-cloud-history.ndjson --add r640', 'and how many r640 hosts keep every build claimed for a year'],
    ['claimplan forecast plan.yaml --history usage.json --fail-if-runway-under 90 -f openmetrics', 'a CI gate on 90 days of runway, with claimplan_runway_days for dashboards'],
  ]);
  return command.action((paths: string[], options: ForecastCommandOptions) => runForecast(paths, options));
}
