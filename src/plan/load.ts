// The plan layer's entry: plan files (and `--set` overrides) in, the engine's typed
// cloud and a replayable request stream out, or every problem found, located.
//
// The stages, each in its own file: source.ts reads files and keeps positions,
// schema.ts checks each document against the one JSON Schema, cloud.ts (with hosts.ts)
// merges documents and checks the cloud as a whole, requests.ts checks the request
// stream as it is replayed, settings.ts reads `--set`.
import { closeSync, openSync, readFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import type { Cloud, Request } from '../engine/model.ts';
import { CloudBuilder, isTraceReference, type CloudIndex, type PlanWarning } from './cloud.ts';
import type { HostTemplate } from './host-templates.ts';
import { sortPlanErrors, type PlanError } from './errors.ts';
import { fieldsOf } from './fields.ts';
import { RequestChecker, type RequestSource } from './requests.ts';
import { schemaErrors } from './schema.ts';
import { applySettingOverride, parseSettingOverrides } from './settings.ts';
import { ZED_DEFAULT_FILTERS } from '../engine/model.ts';
import { describeReadFailure, errorAt, readPlanDocument } from './source.ts';
import { failure, success, type Result } from '../engine/result.ts';

export { formatPlanError, problemCount, type PlanError } from './errors.ts';
export { STDIN_NAME } from './source.ts';
export { formatPlanWarning, type PlanWarning } from './cloud.ts';
export { parseSettingOverride, parseSettingOverrides, parseSettingValue, applySettingOverride, type SettingOverride, type SettingOverrideResult } from './settings.ts';

export interface LoadedPlan {
  cloud: Cloud;
  /** A fresh, lazy stream each call: compare and sweep replay the same requests several times. */
  requests(): RequestStream;
  /** what Nova accepts but an operator should hear about, located like errors */
  warnings: PlanWarning[];
  /** `host_templates:`, the kinds of host `expand` may add */
  hostTemplates: HostTemplate[];
  /** the files read: the plans given (not standard input) and the traces they name */
  files: string[];
}

/**
 * The plan's requests, checked as they are read: those that pass are yielded, and every
 * problem is in `problems` once the stream has ended.
 */
export class RequestStream implements Iterable<Request> {
  readonly problems: PlanError[] = [];
  /** how many requests the entries read so far expand to, those with problems included */
  requestCount = 0;

  /** whether problems can still turn up while streaming: the plan reads a trace */
  readonly checksWhileStreaming: boolean;

  constructor(
    private readonly sources: readonly RequestSource[],
    private readonly index: CloudIndex,
    private readonly fileOrder: string[],
    /** how many requests the stream holds, when known before it streams: a plan without a trace */
    readonly total: number | null,
  ) {
    this.checksWhileStreaming = sources.some((source) => source.kind === 'trace');
  }

  *[Symbol.iterator](): Generator<Request> {
    const found: PlanError[] = [];
    const checker = new RequestChecker(this.index, found);
    for (const source of this.sources) {
      for (const request of checker.checked(source)) {
        this.requestCount = checker.requestCount;
        yield request;
      }
    }
    this.requestCount = checker.requestCount;
    this.problems.push(...sortPlanErrors(found, this.fileOrder));
  }
}

export type LoadResult = Result<LoadedPlan, PlanError[]>;

export interface LoadOptions {
  /** what `-` reads; standard input by default */
  readStdin?: () => string;
  /** `--set KEY=VALUE` texts, applied over the merged cloud settings */
  settingOverrides?: string[];
}

export function loadPlan(paths: string[], options: LoadOptions = {}): LoadResult {
  const readStdin = options.readStdin ?? (() => readFileSync(0, 'utf8'));
  const { overrides, errors } = parseSettingOverrides(options.settingOverrides ?? []);
  const fileOrder: string[] = [];

  const cloudBuilder = new CloudBuilder(errors);
  const requestSources: RequestSource[] = [];
  const files = paths.filter((path) => path !== '-');
  for (const path of paths) {
    const read = readPlanDocument(path, readStdin);
    if (!read.ok) {
      fileOrder.push(read.error[0].file);
      errors.push(...read.error);
      continue;
    }
    const document = read.value;
    fileOrder.push(document.source.file);
    errors.push(...schemaErrors('plan', document.value, document.source));
    cloudBuilder.addDocument(document);
    const requests = fieldsOf(document.value).requests;
    if (Array.isArray(requests)) {
      requestSources.push({ kind: 'inline', source: document.source, items: requests });
    } else if (isTraceReference(requests)) {
      const tracePath = isAbsolute(requests.file) ? requests.file : join(document.directory, requests.file);
      fileOrder.push(tracePath);
      files.push(tracePath);
      // Read only as the replay streams it, but a trace that is not there is known now.
      const unreadable = unreadableReason(tracePath);
      if (unreadable !== null) {
        errors.push(errorAt(document.source, ['requests', 'file'], `cannot read \`${tracePath}\`: ${unreadable}`));
        continue;
      }
      requestSources.push({
        kind: 'trace',
        path: tracePath,
        file: tracePath,
        origin: { source: document.source, path: ['requests', 'file'] },
      });
    }
  }
  fileOrder.push('--set');

  const cloud = cloudBuilder.finish();
  for (const override of overrides) applySettingOverride(cloud.settings, override);
  // Zed's default enabled_filters go with Zed's scheduler, the Placement model's (docs/semantics.md, "Filters").
  const filtersNamed = cloudBuilder.filtersNamed || overrides.some(({ key }) => key === 'enabled_filters');
  if (cloud.settings.capacity_model === 'placement' && !filtersNamed) cloud.settings.enabled_filters = [...ZED_DEFAULT_FILTERS];
  // Requests written in the plans are checked now, up to the first trace: what follows a
  // trace may depend on names it builds, so it is checked as the trace streams.
  const index = cloudBuilder.index();
  const firstTrace = requestSources.findIndex((source) => source.kind === 'trace');
  const checker = new RequestChecker(index, errors);
  for (const source of firstTrace < 0 ? requestSources : requestSources.slice(0, firstTrace)) {
    for (const _request of checker.checked(source));
  }

  if (errors.length > 0) return failure(sortPlanErrors(errors, fileOrder));
  const total = firstTrace < 0 ? checker.requestCount : null;
  return success({ cloud, requests: () => new RequestStream(requestSources, index, fileOrder, total), warnings: sortPlanErrors([...cloudBuilder.warnings], fileOrder), hostTemplates: cloudBuilder.hostTemplates(), files });
}

function unreadableReason(path: string): string | null {
  try {
    closeSync(openSync(path, 'r'));
    return null;
  } catch (error) {
    return describeReadFailure(error);
  }
}
