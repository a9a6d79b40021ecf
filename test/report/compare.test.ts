import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderCompare } from '../../src/report/compare.ts';
import { OUTPUT_FORMATS, type OutputFormat } from '../../src/report/formats.ts';
import { compareReportOf, SAMPLE_CHANGES } from '../fixtures/report/sample-compare.ts';
import { rendered } from '../fixtures/report/sample-replay.ts';
import { assertMatchesGolden } from './golden.ts';
import { PROMTOOL_MISSING, promtoolCheck } from './promtool.ts';

function render(format: OutputFormat, color = false): string {
  return rendered((write) => renderCompare(compareReportOf(), format, write, { color }));
}

for (const format of OUTPUT_FORMATS) {
  test(`renders the sample comparison as ${format}, byte for byte as reviewed`, () => {
    assertMatchesGolden('compare', format, render(format));
  });

  test(`asks for the summaries, hosts and fit in ${format} only after every change is consumed`, () => {
    const report = compareReportOf();
    renderCompare(report, format, () => {}, { color: false });
    assert.equal(report.consumed(), true);
  });
}

test('rounds a fractional headroom as Python does, as every report prints figures', () => {
  // 100.125 is exact in binary: Python's %.2f rounds the tie to even, toFixed away from zero.
  for (const format of ['table', 'markdown'] as const) {
    assert.match(render(format), /100\.12\b/, format);
    assert.doesNotMatch(render(format), /100\.13/, format);
  }
});

test('marks a host or flavor that one plan lacks, and shows a change of headroom as before → after', () => {
  const table = render('table');
  assert.match(table, /│ cmp-3 +│ +\(not in plan\) → 2048 │/);
  assert.match(table, /│ cmp-1 +│ +100\.12 │ +80 → 0 │ +unlimited → 0 │/);
  assert.match(table, /│ gpu\.large +│ +\(not in plan\) │ +2 │/);
});

test('words the fit heading for each medium, under the title', () => {
  assert.match(render('table'), /^Compare: plan\.yaml → cpu_allocation_ratio=1\n\nDecisions that changed\n/);
  assert.match(render('table'), /\n\nFit per flavor \(how many more fit, on each side's final state\)\n┌/);
  assert.match(render('markdown'), /^## Compare: plan\.yaml → cpu\\_allocation\\_ratio=1\n\n### Decisions that changed\n/);
  assert.match(render('markdown'), /\n### Fit per flavor \(on each final state\)\n\n\| flavor/);
});

test('colours a claim lost red and a claim gained green', () => {
  const lines = render('table', true).split('\n');
  assert.match(lines.find((line) => line.includes('db-1')) ?? '', /\x1b\[31m/);
  assert.match(lines.find((line) => line.includes('web-2')) ?? '', /\x1b\[32m/);
});

test('writes one change per ndjson line, then the summaries, hosts and fit', () => {
  const lines = render('ndjson').trimEnd().split('\n').map((line) => JSON.parse(line));
  assert.equal(lines.length, SAMPLE_CHANGES.length + 1);
  assert.deepEqual(Object.keys(lines.at(-1)), ['summary', 'hosts', 'fit']);
});

test('publishes each side\'s figures labelled by side, in bytes, leaving out a host a side lacks', () => {
  const text = render('openmetrics');
  assert.match(text, /^claimplan_changed_decisions 2$/m);
  assert.match(text, /^claimplan_decisions\{side="after",result="claimed"\} 4$/m);
  assert.match(text, /^claimplan_host_memory_headroom_bytes\{host="cmp-1",side="before"\} 104988672$/m);
  assert.match(text, /^claimplan_host_vcpu_headroom\{host="cmp-1",side="before"\} \+Inf$/m);
  assert.doesNotMatch(text, /host="cmp-3",side="before"/);
  assert.match(text, /^claimplan_flavor_fit\{flavor="m1\.tiny",side="after"\} \+Inf$/m);
  assert.doesNotMatch(text, /flavor="gpu\.large",side="before"/);
});

test('writes openmetrics that promtool finds nothing to say about', { skip: PROMTOOL_MISSING }, () => {
  assert.deepEqual(promtoolCheck(render('openmetrics')), { status: 0, output: '' });
});
