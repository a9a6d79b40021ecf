// Golden tests: the real bin on the bundled example, every format compared whole with a
// reviewed copy in test/fixtures/golden/. UPDATE_GOLDEN=1 rewrites the copies.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { assertMatchesGoldenIn } from '../golden-file.ts';
import { PROJECT_ROOT, runCli } from '../run-cli.ts';

const GOLDEN = join(PROJECT_ROOT, 'test/fixtures/golden');
const matchesGolden = (name: string, actual: string) => assertMatchesGoldenIn(GOLDEN, name, actual);

for (const format of ['table', 'json', 'yaml', 'ndjson', 'csv', 'markdown']) {
  test(`replays the bundled example as ${format}, byte for byte as reviewed`, () => {
    const run = runCli(['replay', 'examples/small-cloud.yaml', '-f', format]);
    assert.equal(run.stderr, '');
    assert.equal(run.status, 0);
    matchesGolden(`small-cloud.${format}`, run.stdout);
  });
}

for (const format of ['table', 'json']) {
  test(`replays the NUMA/GPU example as ${format}, showing cells, pinning and device pools`, () => {
    const run = runCli(['replay', 'examples/numa-gpu.yaml', '-f', format]);
    assert.equal(run.stderr, '');
    assert.equal(run.status, 0);
    matchesGolden(`numa-gpu.${format}`, run.stdout);
  });
}

test('prints Nova\'s audit lines on standard error with --verbose, the report being the --explain one', () => {
  const explained = runCli(['replay', 'examples/small-cloud.yaml', '-f', 'json', '--explain']);
  const verbose = runCli(['replay', 'examples/small-cloud.yaml', '-f', 'json', '--verbose']);
  assert.equal(verbose.stdout, explained.stdout);
  matchesGolden('small-cloud.verbose.stderr', verbose.stderr);
});

test('lists every host tried only with --explain; the causes are there either way', () => {
  const decisionsOf = (args: string[]) =>
    JSON.parse(runCli(['replay', 'examples/small-cloud.yaml', '-f', 'json', ...args]).stdout).decisions as {
      instance: string;
      causes: unknown[] | null;
      attempts: unknown[] | null;
    }[];
  const plain = decisionsOf([]);
  const explained = decisionsOf(['--explain']);
  assert.ok(plain.every((decision) => decision.attempts === null));
  const noHost = explained.find((decision) => decision.instance === 'analytics-1')!;
  assert.equal(noHost.attempts?.length, 1, 'every host of the aggregate it asked for (edge), with its reasons');
  assert.deepEqual(plain.find((decision) => decision.instance === 'analytics-1')!.causes, noHost.causes);
  matchesGolden('small-cloud.explain.json', JSON.stringify(explained, null, 2) + '\n');
});

test('gives byte-identical output for the same input', () => {
  const first = runCli(['replay', 'examples/small-cloud.yaml', '-f', 'json']);
  const second = runCli(['replay', 'examples/small-cloud.yaml', '-f', 'json']);
  assert.equal(first.stdout, second.stdout);
});

test('shows Nova\'s memory, disk, vcpu and no-valid-host wording in the example', () => {
  const { decisions } = JSON.parse(runCli(['replay', 'examples/small-cloud.yaml', '-f', 'json']).stdout);
  const reasons = decisions.flatMap((d: { reasons: string[] }) => d.reasons).join('\n');
  assert.match(reasons, /^Free memory [\d.]+ MB < requested \d+ MB$/m);
  assert.match(reasons, /^Free disk [\d.]+ GB < requested \d+ GB$/m);
  assert.match(reasons, /^Free vcpu [\d.]+ VCPU < requested \d+ VCPU$/m);
  assert.match(reasons, /^No valid host was found\. There are not enough hosts available\.$/m);
});
