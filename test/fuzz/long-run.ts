// The long fuzz run (`npm run fuzz -- --seed N --count N`): many mutated plans through
// every command, with the figures a run is judged by: cases per mutation kind, clean and
// failed counts, and the slowest case. Exits 1 when any case failed.
import { parseArgs } from 'node:util';
import { makeCase, MUTATION_KINDS, seedPlans, type FuzzCase } from './generate.ts';
import { describeOutcome, PROJECT_ROOT, runCases, runClaimplan, violations, type CaseOutcome } from './runner.ts';

const { values } = parseArgs({
  options: {
    seed: { type: 'string', default: '1' },
    count: { type: 'string', default: '10000' },
    parallel: { type: 'string', default: '2' },
  },
});
const seed = Number(values.seed);
const count = Number(values.count);
const parallel = Number(values.parallel);
if (![seed, count, parallel].every(Number.isInteger) || count < 1 || parallel < 1) {
  console.error('usage: npm run fuzz -- [--seed N] [--count N] [--parallel N]');
  process.exit(2);
}

// An hour of cases against a CLI that fails on every plan (a build caught half-way through
// someone's change) would say nothing: the build under test must first pass a valid and a
// refused plan.
const valid = await runClaimplan(['validate', 'examples/small-cloud.yaml'], PROJECT_ROOT);
const refused = await runClaimplan(['validate', 'test/fixtures/plan/ten-mistakes.yaml'], PROJECT_ROOT);
if (valid.status !== 0 || refused.status !== 2 || violations(refused, 'validate').length > 0) {
  console.error(`the CLI under test does not pass the smoke test:\n${valid.stderr}${refused.stderr}`);
  process.exit(2);
}

const seeds = seedPlans(PROJECT_ROOT);
function* cases(): Generator<FuzzCase> {
  for (let index = 0; index < count; index++) yield makeCase(seeds, seed, index);
}

const perKind = new Map(MUTATION_KINDS.map((kind) => [kind, { cases: 0, failed: 0 }]));
const exits = new Map<string, number>();
const failures: CaseOutcome[] = [];
let slowest: CaseOutcome | null = null;
let finished = 0;
const started = performance.now();

await runCases(cases(), parallel, (outcome) => {
  const tally = perKind.get(outcome.fuzzCase.kind)!;
  tally.cases++;
  const exit = String(outcome.run.status ?? outcome.run.signal);
  exits.set(exit, (exits.get(exit) ?? 0) + 1);
  if (outcome.violations.length > 0) {
    tally.failed++;
    failures.push(outcome);
    console.error(`FAILED ${describeOutcome(outcome)}`);
  }
  if (slowest === null || outcome.run.ms > slowest.run.ms) slowest = outcome;
  if (++finished % 500 === 0) console.error(`${finished}/${count} cases, ${failures.length} failed`);
});

const wall = (performance.now() - started) / 1000;
console.log(`seed ${seed}, ${count} cases from ${seeds.length} seed plans, ${parallel} at a time, ${wall.toFixed(0)} s`);
console.log('cases per mutation kind:');
for (const [kind, { cases: total, failed }] of perKind) console.log(`  ${kind.padEnd(14)} ${String(total).padStart(6)}${failed > 0 ? `  (${failed} failed)` : ''}`);
console.log(`exit codes: ${[...exits].sort().map(([exit, total]) => `${exit}: ${total}`).join(', ')}`);
console.log(`clean: ${count - failures.length}, failed: ${failures.length}`);
const worst = slowest as CaseOutcome | null;
if (worst !== null) {
  const { fuzzCase, run } = worst;
  console.log(`slowest: ${run.ms.toFixed(0)} ms, case ${fuzzCase.index} (${fuzzCase.kind}, ${fuzzCase.form} of ${fuzzCase.seed}): claimplan ${fuzzCase.args.join(' ')}`);
}
process.exitCode = failures.length > 0 ? 1 : 0;
