import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Decision } from '../../src/engine/core/model.ts';
import { displayLines } from '../../src/report/columns.ts';
import {
  collapseRepeatedRejections,
  COLLAPSED_DECISION_COLUMNS,
  DECISION_CSV_COLUMNS,
  DECISION_DISPLAY_COLUMNS,
  RepeatedRejections,
} from '../../src/report/replay-columns.ts';
import { SAMPLE_DECISIONS } from '../fixtures/report/sample-replay.ts';

const [CLAIM, NAMED_REJECTION, NO_VALID_HOST, DELETE, , IN_AGGREGATE] = SAMPLE_DECISIONS;

function reasons(d: Decision): string[] {
  return displayLines(DECISION_DISPLAY_COLUMNS.find((c) => c.header === 'reasons')!.value(d));
}

function csvReasons(d: Decision): unknown {
  return DECISION_CSV_COLUMNS.find((c) => c.header === 'reasons')!.value(d);
}

/** `count` copies of a decision, each its own request. */
function run(decision: Decision, count: number, firstSeq: number): Decision[] {
  return Array.from({ length: count }, (_, i) => ({ ...decision, seq: firstSeq + i, instance: `${decision.instance}-${i}` }));
}

function shape(rows: Iterable<Decision | RepeatedRejections>): (number | string)[] {
  return [...rows].map((row) => (row instanceof RepeatedRejections ? `+${row.count}` : row.seq));
}

test('gives a NoValidHost Nova\'s text, a line per cause, then with --explain the first hosts\' reasons', () => {
  assert.deepEqual(reasons(IN_AGGREGATE), [
    'No valid host was found. There are not enough hosts available.',
    'vcpu: 1 host (closest gpu-1, 2.00 VCPU short)',
    'aggregate: 1 host outside the aggregate',
  ]);
  assert.deepEqual(reasons(NO_VALID_HOST).slice(1, 5), [
    'memory: 1 host (closest cmp-1, 5120.00 MB short)',
    'disk: 1 host (closest cmp-1, 60.00 GB short)',
    'numa: 1 host',
    'cmp-1: Free memory 3072.00 MB < requested 8192 MB; Free disk 20.00 GB < requested 80 GB',
  ]);
});

test('names five hosts tried at most, then how many more refused', () => {
  const attempts = Array.from({ length: 1205 }, (_, i) => ({ host: `cmp-${i}`, reasons: ['Free disk 0.00 GB < requested 80 GB'] }));
  const lines = reasons({ ...NO_VALID_HOST, causes: null, attempts });
  assert.equal(lines.length, 1 + 5 + 1);
  assert.equal(lines.at(-1), '… and 1,200 more hosts');
});

test('keeps a claim\'s or a named host\'s reasons as Nova gave them', () => {
  assert.deepEqual(reasons(CLAIM), []);
  assert.deepEqual(reasons(NAMED_REJECTION), NAMED_REJECTION.reasons);
});

test('joins reasons and causes into one CSV field', () => {
  assert.equal(
    csvReasons(IN_AGGREGATE),
    'No valid host was found. There are not enough hosts available.; vcpu: 1 host (closest gpu-1, 2.00 VCPU short); aggregate: 1 host outside the aggregate',
  );
});

test('collapses builds rejected after the first for the same flavor, host, reasons and causes', () => {
  assert.deepEqual(shape(collapseRepeatedRejections([CLAIM, ...run(IN_AGGREGATE, 4, 2), CLAIM])), [1, 2, '+3', 1]);
  assert.deepEqual(shape(collapseRepeatedRejections(run(NAMED_REJECTION, 3, 1))), [1, '+2']);
});

test('keeps apart rejections that differ in flavor, host, reasons, causes or expectation, and never collapses other decisions', () => {
  const first = IN_AGGREGATE;
  const variants: Decision[] = [
    { ...first, seq: 2, flavor: 'm1.other' },
    { ...first, seq: 3, host: 'gpu-1' },
    { ...first, seq: 4, reasons: ['No valid host was found. '] },
    { ...first, seq: 5, causes: [{ cause: 'vcpu', hosts: 1, closest: { host: 'gpu-1', short: 4, unit: 'VCPU' } }] },
    { ...first, seq: 6, expect: 'claimed', expectation_met: false },
  ];
  for (const variant of variants) assert.deepEqual(shape(collapseRepeatedRejections([first, variant])), [first.seq, variant.seq], String(variant.seq));
  assert.deepEqual(shape(collapseRepeatedRejections([CLAIM, CLAIM, DELETE, DELETE])), [1, 1, 4, 4]);
});

test('streams: yields the first rejection of a run before reading the next decision', () => {
  let read = 0;
  const source = (function* () {
    for (const decision of run(IN_AGGREGATE, 3, 1)) {
      read++;
      yield decision;
    }
  })();
  const rows = collapseRepeatedRejections(source);
  assert.equal((rows.next().value as Decision).seq, 1);
  assert.equal(read, 1);
});

test('says under reasons how many a collapsed row stands for, with thousands separators', () => {
  const cells = COLLAPSED_DECISION_COLUMNS.map((column) => displayLines(column.value(new RepeatedRejections(99_990))));
  assert.deepEqual(cells.flat(), ['… and 99,990 more rejected for the same reasons']);
  assert.deepEqual(cells[DECISION_DISPLAY_COLUMNS.findIndex((c) => c.header === 'reasons')], ['… and 99,990 more rejected for the same reasons']);
});
