// claimplan's nested resource providers against Placement 8.0's own code, on generated
// clouds of provider trees. Needs Debian's python3-placement and python3-nova under
// /usr/bin/python3 (CI installs both).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { placementImportable } from './placement-conformance.ts';
import { runNestedConformance } from './nested-conformance.ts';
import { caseCount } from './case-counts.ts';

const available = placementImportable();
const CASES = caseCount('NESTED_CONFORMANCE_CASES', 100, 500);

test(
  'lists the same candidate hosts as Placement over provider trees, takes an allocation Placement offers (the one docs/semantics.md names) and leaves the same usage on every provider',
  { skip: !available && 'python3-placement (or python3-nova) not importable under /usr/bin/python3: nested-provider conformance skipped', timeout: 30 * 60_000 },
  async (t) => {
    const report = await runNestedConformance(CASES);
    const { builds } = report;
    t.diagnostic(`${report.cases} clouds, ${report.providers} providers, trees up to ${report.deepest} levels`);
    t.diagnostic(
      `${builds.scheduled + builds.named} builds (${builds.scheduled} scheduled, ${builds.named} naming a host; ${builds.isolate} group_policy=isolate, ${builds.none} none): ` +
        `${builds.claimed} claimed (${builds.offeredMoreThanOne} where Placement offered more than one allocation in the tree), ${builds.noCandidate} with no candidate`,
    );
    t.diagnostic(`time answering the builds: Placement ${report.seconds.placement.toFixed(1)} s, claimplan ${report.seconds.claimplan.toFixed(2)} s`);
    t.diagnostic(`mismatches: ${report.mismatches.length}`);
    assert.deepEqual(report.mismatches.slice(0, 3), []);
  },
);
