// `claimplan import`'s work on files: every export read by the reader of its form, then
// assembled into one plan, or the located errors that refuse it; warnings either way.
import { sortPlanErrors, type PlanError } from '../errors.ts';
import { assemblePlan } from './assemble.ts';
import { Diagnostics } from './partial-plan.ts';
import { readExports } from './recognise.ts';
import { failure, success, type Result } from '../../engine/core/result.ts';

/** The plan, or the located errors that refuse it; its warnings either way. */
export type ImportResult = Result<{ plan: Record<string, unknown>; files: string[] }, PlanError[]> & { warnings: PlanError[] };

export function importExports(paths: string[], readStdin: () => string): ImportResult {
  const diagnostics = new Diagnostics();
  const { plan: partial, files } = readExports(paths, readStdin, diagnostics);
  const sorted = (problems: PlanError[]) => sortPlanErrors(problems, files);
  // Assembling what could not be read would only repeat its errors as missing hosts or flavors.
  if (diagnostics.errors.length > 0) return { ...failure(sorted(diagnostics.errors)), warnings: sorted(diagnostics.warnings) };
  const plan = assemblePlan(partial, diagnostics);
  if (diagnostics.errors.length > 0) return { ...failure(sorted(diagnostics.errors)), warnings: sorted(diagnostics.warnings) };
  if ((plan.hosts as unknown[]).length === 0) {
    diagnostics.warnings.push({ file: '', line: 0, column: 0, path: '', message: 'the exports name no hypervisor and no compute node provider: the plan has no hosts' });
  }
  return { ...success({ plan, files }), warnings: sorted(diagnostics.warnings) };
}
