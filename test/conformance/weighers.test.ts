// claimplan's weighing against Nova 26's own weigher classes and weight handler, on random
// clouds. Needs Debian's python3-nova under /usr/bin/python3 (.ci/run installs it).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { novaSchedulerImportable, runWeigherConformance } from './weigher-conformance.ts';
import { caseCount } from './case-counts.ts';

const available = novaSchedulerImportable();
const CASES = caseCount('WEIGHER_CONFORMANCE_CASES', 250, 1_000);

test(
  "weighs every scheduled build exactly as Nova's weighers do: raw and normalised weights, totals, order and the host chosen",
  { skip: !available && 'python3-nova not importable: weigher conformance skipped', timeout: 15 * 60_000 },
  async (t) => {
    const report = await runWeigherConformance(CASES);
    t.diagnostic(
      `${report.cases} random clouds, ${report.builds} scheduled builds (${report.weighedBuilds} with two or more hosts to weigh): ` +
        `${report.overCommitted} with an over-committed host, ${report.withPci} with PCI hosts, ${report.inGroups} in a server group`,
    );
    for (const [kind, tally] of Object.entries(report.perKind)) t.diagnostic(`  ${kind.padEnd(20)} ${tally.cases} clouds, ${tally.builds} builds`);
    t.diagnostic(`time: Nova ${report.seconds.nova.toFixed(1)} s, claimplan (two replays and its own weighing) ${report.seconds.claimplan.toFixed(1)} s`);
    t.diagnostic(
      `RAM-only builds: ${report.ramOnly.builds}; claimplan's choice before Zed's weighers differs on ${report.ramOnly.changed}, ` +
        `each where the RAMWeigher's minval 0 changes it`,
    );
    t.diagnostic(`mismatches: ${report.mismatches.length}`);
    assert.deepEqual(report.mismatches.slice(0, 5), []);
    assert.deepEqual(report.ramOnly.notMinval, [], "with the RAM weigher (and a soft group's), only the minval fault may change a choice");
    assert.ok(report.ramOnly.changed > 0, 'the random clouds must reach the minval fault');
    assert.ok(report.weighedBuilds > report.cases * 10, 'most builds must have hosts to weigh');
  },
);
