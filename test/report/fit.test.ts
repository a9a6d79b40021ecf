import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderFit } from '../../src/report/fit.ts';
import { FIT_FORMATS, type FitFormat } from '../../src/report/formats.ts';
import { SAMPLE_FIT } from '../fixtures/report/sample-fit.ts';
import { rendered } from '../fixtures/report/sample-replay.ts';
import { assertMatchesGolden } from './golden.ts';
import { PROMTOOL_MISSING, promtoolCheck } from './promtool.ts';

function render(format: FitFormat, color = false): string {
  return rendered((write) => renderFit(SAMPLE_FIT, format, write, { color }));
}

for (const format of FIT_FORMATS) {
  test(`renders the sample fit as ${format}, byte for byte as reviewed`, () => {
    assertMatchesGolden('fit', format, render(format));
  });
}

test('says on the terminal title\'s line what markdown says in a sentence under its heading', () => {
  assert.match(render('table'), /^Fit after replaying 8 requests \(each flavor counted on its own from the final state of the replay\)\n┌/);
  assert.match(render('markdown'), /^## Fit\n\nAfter replaying 8 requests; each flavor counted on its own from the final state of the replay\.\n\n\| flavor/);
});

test('counts a flavor no limit bounds as unlimited, and colours a full host red', () => {
  assert.match(render('table'), /│ m1\.tiny +│ +unlimited │ +2 │/);
  const full = render('table', true).split('\n').find((line) => /│ m1\.small +│ cmp-1 │/.test(line.replace(/\x1b\[\d+m/g, '')));
  assert.match(full ?? '', /\x1b\[31m/);
});

test('publishes the fit per flavor and host, +Inf when unbounded, and the hosts\' usage in bytes', () => {
  const text = render('openmetrics');
  assert.match(text, /^claimplan_flavor_fit\{flavor="m1\.small"\} 14$/m);
  assert.match(text, /^claimplan_flavor_fit\{flavor="m1\.tiny"\} \+Inf$/m);
  assert.match(text, /^claimplan_host_flavor_fit\{host="gpu-1",flavor="m1\.small"\} 14$/m);
  assert.match(text, /^claimplan_host_disk_free_bytes\{host="cmp-1"\} 21474836480$/m);
  assert.doesNotMatch(text, /^claimplan_\w*_(mb|gb)\b/m, 'base units only');
});

test('writes openmetrics that promtool finds nothing to say about', { skip: PROMTOOL_MISSING }, () => {
  assert.deepEqual(promtoolCheck(render('openmetrics')), { status: 0, output: '' });
});
