// The formats a report is written in, as the command line offers them: every command that
// writes a report takes each listed format and defaults to the table. That every report
// renders each listed format is each report's own test (replay, fit, compare, sweep,
// failover, consolidate, expand under test/report/, each looping over OUTPUT_FORMATS), the shape
// each format asks of a report render.test.ts's, whole outputs test/golden/'s.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Option } from 'commander';
import { COMMANDS } from '../../src/cli/commands.ts';
import { OUTPUT_FORMATS } from '../../src/report/formats.ts';

function formatOption(command: string): Option | undefined {
  const entry = COMMANDS.find((candidate) => candidate.name === command);
  assert.ok(entry, command);
  return entry.define().options.find((option) => option.long === '--format');
}

test('every command that writes a report offers each listed format, the table by default', () => {
  for (const command of ['replay', 'fit', 'compare', 'sweep', 'failover', 'expand', 'consolidate']) {
    const option = formatOption(command);
    assert.ok(option, `${command} has --format`);
    assert.deepEqual(option.argChoices, [...OUTPUT_FORMATS], command);
    assert.equal(option.defaultValue, 'table', command);
  }
});

test('validate, which writes no report, and import, which writes a plan, offer no format', () => {
  assert.equal(formatOption('validate'), undefined);
  assert.equal(formatOption('import'), undefined);
});
