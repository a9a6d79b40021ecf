// The plan layer's entry: plan files (and `--set` overrides) in, the engine's typed
// cloud and a replayable request stream out, or every problem found, located.
//
// The stages, each in its own file: source.ts reads files and keeps positions,
// schema.ts checks each document against the one JSON Schema, cloud.ts (with hosts.ts)
// merges documents and checks the cloud as a whole, requests.ts walks the request
// stream once to check names, settings.ts reads `--set`.
import { readFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import type { Cloud, Request } from '../engine/model.ts';
import { CloudBuilder, isTraceReference } from './cloud.ts';
import { sortPlanErrors, type PlanError } from './errors.ts';
import { fieldsOf } from './fields.ts';
import { RequestChecker, streamRequests, type RequestSource } from './requests.ts';
import { schemaErrors } from './schema.ts';
import { applySettingOverride, parseSettingOverride, type SettingOverride } from './settings.ts';
import { readPlanDocument } from './source.ts';

export { formatPlanError, type PlanError } from './errors.ts';
export { parseSettingOverride, parseSettingValue, applySettingOverride, type SettingOverride, type SettingOverrideResult } from './settings.ts';

export interface LoadedPlan {
  cloud: Cloud;
  /** A fresh, lazy iterable each call: compare and sweep replay the same requests several times. */
  requests(): Iterable<Request>;
  /** how many requests `requests()` yields, counted while checking them */
  requestCount: number;
}

export type LoadResult = { ok: true; plan: LoadedPlan } | { ok: false; errors: PlanError[] };

export interface LoadOptions {
  /** what `-` reads; standard input by default */
  readStdin?: () => string;
  /** `--set KEY=VALUE` texts, applied over the merged cloud settings */
  settingOverrides?: string[];
}

export function loadPlan(paths: string[], options: LoadOptions = {}): LoadResult {
  const readStdin = options.readStdin ?? (() => readFileSync(0, 'utf8'));
  const errors: PlanError[] = [];
  const fileOrder: string[] = [];
  const overrides: SettingOverride[] = [];
  (options.settingOverrides ?? []).forEach((text, index) => {
    const parsed = parseSettingOverride(text, index + 1);
    if (parsed.ok) overrides.push(parsed.override);
    else errors.push(parsed.error);
  });

  const cloudBuilder = new CloudBuilder(errors);
  const requestSources: RequestSource[] = [];
  for (const path of paths) {
    const read = readPlanDocument(path, readStdin);
    if (!read.ok) {
      fileOrder.push(read.errors[0].file);
      errors.push(...read.errors);
      continue;
    }
    const { document } = read;
    fileOrder.push(document.source.file);
    errors.push(...schemaErrors('plan', document.value, document.source));
    cloudBuilder.addDocument(document);
    const requests = fieldsOf(document.value).requests;
    if (Array.isArray(requests)) {
      requestSources.push({ kind: 'inline', source: document.source, items: requests });
    } else if (isTraceReference(requests)) {
      const tracePath = isAbsolute(requests.file) ? requests.file : join(document.directory, requests.file);
      fileOrder.push(tracePath);
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
  const checker = new RequestChecker(cloudBuilder.index(), errors);
  for (const source of requestSources) checker.check(source);

  if (errors.length > 0) return { ok: false, errors: sortPlanErrors(errors, fileOrder) };
  return { ok: true, plan: { cloud, requests: () => streamRequests(requestSources), requestCount: checker.requestCount } };
}
