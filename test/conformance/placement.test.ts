// claimplan's Placement model against Placement 8.0's and Nova 26's own code, on
// generated cases. Needs Debian's python3-placement and python3-nova under
// /usr/bin/python3 (CI installs both).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { placementImportable, runPlacementConformance } from './placement-conformance.ts';
import { caseCount } from './case-counts.ts';

const available = placementImportable();
const CASES = caseCount('PLACEMENT_CONFORMANCE_CASES', 200, 1_040);

test(
  'decides, allocates and refuses every build exactly as Placement and Nova do on generated cases',
  { skip: !available && 'python3-placement (or python3-nova) not importable under /usr/bin/python3: Placement conformance skipped', timeout: 30 * 60_000 },
  async (t) => {
    const report = await runPlacementConformance(CASES);
    const { builds, seconds } = report;
    t.diagnostic(
      `${report.cases} cases, ${builds.scheduled + builds.named} builds (${builds.scheduled} scheduled, ${builds.named} on a named host): ` +
        `${builds.claimed} claimed, ${builds.rejected} rejected (${builds.noCandidates} with no allocation candidate)`,
    );
    for (const [category, tally] of Object.entries(report.perCategory)) {
      t.diagnostic(
        `  ${category.padEnd(17)} ${String(tally.cases).padStart(4)} cases  ${tally.claimed} claimed / ${tally.rejected} rejected / ${tally.released} released`,
      );
    }
    const per = (total: number) => (total / seconds.builds) * 1e6;
    t.diagnostic(
      `time per build decided: Placement and Nova ${per(seconds.placement).toFixed(0)} µs, claimplan ${per(seconds.claimplan).toFixed(0)} µs ` +
        `(${(seconds.placement / seconds.claimplan).toFixed(0)}× faster)`,
    );
    t.diagnostic(`mismatches: ${report.mismatches.length}`);
    assert.deepEqual(report.mismatches.slice(0, 3), []);
  },
);
