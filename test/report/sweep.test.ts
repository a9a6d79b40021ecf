import { test } from 'node:test';
import assert from 'node:assert/strict';
import { OUTPUT_FORMATS, type OutputFormat } from '../../src/report/formats.ts';
import { renderSweep, sweepSvg } from '../../src/report/sweep.ts';
import { rendered } from '../fixtures/report/sample-replay.ts';
import { SAMPLE_SWEEP } from '../fixtures/report/sample-sweep.ts';
import { assertMatchesGolden } from './golden.ts';
import { PROMTOOL_MISSING, promtoolCheck } from './promtool.ts';

function render(format: OutputFormat, color = false): string {
  return rendered((write) => renderSweep(SAMPLE_SWEEP, format, write, { color }));
}

for (const format of OUTPUT_FORMATS) {
  test(`renders the sample sweep as ${format}, byte for byte as reviewed`, () => {
    assertMatchesGolden('sweep', format, render(format));
  });
}

test('shows each value swept as it was typed, not rounded to two decimals', () => {
  assert.match(render('table'), /│ +1\.1 │/);
  assert.doesNotMatch(render('table'), /1\.10/);
});

test('draws the charts on a terminal only, between the table\'s note and the turning points', () => {
  const table = render('table');
  assert.match(table, /claims lost \/ gained: [^\n]*\n\nrejected builds\n/);
  assert.match(table, /\n\nFirst claim lost at ram_allocation_ratio = 1\.3: db_primary \(seq 4\) \(and 1 more\), claimed at 1\.5, is rejected\.\n/);
  assert.doesNotMatch(render('markdown'), /rejected builds|┤/);
});

test('writes the turning points as one markdown paragraph, settings and names as typed', () => {
  assert.match(render('markdown'), /\n\nFirst claim lost at ram_allocation_ratio = 1\.3: db_primary \(seq 4\) \(and 1 more\), claimed at 1\.5, is rejected\. Last claim gained/);
});

test('publishes each value\'s figures labelled with the key and the value', () => {
  const text = render('openmetrics');
  assert.match(text, /^claimplan_decisions\{key="ram_allocation_ratio",value="1\.1",result="rejected"\} 3$/m);
  assert.match(text, /^claimplan_claims_lost\{key="ram_allocation_ratio",value="1\.3"\} 2$/m);
  assert.match(text, /^claimplan_flavor_fit\{key="ram_allocation_ratio",value="1\.5",flavor="m1\.small"\} 12$/m);
});

test('writes openmetrics that promtool finds nothing to say about', { skip: PROMTOOL_MISSING }, () => {
  assert.deepEqual(promtoolCheck(render('openmetrics')), { status: 0, output: '' });
});

test('charts claimed and rejected builds and each bounded flavor as SVG, marking the turning points', () => {
  const svg = sweepSvg(SAMPLE_SWEEP);
  assert.equal(svg.match(/<polyline /g)?.length, 3);
  assert.match(svg, /first claim lost \(db_primary\)/);
  assert.match(svg, /last claim gained \(web-2\)/);
});
