// What every command that reads plans does once its work starts: loading with located
// errors, and running a report into its sink, kept back until the requests it replayed
// have been checked to the end.
import { availableParallelism } from 'node:os';
import { existsSync, statSync } from 'node:fs';
import { readStdinSync, stdinTextIfRead } from './stdin.ts';
import { CloudState } from '../engine/core/cloud-state.ts';
import type { Flavor } from '../engine/core/model.ts';
import { replay } from '../engine/core/replay.ts';
import { applySettingOverride, formatPlanError, formatPlanWarning, loadPlan, parseSettingOverrides, problemCount, type CheckedRequests, type LoadedPlan, type PlanError } from '../plan/load.ts';
import { CommandExit, EXIT_BAD_INPUT, EXIT_OK } from './exit-codes.ts';
import { failUsage, exitOnUsageProblems } from './options.ts';
import { CannotWrite, cannotWrite, openSink, outputFileProblem, type Sink } from './output.ts';
import { ReaderGone, writeStderr } from './write.ts';
import { ThreadedRequests } from './trace-reading.ts';
import { THREAD_ENTRY, type PlanJob } from './worker-pool.ts';

/** A plan the command loaded, and what a thread needs to load it the same way. */
export type CommandPlan = LoadedPlan & { job: PlanJob };

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
  const { overrides, errors } = parseSettingOverrides(settingOverrides);
  if (errors.length > 0) reportPlanErrorsAndExit(errors);
  const settings = { ...plan.cloud.settings };
  for (const override of overrides) applySettingOverride(settings, override);
  return { ...plan, cloud: { ...plan.cloud, settings } };
}

function reportPlanErrorsAndExit(errors: PlanError[], consequence = 'nothing was replayed'): never {
  const unique = [...new Map(errors.map((error) => [formatPlanError(error), error])).values()];
  writeStderr(unique.map((error) => `${formatPlanError(error)}\n`).join(''));
  const count = problemCount(unique);
  writeStderr(`claimplan: ${count} problem${count === 1 ? '' : 's'} found; ${consequence}\n`);
  throw new CommandExit(EXIT_BAD_INPUT);
}

/**
 * The plan's requests replayed to the end without a report, where fit, failover and
 * consolidate start: the state after them, and the requests (for their count); a problem
 * the trace shows exits 2.
 */
export function replayedOrExit(plan: CommandPlan): { state: CloudState; requests: CheckedRequests } {
  const requests = requestsReadOnce(plan);
  const state = CloudState.start(plan.cloud);
  for (const _decision of replay(state, requests, { audit: false, explain: false }));
  exitOnStreamProblems(requests);
  return { state, requests };
}

/**
 * Past this many bytes of trace (some 450,000 requests), a replay that reads the requests
 * once reads them on a thread of their own (trace-reading.ts), when the machine has a
 * second CPU. Below it the thread's start and its reading, colder and encoded, cost more
 * than the replay gains (docs/contributing.md, "Reading a trace on its own thread").
 * CLAIMPLAN_TRACE_THREAD_BYTES sets another, for the tests.
 */
const TRACE_THREAD_BYTES = Number(process.env.CLAIMPLAN_TRACE_THREAD_BYTES ?? 16 * 1024 * 1024);

/**
 * The plan's requests for one replay: read on a thread of their own when the traces are
 * long (TRACE_THREAD_BYTES), which starts reading at once, so ask for them before setting
 * up the replay.
 */
export function requestsReadOnce(plan: CommandPlan): CheckedRequests {
  const requests = plan.requests();
  // Without the entry a thread starts from (a bundle built elsewhere), the command reads here.
  if (!requests.checksWhileStreaming || availableParallelism() < 2 || !existsSync(THREAD_ENTRY)) return requests;
  const bytes = requests.traces.reduce((sum, trace) => sum + fileSize(trace), 0);
  return bytes < TRACE_THREAD_BYTES ? requests : new ThreadedRequests(plan.job);
}

/** A file's size; 0 when it cannot be read, which the stream then reports where it reads it. */
function fileSize(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

/** A history that cannot be read (`forecast --history`): every located error, and exit 2. */
export function exitOnHistoryErrors(errors: PlanError[]): never {
  reportPlanErrorsAndExit(errors, 'nothing was forecast');
}

/** After a replay that read the streams to the end: their problems, located, and exit 2. */
export function exitOnStreamProblems(...streams: CheckedRequests[]): void {
  exitOnLateProblems(streams.flatMap((stream) => stream.problems));
}

/** Problems a request stream found after the work started: located, no report, exit 2. */
export function exitOnLateProblems(problems: PlanError[]): void {
  if (problems.length > 0) reportPlanErrorsAndExit(problems, 'no report was written');
}

/** Every file this command has read as input: a report may not be written over one. */
const inputFiles = new Set<string>();

export function noteInputFiles(files: Iterable<string>): void {
  for (const file of files) inputFiles.add(file);
}

/**
 * Before the work starts: each file a report goes to can be written, is none of the
 * inputs read, and is named once; or every problem, and exit 2.
 */
export function exitOnUnwritableOutputs(...files: (string | undefined)[]): void {
  const named = files.filter((file): file is string => file !== undefined);
  exitOnUsageProblems(
    named.flatMap((file, index) => {
      if (named.slice(0, index).includes(file)) return [cannotWrite(file, 'it is named twice')];
      const problem = outputFileProblem(file, inputFiles);
      return problem === null ? [] : [cannotWrite(file, problem)];
    }),
  );
}

/**
 * Loads and validates the plans, printing their warnings, or prints every located error and
 * exits 2. `seed` seeds the scheduler's random draws.
 */
export function loadPlansOrExit(paths: string[], settingOverrides: string[], seed = 0, novaConfPaths: string[] = []): CommandPlan {
  const result = loadPlan(paths, { readStdin: readStdinSync, settingOverrides, novaConfPaths });
  if (!result.ok) reportPlanErrorsAndExit(result.error);
  noteInputFiles(result.value.files);
  writeStderr(result.value.warnings.map((warning) => `${formatPlanWarning(warning)}\n`).join(''));
  result.value.cloud.seed = seed;
  return { ...result.value, job: { paths, stdin: stdinTextIfRead(), settingOverrides, novaConfPaths } };
}

/**
 * Runs `render` into the chosen sink. A reader that goes away (`| head`) ends the
 * command quietly; any other failure leaves no half-written file behind. When `render`
 * replays `streams` that are checked as they are read, the report is held back until
 * they end: a problem found late stops it whole, and nothing reaches stdout.
 */
export function emit(outputFile: string | undefined, render: (sink: Sink) => void, streams: readonly CheckedRequests[] = []): void {
  exitOnUnwritableOutputs(outputFile);
  const opened = openSink(outputFile, streams.some((stream) => stream.checksWhileStreaming));
  if (!opened.ok) failUsage(opened.error);
  const sink = opened.value;
  let clean = true;
  try {
    render(sink);
    clean = streams.every((stream) => stream.problems.length === 0);
    if (clean) sink.finish();
    else sink.abandon();
  } catch (error) {
    sink.abandon();
    if (error instanceof ReaderGone) throw new CommandExit(EXIT_OK);
    if (error instanceof CannotWrite) failUsage(error.message);
    throw error;
  }
  if (!clean) exitOnStreamProblems(...streams);
}
