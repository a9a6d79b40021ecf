// `claimplan forecast` on the bundled small cloud and its year of history, every format
// compared whole with a reviewed copy in test/fixtures/golden/; the chart, the gate, bad
// histories, and the same report whatever the number of threads. UPDATE_GOLDEN=1 rewrites
// the copies.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assertMatchesGoldenIn } from '../golden-file.ts';
import { PROJECT_ROOT, runCli } from '../run-cli.ts';

const GOLDEN = join(PROJECT_ROOT, 'test/fixtures/golden');
const matchesGolden = (name: string, actual: string) => assertMatchesGoldenIn(GOLDEN, name, actual);
/** A quarter ahead and 50 runs: whole outputs a reviewer can read, every part of the report in them. */
const FORECAST = ['forecast', 'examples/small-cloud.yaml', '--history', 'examples/small-cloud-history.ndjson', '--window', '365', '--horizon', '90', '--runs', '50'];

for (const format of ['table', 'json', 'yaml', 'ndjson', 'csv', 'markdown', 'openmetrics']) {
  test(`forecasts the small cloud's first No valid host per flavor from its history, as ${format}`, () => {
    const run = runCli([...FORECAST, '-f', format]);
    assert.equal(run.stderr, '');
    assert.equal(run.status, 0);
    matchesGolden(`small-cloud.forecast.${format}`, run.stdout);
  });
}

test('the same report on one thread and on two', () => {
  const one = runCli([...FORECAST, '-f', 'json', '--jobs', '1']);
  const two = runCli([...FORECAST, '-f', 'json', '--jobs', '2']);
  assert.equal(one.status, 0);
  assert.equal(two.stdout, one.stdout);
});

test('--chart draws usage with its P10–P90 band and marks each median first No valid host', () => {
  const directory = mkdtempSync(join(tmpdir(), 'claimplan-forecast-'));
  const chart = join(directory, 'forecast.svg');
  const run = runCli([...FORECAST, '--chart', chart, '-f', 'json']);
  assert.equal(run.status, 0);
  const svg = readFileSync(chart, 'utf8');
  matchesGolden('small-cloud.forecast.svg', svg);
  assert.equal((svg.match(/<polygon /g) ?? []).length, 3);
  assert.match(svg, /m1\.large: No valid host, day \d+ \(disk\)/);
});

test('--fail-if-runway-under exits 1 and says which flavor and why on standard error', () => {
  const run = runCli([...FORECAST, '--fail-if-runway-under', '30', '-f', 'openmetrics']);
  assert.equal(run.status, 1);
  assert.match(run.stdout, /^claimplan_runway_days\{flavor="m1\.large",quantile="0\.1"\} \d+$/m);
  assert.match(run.stderr, /^claimplan: --fail-if-runway-under 30: m1\.large meets No valid host by day \d+ \(\d{4}-\d\d-\d\d\) in a tenth of the runs \(P10\), ruled out by disk$/m);
  assert.equal(runCli([...FORECAST, '--fail-if-runway-under', '3', '-f', 'json']).status, 0);
});

test('bad lifecycles are located by file, line, column and path, and exit 2 with no report', () => {
  const run = runCli(['forecast', 'examples/small-cloud.yaml', '--history', 'test/fixtures/forecast/bad-history.ndjson']);
  assert.equal(run.status, 2);
  assert.equal(run.stdout, '');
  assert.equal(
    run.stderr,
    [
      'test/fixtures/forecast/bad-history.ndjson:2:71  lifecycles[1].end  is before start',
      'test/fixtures/forecast/bad-history.ndjson:3:19  lifecycles[2].flavour  unknown key; did you mean `flavor`?',
      'test/fixtures/forecast/bad-history.ndjson:3:1  lifecycles[2].flavor  is required',
      'test/fixtures/forecast/bad-history.ndjson:4:50  lifecycles[3].start  must be an ISO 8601 time (2026-03-01T12:00:00Z), not "last tuesday"',
      'claimplan: 4 problems found; nothing was forecast',
      '',
    ].join('\n'),
  );
});

test('lifecycles of flavors the plan lacks are left out with one warning naming them', () => {
  const run = runCli(['forecast', 'examples/small-cloud.yaml', '--history', 'test/fixtures/forecast/unknown-flavor.csv', '--runs', '5', '--horizon', '30', '-f', 'json']);
  assert.equal(run.status, 0);
  assert.equal(run.stderr, 'test/fixtures/forecast/unknown-flavor.csv:2:7  lifecycles[0].flavor  warning: 2 lifecycles of flavors the plan lacks left out of the forecast: g1.a100 (2)\n');
  assert.deepEqual(
    JSON.parse(run.stdout).flavors.map((flavor: { flavor: string }) => flavor.flavor),
    ['m1.large'],
  );
});

test('--add finds the fewest r640s that keep every build claimed to the horizon at P90, one fewer falling short', () => {
  const args = ['forecast', 'examples/small-cloud.yaml', 'examples/r640.yaml', '--history', 'examples/small-cloud-history.ndjson', '--window', '365', '--horizon', '60', '--runs', '20', '--add', 'r640'];
  const run = runCli([...args, '-f', 'json']);
  assert.equal(run.status, 0, run.stderr);
  const [added] = JSON.parse(run.stdout).added as { sku: string; hosts: number; replayed: { count: number; meets: boolean }[]; beyond: string[] }[];
  assert.equal(added.sku, 'r640');
  assert.deepEqual(added.beyond, []);
  const met = new Map(added.replayed.map(({ count, meets }) => [count, meets]));
  assert.equal(met.get(added.hosts), true);
  assert.equal(met.get(added.hosts - 1), false);
  const metrics = runCli([...args, '-f', 'openmetrics']);
  assert.match(metrics.stdout, new RegExp(`^claimplan_forecast_hosts_to_add\\{sku="r640"\\} ${added.hosts}$`, 'm'));
  matchesGolden('small-cloud.forecast-add-r640.table', runCli(args).stdout);
});

test('a history without a lifecycle of the plan\'s flavors is a usage error', () => {
  const run = runCli(['forecast', 'examples/small-cloud.yaml', '--history', '-'], { input: 'instance,flavor,start\n' });
  assert.equal(run.status, 2);
  assert.equal(run.stderr, 'claimplan: --history -: no lifecycle of a flavor the plan has, so no trend to forecast from\n');
});

test('--add names a SKU the plan has; a wrong one is a usage error', () => {
  const run = runCli([...FORECAST, '--add', 'r650']);
  assert.equal(run.status, 2);
  assert.match(run.stderr, /^claimplan: .*r650/);
});
