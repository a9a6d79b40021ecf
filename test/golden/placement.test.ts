// The Placement model on the bundled Placement-era example: replay, compare with the
// legacy claim, fit and --verbose, each compared whole with a reviewed copy.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { assertMatchesGoldenIn } from '../golden-file.ts';
import { PROJECT_ROOT, runCli } from '../run-cli.ts';

const GOLDEN = join(PROJECT_ROOT, 'test/fixtures/golden');
const matchesGolden = (name: string, actual: string) => assertMatchesGoldenIn(GOLDEN, name, actual);

const EXAMPLE = 'examples/placement-cloud.yaml';
const PLACEMENT = ['--set', 'capacity_model=placement'];

function run(args: string[]): string {
  const result = runCli(args);
  assert.equal(result.stderr, '');
  assert.equal(result.status, 0);
  return result.stdout;
}

for (const format of ['table', 'json']) {
  test(`replays the example under the Placement model as ${format}, with each provider's classes, byte for byte as reviewed`, () => {
    matchesGolden(`placement-cloud.${format}`, run(['replay', EXAMPLE, ...PLACEMENT, '-f', format]));
  });

  test(`compares the example's legacy claim with the Placement model as ${format}, byte for byte as reviewed`, () => {
    matchesGolden(`placement-cloud.compare.${format}`, run(['compare', EXAMPLE, ...PLACEMENT, '-f', format]));
  });
}

test('prints no legacy limit under the Placement model: no limit column, no limit sample', () => {
  const table = run(['replay', EXAMPLE, ...PLACEMENT]);
  const hostsHeader = table.slice(table.indexOf('Hosts\n')).split('\n').slice(2, 4).join('\n');
  assert.doesNotMatch(hostsHeader, /limit/);
  assert.doesNotMatch(run(['replay', EXAMPLE, ...PLACEMENT, '-f', 'openmetrics']), /^claimplan_host_\w*limit\w*\{/m);
  assert.match(run(['replay', EXAMPLE, '-f', 'openmetrics']), /^claimplan_host_vcpu_limit\{host="gen-01"\} 128$/m);
});

test('counts how many more fit under the Placement model, each host stopped by the class it runs out of', () => {
  matchesGolden('placement-cloud.fit.table', run(['fit', EXAMPLE, ...PLACEMENT, '--flavor', 'g1.large', '--flavor', 'c1.8xlarge']));
});

test('explains every change the Placement model makes to the example, in Placement\'s words or by its causes', () => {
  const report = JSON.parse(run(['compare', EXAMPLE, ...PLACEMENT, '-f', 'json']));
  const changes = Object.fromEntries(report.changed_decisions.map((change: { instance: string; after: unknown }) => [change.instance, change.after]));
  assert.deepEqual(Object.keys(changes), ['render-1', 'web-5', 'gpu-3', 'vol-1']);
  assert.match(changes['render-1'].reasons[0], /'VCPU' on resource provider 'mem-01'\. The requested amount would violate inventory constraints\.$/);
  assert.match(changes['web-5'].reasons[0], /'MEMORY_MB' on resource provider 'gen-01'\. The requested amount would exceed the capacity\.$/);
  assert.deepEqual(changes['gpu-3'].reasons, ['No valid host was found. ']);
  assert.deepEqual(changes['gpu-3'].causes[0], { cause: 'CUSTOM_GPU_A100', hosts: 1, closest: { host: 'gpu-01', short: 1, unit: 'CUSTOM_GPU_A100' } });
  assert.equal(changes['vol-1'].result, 'claimed');
});

test('prints the Zed claim\'s audit line for each build the compute node claims, with --verbose', () => {
  const result = runCli(['replay', EXAMPLE, ...PLACEMENT, '-f', 'json', '--verbose']);
  assert.equal(result.status, 0);
  assert.match(result.stderr, /^\[1 web-1 on gen-01\] Claim successful on node gen-01$/m);
  assert.doesNotMatch(result.stderr, /Attempting claim/);
});
