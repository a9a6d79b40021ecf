// The plan layer's entry: plan files (and `--set` overrides) in, the engine's typed
// cloud and a replayable request stream out, or every problem found, located.
//
// The stages, each in its own file: source.ts reads files and keeps positions,
// schema-check.ts checks each document against the one JSON Schema, cloud.ts (with hosts.ts)
// merges documents and checks the cloud as a whole, requests.ts checks the request
// stream as it is replayed, settings.ts reads `--set`.
import { closeSync, openSync, readFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import type { Cloud, Request } from '../engine/core/model.ts';
import { CloudBuilder, isTraceReference, type CloudIndex, type PlanWarning } from './cloud.ts';
import type { HostTemplate } from './host-templates.ts';
import { sortPlanErrors, type PlanError } from './errors.ts';
import { fieldsOf, listOf } from './fields.ts';
import { novaConfDocuments } from './nova-conf/plan-document.ts';
import { readNovaConf, type NovaConfText } from './nova-conf/read.ts';
import { RequestChecker, type RequestSource } from './requests.ts';
import { schemaErrors } from './schema-check.ts';
import { applySettingOverride, parseSettingOverrides } from './settings.ts';
import { ZED_DEFAULT_FILTERS } from '../engine/core/model.ts';
import { describeReadFailure, errorAt, readPlanDocument, type PlanDocument } from './source.ts';
import { failure, success, type Result } from '../engine/core/result.ts';

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
 * A plan's requests, checked as they are read: those that pass are yielded, and every
 * problem is in `problems` once the stream has ended.
 */
export interface CheckedRequests extends Iterable<Request> {
  readonly problems: readonly PlanError[];
  /** how many requests the entries read so far expand to, those with problems included */
  readonly requestCount: number;
  /** whether problems can still turn up while streaming: the plan reads a trace */
  readonly checksWhileStreaming: boolean;
  /** how many requests the stream holds, when known before it streams: a plan without a trace */
  readonly total: number | null;
}

/** The plan's requests, read and checked on this thread as they are iterated. */
export class RequestStream implements CheckedRequests {
  readonly problems: PlanError[] = [];
  readonly checksWhileStreaming: boolean;
  /** the checker of the stream's last iteration, which counts its requests */
  private checker: RequestChecker | null = null;
  /** the traces the plan reads, in order */
  readonly traces: readonly string[];

  constructor(
    private readonly sources: readonly RequestSource[],
    private readonly index: CloudIndex,
    private readonly fileOrder: string[],
    readonly total: number | null,
  ) {
    this.traces = sources.flatMap((source) => (source.kind === 'trace' ? [source.path] : []));
    this.checksWhileStreaming = this.traces.length > 0;
  }

  get requestCount(): number {
    return this.checker?.requestCount ?? 0;
  }

  *[Symbol.iterator](): Generator<Request> {
    const found: PlanError[] = [];
    const checker = new RequestChecker(this.index, found);
    this.checker = checker;
    // yield* hands each request on as the checker yields it, without a step of this generator per request.
    for (const source of this.sources) yield* checker.checked(source);
    this.problems.push(...sortPlanErrors(found, this.fileOrder));
  }
}

export type LoadResult = Result<LoadedPlan, PlanError[]>;

export interface LoadOptions {
  /** what `-` reads; standard input by default */
  readStdin?: () => string;
  /** `--set KEY=VALUE` texts, applied over the merged cloud settings */
  settingOverrides?: string[];
  /** `--nova-conf FILE`s, read after the plans' `nova_conf:` files, so they win over them */
  novaConfPaths?: string[];
}

export function loadPlan(paths: string[], options: LoadOptions = {}): LoadResult {
  const readStdin = options.readStdin ?? (() => readFileSync(0, 'utf8'));
  const { overrides, errors } = parseSettingOverrides(options.settingOverrides ?? []);
  const fileOrder: string[] = [];

  const cloudBuilder = new CloudBuilder(errors);
  const requestSources: RequestSource[] = [];
  const files = paths.filter((path) => path !== '-');
  const documents: PlanDocument[] = [];
  for (const path of paths) {
    const read = readPlanDocument(path, readStdin);
    if (!read.ok) {
      fileOrder.push(read.error[0].file);
      errors.push(...read.error);
      continue;
    }
    fileOrder.push(read.value.source.file);
    errors.push(...schemaErrors('plan', read.value.value, read.value.source));
    documents.push(read.value);
  }
  // nova.conf comes first, so that every plan's `cloud:` overrides it (docs/semantics.md#nova-conf).
  const novaConf = readNovaConfFiles(documents, options.novaConfPaths ?? []);
  errors.push(...novaConf.errors);
  fileOrder.unshift(...novaConf.files);
  files.push(...novaConf.files);
  for (const document of [...novaConf.documents, ...documents]) addPlanDocument(document);

  function addPlanDocument(document: PlanDocument): void {
    cloudBuilder.addDocument(document);
    const requests = fieldsOf(document.value).requests;
    if (Array.isArray(requests)) {
      requestSources.push({ kind: 'inline', source: document.source, items: requests });
    } else if (isTraceReference(requests)) {
      const tracePath = isAbsolute(requests.file) ? requests.file : join(document.directory, requests.file);
      // Its problems sort right after its plan's.
      fileOrder.splice(fileOrder.indexOf(document.source.file) + 1, 0, tracePath);
      files.push(tracePath);
      // Read only as the replay streams it, but a trace that is not there is known now.
      const unreadable = unreadableReason(tracePath);
      if (unreadable !== null) {
        errors.push(errorAt(document.source, ['requests', 'file'], `cannot read \`${tracePath}\`: ${unreadable}`));
        return;
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
  return success({ cloud, requests: () => new RequestStream(requestSources, index, fileOrder, total), warnings: sortPlanErrors([...novaConf.warnings, ...cloudBuilder.warnings], fileOrder), hostTemplates: cloudBuilder.hostTemplates(), files });
}

/**
 * The plans' `nova_conf:` files (each relative to its plan), then the `--nova-conf` ones,
 * read as oslo.config reads its `--config-file`s: later files win. Their values come back
 * as plan documents the loader merges before the plans.
 */
function readNovaConfFiles(plans: readonly PlanDocument[], novaConfPaths: readonly string[]): { documents: PlanDocument[]; errors: PlanError[]; warnings: PlanWarning[]; files: string[] } {
  const errors: PlanError[] = [];
  const texts: NovaConfText[] = [];
  const read = (path: string, onFailure: (reason: string) => PlanError): void => {
    try {
      texts.push({ file: path, text: readFileSync(path, 'utf8') });
    } catch (error) {
      errors.push(onFailure(describeReadFailure(error)));
    }
  };
  for (const plan of plans) {
    listOf(fieldsOf(plan.value).nova_conf).forEach((name, index) => {
      if (typeof name !== 'string' || name === '') return;
      const path = isAbsolute(name) ? name : join(plan.directory, name);
      read(path, (reason) => errorAt(plan.source, ['nova_conf', index], `cannot read \`${path}\`: ${reason}`));
    });
  }
  for (const path of novaConfPaths) read(path, (reason) => ({ file: path, line: 0, column: 0, path: '', message: `cannot read: ${reason}` }));
  if (texts.length === 0) return { documents: [], errors, warnings: [], files: [] };
  const reading = readNovaConf(texts);
  const files = texts.map(({ file }) => file);
  const { documents, problems } = novaConfDocuments(reading, files);
  for (const document of documents) errors.push(...schemaErrors('plan', document.value, document.source));
  return { documents, errors: [...errors, ...reading.problems, ...problems], warnings: reading.warnings, files };
}

function unreadableReason(path: string): string | null {
  try {
    closeSync(openSync(path, 'r'));
    return null;
  } catch (error) {
    return describeReadFailure(error);
  }
}
