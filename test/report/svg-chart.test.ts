import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lineChartSvg } from '../../src/report/svg-chart.ts';

const SVG = lineChartSvg('claimplan sweep: <ratio> & more', 'ratio', [16, 8, 1], [{ label: 'rejected builds', colour: '#d62728', values: [0, 2, 7] }], [
  { index: 1, label: 'first claim lost (web-1)' },
]);

test('draws a standalone SVG with a polyline per series and a legend', () => {
  assert.match(SVG, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" width="720" height="360"/);
  assert.equal(SVG.match(/<polyline /g)?.length, 1);
  assert.match(SVG, />rejected builds<\/text>/);
  assert.ok(SVG.endsWith('</svg>\n'));
});

test('escapes text for XML and labels the x axis with each value', () => {
  assert.match(SVG, /claimplan sweep: &lt;ratio&gt; &amp; more/);
  for (const value of [16, 8, 1]) assert.match(SVG, new RegExp(`>${value}</text>`));
});

test('marks a value with a dashed line and its label, and tops the y axis at a round figure', () => {
  assert.match(SVG, /stroke-dasharray="4 3"/);
  assert.match(SVG, />first claim lost \(web-1\)<\/text>/);
  assert.match(SVG, />10<\/text>/);
});
