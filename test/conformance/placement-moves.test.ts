// claimplan's moves under the Placement model against Placement 8.0 driven by Zed's own
// report client calls, on generated plans. Needs Debian's python3-placement and
// python3-nova under /usr/bin/python3 (CI installs both).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { placementImportable } from './placement-conformance.ts';
import { runMoveConformance } from './move-conformance.ts';
import { caseCount } from './case-counts.ts';

const available = placementImportable();
const PLANS = caseCount('MOVE_CONFORMANCE_PLANS', 40, 500);

test(
  'decides every move, confirm, revert, evacuation and host down or up, and leaves every host\'s usage after each step, as Placement and Zed do on generated plans',
  { skip: !available && 'python3-placement (or python3-nova) not importable under /usr/bin/python3: move conformance skipped', timeout: 30 * 60_000 },
  async (t) => {
    const report = await runMoveConformance(PLANS);
    t.diagnostic(`${report.plans} plans, ${report.decisions} decisions, ${report.usagesCompared} host usages compared`);
    for (const [op, tally] of Object.entries(report.perOp).sort()) {
      t.diagnostic(`  ${op.padEnd(13)} ${Object.entries(tally).map(([result, count]) => `${count} ${result}`).join(' / ')}`);
    }
    t.diagnostic(`moves of an instance an evacuation had moved: ${report.movesAfterEvacuation}`);
    t.diagnostic(`time: Placement and Zed's calls ${report.seconds.harness.toFixed(1)} s, claimplan ${report.seconds.claimplan.toFixed(2)} s`);
    t.diagnostic(`mismatches: ${report.mismatches.length}`);
    assert.deepEqual(report.mismatches.slice(0, 3), []);
  },
);
