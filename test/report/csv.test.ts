import { test } from 'node:test';
import assert from 'node:assert/strict';
import { stringify } from 'csv-stringify/sync';
import fc from 'fast-check';
import type { CsvValue } from '../../src/report/columns.ts';
import { csvField, csvRecord, writeCsv } from '../../src/report/csv.ts';
import { renderReplay } from '../../src/report/replay.ts';
import { rendered, replayOutputOf } from '../fixtures/report/sample-replay.ts';

/** RFC 4180 read back: enough of a parser to prove the quoting round-trips. */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (field += '"'), i++;
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') record.push(field), (field = '');
    else if (c === '\r' && text[i + 1] === '\n') record.push(field), records.push(record), (record = []), (field = ''), i++;
    else field += c;
  }
  return records;
}

test('quotes a field holding a comma, a quote or a line break, doubling the quotes', () => {
  assert.equal(csvField('web-1'), 'web-1');
  assert.equal(csvField('a,b'), '"a,b"');
  assert.equal(csvField('say "hi"'), '"say ""hi"""');
  assert.equal(csvField('two\nlines'), '"two\nlines"');
  assert.equal(csvField('carriage\rreturn'), '"carriage\rreturn"');
});

test('writes null as an empty field and booleans as true and false', () => {
  assert.equal(csvRecord([null, true, false, 0, '']), ',true,false,0,\r\n');
});

test('round-trips awkward fields through an RFC 4180 reader', () => {
  const values = ['db "primary", eu', 'line\nbreak', '', 'plain', '""'];
  const text = rendered((write) => writeCsv([values], values.map((_, i) => ({ header: `c${i}`, value: (row: string[]) => row[i] })), write));
  assert.deepEqual(parseCsv(text), [['c0', 'c1', 'c2', 'c3', 'c4'], values]);
});

test('has a header and one record per decision, reasons and causes joined by "; " and requested in three columns', () => {
  const records = parseCsv(rendered((write) => renderReplay(replayOutputOf(), 'csv', write, { color: false })));
  const [header, ...rows] = records;
  assert.equal(rows.length, 8, 'decisions only, every one of them: hosts and summary are not part of the CSV table');
  const field = (row: string[], name: string) => row[header.indexOf(name)];
  assert.equal(field(rows[1], 'instance'), 'db "primary", eu|west');
  assert.equal(field(rows[1], 'reasons'), 'Free memory 3072.00 MB < requested 8192 MB; Free disk 20.00 GB < requested 80 GB');
  assert.deepEqual(
    ['requested_memory_mb', 'requested_disk_gb', 'requested_vcpus'].map((name) => field(rows[1], name)),
    ['8192', '80', '4'],
  );
  assert.equal(
    field(rows[5], 'reasons'),
    'No valid host was found. There are not enough hosts available.; vcpu: 1 host (closest gpu-1, 2.00 VCPU short); aggregate: 1 host outside the aggregate',
  );
  assert.equal(field(rows[2], 'hosts_tried'), '2');
  assert.equal(field(rows[5], 'hosts_tried'), '', 'no attempts without --explain');
  assert.equal(field(rows[4], 'numa'), 'cell 1: vCPU0->20 vCPU1->21, 2M pages');
  assert.ok(rows.every((row) => row.length === header.length));
});

/** csv-stringify with the options claimplan's CSV had from it: the reference the hand-written quoting is held to. */
function referenceRecord(values: readonly CsvValue[]): string {
  return stringify([values.map((value) => value ?? '')], {
    record_delimiter: 'windows',
    quoted_match: /[\r\n]/,
    cast: { boolean: (value: boolean) => String(value) },
  });
}

test('quotes, casts and joins every field exactly as csv-stringify did, on random records', () => {
  const awkward = fc.string({ unit: fc.constantFrom('a', 'é', ',', '"', '\r', '\n', ' ', ';', '=', '-', '0', '\t', '😀', '\u2028') });
  const value: fc.Arbitrary<CsvValue> = fc.oneof(awkward, fc.string(), fc.double(), fc.integer(), fc.boolean(), fc.constant(null), fc.constantFrom(-0, 0, '', '0', 'null'));
  fc.assert(
    fc.property(fc.array(value, { maxLength: 8 }), (values) => {
      const expected = referenceRecord(values);
      assert.equal(csvRecord(values), expected);
      const written = rendered((write) => writeCsv([values], values.map((_, i) => ({ header: `c${i}`, value: (row: CsvValue[]) => row[i] })), write));
      assert.equal(written.slice(written.indexOf('\r\n') + 2), expected);
    }),
    { numRuns: 5000, seed: 20261207 },
  );
});
