// claimplan's filters against Nova 26's own filter classes, filter handler and weighers, on
// random clouds. Needs Debian's python3-nova under /usr/bin/python3 (.ci/run installs it).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FILTERS_TESTED, novaFiltersImportable, runFilterConformance } from './filter-conformance.ts';
import { caseCount } from './case-counts.ts';

const available = novaFiltersImportable();
const CASES = caseCount('FILTER_CONFORMANCE_CASES', 250, 1_000);

test(
  "passes and refuses each host as each of Nova's filters does, and lands each scheduled build where Nova's filters and weighers would",
  { skip: !available && 'python3-nova not importable: filter conformance skipped', timeout: 15 * 60_000 },
  async (t) => {
    const report = await runFilterConformance(CASES);
    t.diagnostic(`${report.cases} random clouds, ${report.builds} scheduled builds (${report.refusedZones} more refused at the API for their zone), ${report.verdicts} host verdicts`);
    t.diagnostic(`Nova chose a host for ${report.placed} builds, none for ${report.noHost}`);
    for (const name of FILTERS_TESTED) t.diagnostic(`  ${name.padEnd(36)} refused ${report.refusals[name] ?? 0} hosts`);
    t.diagnostic(`time: Nova ${report.seconds.nova.toFixed(1)} s, claimplan ${report.seconds.claimplan.toFixed(1)} s`);
    t.diagnostic(`mismatches: ${report.mismatches.length}`);
    assert.deepEqual(report.mismatches.slice(0, 8), []);
    for (const name of FILTERS_TESTED) assert.ok((report.refusals[name] ?? 0) > 0, `the random clouds must make ${name} refuse some host`);
    assert.ok(report.placed > report.builds / 4 && report.noHost > 0, 'builds must both land and find no host');
  },
);
