// An import assembled into a plan, its text and its warnings, for tests that check the plan
// text itself.
import { formatPlanError } from '../../../src/plan/errors.ts';
import { assemblePlan } from '../../../src/plan/import/assemble.ts';
import { Diagnostics } from '../../../src/plan/import/partial-plan.ts';
import { importedPlanYaml } from '../../../src/plan/import/plan-yaml.ts';
import { readExports } from '../../../src/plan/import/recognise.ts';

export function assembledPlanText(paths: string[]): { plan: Record<string, unknown>; text: string; warnings: string[] } {
  const diagnostics = new Diagnostics();
  const { plan: partial } = readExports(paths, () => '', diagnostics);
  const plan = assemblePlan(partial, diagnostics);
  if (diagnostics.errors.length > 0) throw new Error(diagnostics.errors.map(formatPlanError).join('\n'));
  return { plan, text: importedPlanYaml(plan, paths), warnings: diagnostics.warnings.map(formatPlanError) };
}
