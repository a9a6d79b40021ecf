// What every command that reads plans does once its work starts: loading with located
// errors, and running a report into its sink.
import { readStdinSync } from './stdin.ts';
import type { Flavor } from '../engine/model.ts';
import { applySettingOverride, formatPlanError, loadPlan, parseSettingOverride, type LoadedPlan, type PlanError } from '../plan/load.ts';
import { CommandExit, EXIT_BAD_INPUT, EXIT_OK } from './exit-codes.ts';
import { openSink, type Sink } from './output.ts';
import { ReaderGone, writeStderr } from './write.ts';

/** `--flavor` names that none of the given flavors has. */
export function unknownFlavorProblems(flavors: Iterable<Flavor>, names: string[], where = 'the plan'): string[] {
  const known = new Set([...flavors].map((flavor) => flavor.name));
  return names.filter((name) => !known.has(name)).map((name) => `--flavor ${name}: no such flavor in ${where}`);
}

/**
 * The same plan under `--set` overrides, without reading and checking its files again:
 * only the cloud settings differ, and the requests stream from the same sources.
 */
export function withOverridesOrExit(plan: LoadedPlan, settingOverrides: string[]): LoadedPlan {
  const settings = { ...plan.cloud.settings };
  const errors: PlanError[] = [];
  settingOverrides.forEach((text, index) => {
    const parsed = parseSettingOverride(text, index + 1);
    if (parsed.ok) applySettingOverride(settings, parsed.override);
    else errors.push(parsed.error);
  });
  if (errors.length > 0) reportPlanErrorsAndExit(errors);
  return { ...plan, cloud: { ...plan.cloud, settings } };
}

function reportPlanErrorsAndExit(errors: PlanError[]): never {
  writeStderr(errors.map((error) => `${formatPlanError(error)}\n`).join(''));
  writeStderr(`claimplan: ${errors.length} problem${errors.length === 1 ? '' : 's'} found; nothing was replayed\n`);
  throw new CommandExit(EXIT_BAD_INPUT);
}

/** Loads and validates the plans, or prints every located error and exits 2. */
export function loadPlansOrExit(paths: string[], settingOverrides: string[]): LoadedPlan {
  const result = loadPlan(paths, { readStdin: readStdinSync, settingOverrides });
  if (!result.ok) reportPlanErrorsAndExit(result.errors);
  return result.plan;
}

/**
 * Runs `render` into the chosen sink. A reader that goes away (`| head`) ends the
 * command quietly; any other failure leaves no half-written file behind.
 */
export function emit(outputFile: string | undefined, render: (sink: Sink) => void): void {
  const sink = openSink(outputFile);
  try {
    render(sink);
    sink.finish();
  } catch (error) {
    sink.abandon();
    if (error instanceof ReaderGone) throw new CommandExit(EXIT_OK);
    throw error;
  }
}
