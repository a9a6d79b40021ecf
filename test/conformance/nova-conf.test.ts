// claimplan's nova.conf reader against oslo.config itself, with Nova 26's options
// registered (nova_conf_harness.py under /usr/bin/python3): random files and the real
// ones in test/fixtures/nova-conf/ must give every modelled option the same value, the
// same refusal, or the same parse error line.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { formatFloatRepr } from '../../src/engine/core/python-format.ts';
import { NOVA_CONF_OPTIONS } from '../../src/plan/nova-conf/options.ts';
import { readNovaConf, type OptionReading } from '../../src/plan/nova-conf/read.ts';
import { generateNovaConfCases } from './nova-conf-cases.ts';
import { caseCount } from './case-counts.ts';

const PYTHON = '/usr/bin/python3';
const HARNESS = fileURLToPath(new URL('./nova_conf_harness.py', import.meta.url));
const FIXTURES = fileURLToPath(new URL('../fixtures/nova-conf/', import.meta.url));
const CASES = caseCount('NOVA_CONF_CONFORMANCE_CASES', 500, 2_000);
const available = spawnSync(PYTHON, ['-c', 'import nova.conf, oslo_config']).status === 0;

type Tagged = null | boolean | string | { int: string } | { float: string } | Tagged[] | { error: string };

interface HarnessResult {
  parse_error: [file: number, line: number] | null;
  values: Record<string, Tagged>;
}

/** claimplan's value in the harness's shape: Python's type kept, floats as Python's repr. */
function tagged(reading: OptionReading): Tagged {
  if (reading.problem !== undefined) return { error: 'refused' };
  const { value } = reading;
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return value;
  if (Array.isArray(value)) return value;
  return reading.option.type.kind === 'float' ? { float: formatFloatRepr(value) } : { int: String(value) };
}

/** oslo.config's refusals all read alike: what matters is that both refuse. */
function normalised(value: Tagged): Tagged {
  return value !== null && typeof value === 'object' && 'error' in value ? { error: 'refused' } : value;
}

function runOslo(cases: { files: string[] }[]): HarnessResult[] {
  const options = JSON.stringify(NOVA_CONF_OPTIONS.map(({ group, name }) => [group, name]));
  const run = spawnSync(PYTHON, [HARNESS, options], { input: cases.map((c) => JSON.stringify(c)).join('\n') + '\n', encoding: 'utf8', maxBuffer: 1 << 28 });
  assert.equal(run.status, 0, run.stderr);
  return run.stdout.trim().split('\n').map((line) => JSON.parse(line) as HarnessResult);
}

interface Mismatch {
  id: number | string;
  option?: string;
  oslo: unknown;
  claimplan: unknown;
}

function compare(cases: { id: number | string; files: string[] }[]): { mismatches: Mismatch[]; parseErrors: number; valuesCompared: number; refusals: number } {
  const results = runOslo(cases);
  const mismatches: Mismatch[] = [];
  let parseErrors = 0;
  let valuesCompared = 0;
  let refusals = 0;
  cases.forEach((c, index) => {
    const oslo = results[index];
    const reading = readNovaConf(c.files.map((text, number) => ({ file: `nova-${number}.conf`, text })));
    const syntax = reading.problems.filter((problem) => problem.path === '');
    if (oslo.parse_error !== null || syntax.length > 0) {
      parseErrors++;
      // oslo.config stops at the first file's first bad line; claimplan names it first too.
      const ours = syntax.length > 0 ? [Number(/\d+/.exec(syntax[0].file)![0]), syntax[0].line] : null;
      if (JSON.stringify(ours) !== JSON.stringify(oslo.parse_error)) mismatches.push({ id: c.id, oslo: oslo.parse_error, claimplan: syntax.map((problem) => `${problem.file}:${problem.line} ${problem.message}`) });
      return;
    }
    for (const optionReading of reading.options) {
      const key = `${optionReading.option.group} ${optionReading.option.name}`;
      const theirs = normalised(oslo.values[key]);
      const ours = tagged(optionReading);
      valuesCompared++;
      if (optionReading.problem !== undefined) refusals++;
      if (JSON.stringify(theirs) !== JSON.stringify(ours)) mismatches.push({ id: c.id, option: key, oslo: theirs, claimplan: ours });
    }
  });
  return { mismatches, parseErrors, valuesCompared, refusals };
}

test(
  `reads ${CASES} random nova.conf sets as oslo.config does with Nova 26's options: every modelled value, refusal and parse error`,
  { skip: !available && 'python3-nova not importable: nova.conf conformance skipped', timeout: 10 * 60_000 },
  (t) => {
    const cases = generateNovaConfCases(CASES);
    const report = compare(cases);
    t.diagnostic(`${cases.length} cases (${cases.reduce((sum, c) => sum + c.files.length, 0)} files): ${report.valuesCompared} option values compared, ${report.refusals} refused by both, ${report.parseErrors} cases with a parse error`);
    t.diagnostic(`mismatches: ${report.mismatches.length}`);
    assert.deepEqual(report.mismatches.slice(0, 5), []);
    assert.ok(report.refusals > CASES / 10, 'the random files must reach refused values');
    assert.ok(report.parseErrors > CASES / 50, 'the random files must reach parse errors');
  },
);

test(
  'reads the real nova.conf fixtures (test/fixtures/nova-conf/) as oslo.config does',
  { skip: !available && 'python3-nova not importable: nova.conf conformance skipped' },
  (t) => {
    const names = readdirSync(FIXTURES).filter((name) => name.endsWith('.conf'));
    const cases = names.map((name) => ({ id: name, files: [readFileSync(`${FIXTURES}${name}`, 'utf8')] }));
    // And all of them at once, later files winning.
    cases.push({ id: names.join(' + '), files: cases.map((c) => c.files[0]) });
    const report = compare(cases);
    t.diagnostic(`${names.length} fixtures: ${report.valuesCompared} option values compared`);
    assert.equal(report.parseErrors, 0);
    assert.deepEqual(report.mismatches, []);
  },
);
