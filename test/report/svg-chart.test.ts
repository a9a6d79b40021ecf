import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lineChartSvg, type ChartMarker, type ChartSeries } from '../../src/report/svg-chart.ts';
import { runCli } from '../run-cli.ts';

const SVG = lineChartSvg('claimplan sweep: <ratio> & more', 'ratio', 'instances', [16, 8, 1], [{ label: 'rejected builds', colour: '#d62728', values: [0, 2, 7] }], [
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
  assert.match(SVG, />8<\/text>/);
});

/** A drawn text's box, from its position, anchor, size and rotation, each character taken 0.65 em wide. */
interface Box {
  text: string;
  left: number;
  right: number;
  top: number;
  bottom: number;
}

function textBoxes(svg: string): Box[] {
  const defaultSize = Number(/<svg [^>]*font-size="([\d.]+)"/.exec(svg)![1]);
  return [...svg.matchAll(/<text ([^>]*)>([^<]*)<\/text>/g)].map(([, attributes, text]) => {
    const attribute = (name: string) => new RegExp(`(?:^| )${name}="([^"]*)"`).exec(attributes)?.[1];
    const x = Number(attribute('x'));
    const y = Number(attribute('y'));
    const size = Number(attribute('font-size') ?? defaultSize);
    const width = text.replace(/&\w+;/g, '_').length * size * 0.65;
    const anchor = attribute('text-anchor') ?? 'start';
    const start = anchor === 'middle' ? x - width / 2 : anchor === 'end' ? x - width : x;
    // Ascent 0.8 em above the baseline, descent 0.25 em below it; rotated -90°, the run goes up.
    if (attribute('transform')?.startsWith('rotate(-90')) return { text, left: x - 0.8 * size, right: x + 0.25 * size, top: y - width / 2, bottom: y + width / 2 };
    return { text, left: start, right: start + width, top: y - 0.8 * size, bottom: y + 0.25 * size };
  });
}

function assertLegible(svg: string): void {
  const boxes = textBoxes(svg);
  for (const box of boxes) {
    assert.ok(box.left >= 0 && box.right <= 720 && box.top >= 0 && box.bottom <= 360, `"${box.text}" leaves the chart: ${JSON.stringify(box)}`);
  }
  boxes.forEach((a, index) => {
    for (const b of boxes.slice(index + 1)) {
      const overlap = a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
      assert.ok(!overlap, `"${a.text}" is drawn over "${b.text}"`);
    }
  });
}

const series = (labels: string[], values: number[][]): ChartSeries[] => labels.map((label, index) => ({ label, colour: '#000', values: values[index] }));

test('draws no label over another: turning points beside the legend, every value, long names', () => {
  const markers: ChartMarker[] = [
    { index: 11, label: 'first claim lost (render-1)' },
    { index: 11, label: 'last claim gained (edge-app-1)' },
  ];
  const values = Array.from({ length: 16 }, (_, k) => 16 - k);
  assertLegible(lineChartSvg('claimplan sweep: cpu_allocation_ratio', 'cpu_allocation_ratio', 'instances', values, series(['claimed builds', 'rejected builds'], [values.map(() => 20), values.map((v) => v % 3)]), markers));
  const many = Array.from({ length: 41 }, (_, k) => 1 + k * 0.125);
  const long = series(['claimed builds', 'rejected builds', 'gpu.a100.8xlarge-with-local-nvme more fit'], [many.map(() => 1), many.map(() => 2), many.map(() => 3)]);
  assertLegible(lineChartSvg('claimplan sweep: ram_allocation_ratio', 'ram_allocation_ratio', 'instances', many, long, [{ index: 40, label: 'last claim gained (a-very-long-instance-name-7)' }, { index: 0, label: 'first claim lost (x)' }]));
  assertLegible(lineChartSvg('claimplan sweep: x', 'x', 'instances', [3], series(['claimed builds'], [[5]]), [{ index: 0, label: 'first claim lost (web-1)' }]));
});

test('draws the sweep of the bundled example with its turning points off the legend', () => {
  const file = join(mkdtempSync(join(tmpdir(), 'claimplan-chart-')), 'sweep.svg');
  assert.equal(runCli(['sweep', 'examples/small-cloud.yaml', '--vary', 'cpu_allocation_ratio=16:1:-1', '--chart', file, '-f', 'csv']).status, 0);
  const chart = readFileSync(file, 'utf8');
  assert.match(chart, />first claim lost \(render-1\)</);
  assertLegible(chart);
});

const RSVG_MISSING = spawnSync('rsvg-convert', ['--version']).status === 0 ? false : 'rsvg-convert is not installed (apt-get install -y librsvg2-bin; CI installs it)';

test('renders as an image with librsvg, at the size it states', { skip: RSVG_MISSING }, () => {
  const render = spawnSync('rsvg-convert', ['--format', 'png'], { input: lineChartSvg('t', 'x', 'instances', [1, 2, 3], series(['claimed builds'], [[1, 5, 9]]), [{ index: 2, label: 'first claim lost (web-1)' }]) });
  assert.equal(render.status, 0, String(render.stderr));
  // A PNG's IHDR chunk holds its width and height as 32-bit big-endian integers.
  assert.deepEqual([render.stdout.readUInt32BE(16), render.stdout.readUInt32BE(20)], [720, 360]);
});

test('ticks whole numbers for counts, and labels the y axis', () => {
  const svg = lineChartSvg('t', 'x', 'instances', [1, 2], series(['claimed builds'], [[0, 50]]));
  const ticks = [...svg.matchAll(/<text x="[\d.]+" y="[\d.]+" text-anchor="end">([^<]*)<\/text>/g)].map((match) => match[1]);
  assert.deepEqual(ticks, ['0', '20', '40', '60']);
  assert.match(svg, /transform="rotate\(-90 [\d.]+ [\d.]+\)">instances<\/text>/);
  const fractions = lineChartSvg('t', 'x', 'y', [1, 2], series(['s'], [[0, 0.3]]));
  assert.deepEqual([...fractions.matchAll(/text-anchor="end">([^<]*)</g)].map((match) => match[1]), ['0', '0.1', '0.2', '0.3']);
});
