// claimplan's NUMA and PCI claim against Nova 26's own code, on generated cases.
// Needs Debian's python3-nova under /usr/bin/python3 (.ci/run installs it).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { novaImportable, runConformance } from './nova-conformance.ts';
import { caseCount } from './case-counts.ts';

const available = novaImportable();
const CASES = caseCount('CONFORMANCE_CASES', 600, 2_000);

test(
  'fits, pins, pages and takes PCI devices exactly as Nova does on generated cases',
  { skip: !available && 'python3-nova not importable: conformance skipped', timeout: 15 * 60_000 },
  async (t) => {
    const report = await runConformance(CASES);
    const { builds, seconds } = report;
    t.diagnostic(`${report.cases} cases, ${builds.claimed + builds.rejected + builds.refused} builds: ` +
      `${builds.claimed} claimed, ${builds.rejected} rejected (${builds.raised} where Nova raised, ` +
      `${builds.undefinedAlias} refused by the API for an undefined alias), ${builds.refused} flavors refused; ` +
      `${builds.unmatchedAlias} builds asked for an alias no pool of the host matches`);
    for (const [category, tally] of Object.entries(report.perCategory)) {
      t.diagnostic(`  ${category.padEnd(18)} ${String(tally.cases).padStart(4)} cases  ` +
        `${tally.claimed} claimed / ${tally.rejected} rejected / ${tally.refused} refused`);
    }
    const per = (total: number) => (total / seconds.fits) * 1e6;
    t.diagnostic(`claim test per fit: Nova ${per(seconds.nova).toFixed(0)} µs, claimplan ` +
      `${per(seconds.claimplan).toFixed(0)} µs (${(seconds.nova / seconds.claimplan).toFixed(1)}× faster), ` +
      `${seconds.fits} fits`);
    t.diagnostic(`mismatches: ${report.mismatches.length}`);
    assert.deepEqual(report.mismatches.slice(0, 3), []);
    assert.equal(builds.unmatchedAliasClaimed, 0, 'Nova claimed a build asking for an alias no pool matches');
  },
);
