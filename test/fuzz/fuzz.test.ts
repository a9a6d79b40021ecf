// A fixed-seed share of the fuzz run (docs/limits.md, "The fuzz test"): a few hundred
// mutated plans, each through one command, rotating, run as the CLI runs. Runs the
// bundle in dist/, so build first; `npm run fuzz` runs ten thousand.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { COMMANDS, makeCase, MUTATION_KINDS, seedPlans } from './generate.ts';
import { caseCount } from '../conformance/case-counts.ts';
import { describeOutcome, PROJECT_ROOT, runCases, type CaseOutcome } from './runner.ts';

const SEED = 20261201;
/**
 * Every kind with every command once in `npm test`, three times in CI (CLAIMPLAN_FULL_CONFORMANCE=1,
 * test/conformance/case-counts.ts): some 30 s on two free cores.
 */
const CASES = MUTATION_KINDS.length * COMMANDS.length * caseCount('FUZZ_ROUNDS', 1, 3);

const seeds = seedPlans(PROJECT_ROOT);

test('the generator starts from every example and fixture plan and gives the same case for the same seed and index', () => {
  assert.ok(seeds.some((seed) => seed.path.startsWith('examples/')));
  assert.ok(seeds.some((seed) => seed.path.startsWith('test/fixtures/')));
  assert.deepEqual(makeCase(seeds, SEED, 17), makeCase(seeds, SEED, 17));
  assert.notDeepEqual(makeCase(seeds, SEED, 17).files, makeCase(seeds, SEED + 1, 17).files);
});

test(`${CASES} mutated plans each end in time and memory, with a report or located errors`, async () => {
  const failures: CaseOutcome[] = [];
  const cases = Array.from({ length: CASES }, (_, index) => makeCase(seeds, SEED, index));
  await runCases(cases, 2, (outcome) => {
    if (outcome.violations.length > 0) failures.push(outcome);
  });
  assert.equal(failures.length, 0, `${failures.length} of ${CASES} cases failed:\n${failures.map(describeOutcome).join('\n')}`);
});
