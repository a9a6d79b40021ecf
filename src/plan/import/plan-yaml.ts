// An imported plan written as the YAML an operator edits next: a header saying where it
// came from, then the plan.
import { stringify } from 'yaml';

export function importedPlanYaml(plan: object, sources: string[]): string {
  const header =
    `# Imported by claimplan from ${sources.join(', ')}.\n` + '# Add requests (builds and deletes) under `requests:` to replay them.\n';
  return header + stringify(plan, { lineWidth: 0 });
}
