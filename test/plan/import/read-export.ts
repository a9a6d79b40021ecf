// Reading the samples of test/fixtures/import (its README names their sources): through one
// reader alone, or through the whole import as `claimplan import` runs it.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { formatPlanError, type PlanError } from '../../../src/plan/errors.ts';
import { importExports } from '../../../src/plan/import/exports.ts';
import { Diagnostics, type ExportForm, type PartialPlan } from '../../../src/plan/import/partial-plan.ts';
import { readPlanDocument } from '../../../src/plan/source.ts';
import { PROJECT_ROOT } from '../../run-cli.ts';

export const FIXTURES = join(PROJECT_ROOT, 'test/fixtures/import');
const at = (...paths: string[]) => paths.map((path) => join(FIXTURES, path));
const located = (problem: PlanError) => formatPlanError(problem).replace(`${FIXTURES}/`, '');

type Host = Record<string, unknown> & { name: string; used?: Record<string, number>; inventories?: Record<string, Record<string, number>> };
type Flavor = Record<string, unknown> & { name: string; extra_specs?: Record<string, string> };

/** One sample read by `form` alone, which must recognise it: what the reader kept, and its located problems. */
export function readWith(form: ExportForm, path: string): PartialPlan & { errors: string[]; warnings: string[] } {
  const read = readPlanDocument(join(FIXTURES, path), () => '');
  if (!read.ok) assert.fail(read.error.map(formatPlanError).join('\n'));
  assert.ok(form.recognise(read.value.value), `${form.name} recognises ${path}`);
  const diagnostics = new Diagnostics();
  const plan = form.read({ source: read.value.source, value: read.value.value, path: join(FIXTURES, path) }, diagnostics);
  return { ...plan, errors: diagnostics.errors.map(located), warnings: diagnostics.warnings.map(located) };
}

/** Whether `form` takes the sample for one of its own. */
export function recognises(form: ExportForm, path: string): boolean {
  const read = readPlanDocument(join(FIXTURES, path), () => '');
  if (!read.ok) assert.fail(read.error.map(formatPlanError).join('\n'));
  return form.recognise(read.value.value);
}

/** The plan the whole import makes of the samples, and its warnings. */
export function imported(...paths: string[]) {
  const result = importExports(at(...paths), () => '');
  if (!result.ok) assert.fail(result.error.map(formatPlanError).join('\n'));
  const plan = result.value.plan as { cloud: Record<string, unknown>; hosts: Host[]; flavors: Flavor[]; aggregates?: { name: string; availability_zone?: string; hosts: string[]; metadata?: Record<string, string> }[] };
  return { ...plan, warnings: result.warnings.map(located) };
}

/** The located errors the whole import refuses the samples with. */
export function refused(...paths: string[]): string[] {
  const result = importExports(at(...paths), () => '');
  assert.equal(result.ok, false, 'the import should be refused');
  return (result as { error: PlanError[] }).error.map(located);
}
