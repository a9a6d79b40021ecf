// Nested resource providers on the bundled GPU cloud: replay in every format that shows
// providers, fit of the isolate pair, a move of a vGPU instance, each compared whole with
// a reviewed copy.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { assertMatchesGoldenIn } from '../golden-file.ts';
import { PROJECT_ROOT, runCli } from '../run-cli.ts';

const GOLDEN = join(PROJECT_ROOT, 'test/fixtures/golden');
const matchesGolden = (name: string, actual: string) => assertMatchesGoldenIn(GOLDEN, name, actual);

const EXAMPLE = 'examples/gpu-cloud.yaml';

function run(args: string[]): string {
  const result = runCli(args);
  assert.equal(result.stderr, '');
  assert.equal(result.status, 0);
  return result.stdout;
}

for (const format of ['table', 'json', 'ndjson', 'csv']) {
  test(`replays the GPU cloud as ${format}, each pGPU's provider with its VGPU usage and each decision naming the providers it took from`, () => {
    matchesGolden(`gpu-cloud.${format}`, run(['replay', EXAMPLE, '-f', format]));
  });
}

test('fits the isolate pair on the A40s alone, each host\'s first refusal naming why', () => {
  matchesGolden('gpu-cloud.fit.json', run(['fit', EXAMPLE, '--flavor', 'a40.pair', '--flavor', 't4.one', '-f', 'json']));
});

test('a vGPU instance migrates only where an A40 has room, and its vGPUs follow it', () => {
  const plan = join(PROJECT_ROOT, 'test/fixtures/gpu-cloud-moves.yaml');
  matchesGolden('gpu-cloud.moves.json', run(['replay', EXAMPLE, plan, '-f', 'json']));
});
