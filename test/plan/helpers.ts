// Plans written to a temporary directory and loaded, with errors shown as the CLI prints
// them but with file names relative to that directory.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import assert from 'node:assert/strict';
import { formatPlanError, loadPlan, type LoadedPlan, type LoadOptions, type LoadResult, type PlanError } from '../../src/plan/load.ts';
import type { Request } from '../../src/engine/core/model.ts';

export interface Loaded {
  result: LoadResult;
  directory: string;
}

/** Writes `files` (name → text) to a fresh directory and loads `plans` (default: the first file) from it. */
export function loadFiles(files: Record<string, string>, plans?: string[], options?: LoadOptions): Loaded {
  const directory = mkdtempSync(join(tmpdir(), 'claimplan-plan-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(directory, name), text);
  const paths = (plans ?? [Object.keys(files)[0]]).map((name) => (name === '-' ? '-' : join(directory, name)));
  return { result: loadPlan(paths, options), directory };
}

/**
 * The errors of loading `text` as plan.yaml, each as `FILE:LINE:COL  PATH  message`:
 * those found at load, or else those its request stream finds as a replay reads it.
 */
export function errorsOf(files: Record<string, string> | string, plans?: string[], options?: LoadOptions): string[] {
  const { result, directory } = loadFiles(typeof files === 'string' ? { 'plan.yaml': files } : files, plans, options);
  const errors = result.ok ? streamProblems(result.value) : result.error;
  assert.ok(errors.length > 0, 'expected the plan to be refused');
  return errors.map((error) => formatPlanError(error).split(`${directory}/`).join(''));
}

function streamProblems(plan: LoadedPlan): PlanError[] {
  const stream = plan.requests();
  for (const _request of stream);
  return stream.problems;
}

export function planOf(files: Record<string, string> | string, plans?: string[], options?: LoadOptions): LoadedPlan {
  const { result, directory } = loadFiles(typeof files === 'string' ? { 'plan.yaml': files } : files, plans, options);
  if (!result.ok) {
    assert.fail(`expected a valid plan, got:\n${result.error.map((error) => formatPlanError(error).split(`${directory}/`).join('')).join('\n')}`);
  }
  return result.value;
}

export function requestsOf(plan: LoadedPlan): Request[] {
  return [...plan.requests()];
}

/** The instance each request names; null for a host going down or up. */
export function instancesOf(plan: LoadedPlan): (string | null)[] {
  return requestsOf(plan).map((request) => ('instance' in request ? request.instance : null));
}

export const MINIMAL = `version: 1
hosts:
  - {name: cmp-1, vcpus: 8, memory_mb: 16384, local_gb: 100}
flavors:
  - {name: m1, vcpus: 1, memory_mb: 1024, root_gb: 10}
`;
