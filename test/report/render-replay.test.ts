import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse as parseYaml } from 'yaml';
import { OUTPUT_FORMATS, renderReplay, type OutputFormat } from '../../src/report/index.ts';
import { rendered, replayOutputOf, SAMPLE_DECISIONS } from '../fixtures/report/sample-replay.ts';
import { assertMatchesGolden } from './golden.ts';

function render(format: OutputFormat, color = false): string {
  return rendered((write) => renderReplay(replayOutputOf(), format, write, { color }));
}

const GOLDEN_NAMES: Record<OutputFormat, string> = {
  table: 'sample.table.txt',
  json: 'sample.json',
  yaml: 'sample.yaml',
  ndjson: 'sample.ndjson',
  csv: 'sample.csv',
  markdown: 'sample.md',
};

for (const format of OUTPUT_FORMATS) {
  test(`renders the sample replay as ${format}, byte for byte as reviewed`, () => {
    assertMatchesGolden(GOLDEN_NAMES[format], render(format));
  });

  test(`gives byte-identical ${format} output for the same replay`, () => {
    assert.equal(render(format), render(format));
  });

  test(`asks for hosts and summary in ${format} only after every decision is consumed`, () => {
    // The fixture throws when hosts() or summary() come early, as the engine's state would be wrong.
    const output = replayOutputOf();
    renderReplay(output, format, () => {}, { color: false });
    assert.equal(output.consumed(), true);
  });
}

test('offers the six formats of SPEC §3, table first as the default', () => {
  assert.deepEqual(OUTPUT_FORMATS, ['table', 'json', 'yaml', 'ndjson', 'csv', 'markdown']);
});

test('never writes the audit lines, which --verbose sends to stderr', () => {
  for (const format of OUTPUT_FORMATS) assert.doesNotMatch(render(format), /Attempting claim/, format);
});

test('keeps every one of Nova\'s reasons whole in the machine-readable formats', () => {
  const reasons = SAMPLE_DECISIONS.flatMap((d) => [...d.reasons, ...(d.attempts ?? []).flatMap((a) => a.reasons)]);
  const json = JSON.parse(render('json'));
  const yaml = parseYaml(render('yaml'));
  for (const reason of reasons) {
    assert.ok(JSON.stringify(json).includes(JSON.stringify(reason)), reason);
    assert.ok(JSON.stringify(yaml).includes(JSON.stringify(reason)), reason);
  }
});

test('renders an empty replay in every format without failing', () => {
  for (const format of OUTPUT_FORMATS) {
    const text = rendered((write) => renderReplay(replayOutputOf([]), format, write, { color: false }));
    assert.ok(text.endsWith('\n'), format);
  }
  const json = JSON.parse(rendered((write) => renderReplay(replayOutputOf([]), 'json', write, { color: false })));
  assert.deepEqual(json.decisions, []);
});
