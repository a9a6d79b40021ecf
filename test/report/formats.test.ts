import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FIT_FORMATS, OUTPUT_FORMATS } from '../../src/report/formats.ts';

test('offers the formats docs/output.md lists, openmetrics included, table first as the default', () => {
  assert.deepEqual(OUTPUT_FORMATS, ['table', 'json', 'yaml', 'ndjson', 'csv', 'markdown', 'openmetrics']);
});

test('offers fit the same formats as every other report', () => {
  assert.deepEqual(FIT_FORMATS, OUTPUT_FORMATS);
});
