import { test } from 'node:test';
import assert from 'node:assert/strict';
import { OUTPUT_FORMATS, type OutputFormat } from '../../src/report/formats.ts';
import { writeReport, type ReportShapes } from '../../src/report/render.ts';
import { rendered } from '../fixtures/report/sample-replay.ts';

/** A report whose every shape records that it was asked for. */
function recording(asked: string[]): ReportShapes {
  const NAME = [{ header: 'name', value: (row: unknown) => String(row) }];
  return {
    document: () => (asked.push('document'), [{ key: 'name', value: () => 'a' }]),
    ndjsonLines: () => (asked.push('ndjsonLines'), ['{"name":"a"}', '{"name":"b"}']),
    csv: () => (asked.push('csv'), { columns: NAME, rows: ['a'] }),
    markdown: () => (asked.push('markdown'), { blocks: [{ kind: 'table', columns: NAME, rows: ['a'] }] }),
    terminal: () => (asked.push('terminal'), { blocks: [{ kind: 'table', columns: NAME, rows: ['a'] }] }),
    metrics: () => (asked.push('metrics'), [{ name: 'claimplan_names', help: 'Names', samples: [{ labels: {}, value: 1 }] }]),
  };
}

const SHAPE: Record<OutputFormat, string> = {
  table: 'terminal',
  json: 'document',
  yaml: 'document',
  ndjson: 'ndjsonLines',
  csv: 'csv',
  markdown: 'markdown',
  openmetrics: 'metrics',
};

for (const format of OUTPUT_FORMATS) {
  test(`asks a report for its ${SHAPE[format]} shape alone, once, to write ${format}`, () => {
    const asked: string[] = [];
    const text = rendered((write) => writeReport(recording(asked), format, write, { color: false }));
    assert.deepEqual(asked, [SHAPE[format]]);
    assert.ok(text.endsWith('\n'));
  });
}

test('writes one ndjson line per JSON text, and a CSV header before the rows', () => {
  assert.equal(rendered((write) => writeReport(recording([]), 'ndjson', write, { color: false })), '{"name":"a"}\n{"name":"b"}\n');
  assert.equal(rendered((write) => writeReport(recording([]), 'csv', write, { color: false })), 'name\r\na\r\n');
});
