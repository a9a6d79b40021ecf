// Zones, aggregates with metadata, projects, images and hints through the real CLI on
// examples/aggregates.yaml: where each build lands, the filters each refused build names,
// `fit --availability-zone`, `expand --add SKU@AGGREGATE`, and filter names a plan may not use.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { assertMatchesGoldenIn } from '../golden-file.ts';
import { PROJECT_ROOT, runCli } from '../run-cli.ts';

const GOLDEN = join(PROJECT_ROOT, 'test/fixtures/golden');
const matchesGolden = (name: string, actual: string) => assertMatchesGoldenIn(GOLDEN, name, actual);

for (const format of ['table', 'json', 'csv']) {
  test(`keeps builds to their zones, aggregates, projects and images, naming the filters that refused, as ${format}`, () => {
    const run = runCli(['replay', 'examples/aggregates.yaml', '-f', format]);
    assert.equal(run.stderr, '');
    assert.equal(run.status, 0);
    matchesGolden(`aggregates.replay.${format}`, run.stdout);
  });
}

test('lands each build where the filters allow, and explains a refusal by filter and by host', () => {
  const report = JSON.parse(runCli(['replay', 'examples/aggregates.yaml', '--explain', '-f', 'json']).stdout);
  const where = Object.fromEntries(report.decisions.map((d: { instance: string; host: string | null }) => [d.instance, d.host]));
  assert.notEqual(where['db-1'], where['db-2']);
  assert.ok(['cmp-01', 'cmp-02'].includes(where['db-1']) && ['cmp-01', 'cmp-02'].includes(where['db-2']));
  assert.equal(where['tenant-app'], 'cmp-04');
  const other = report.decisions.find((d: { instance: string }) => d.instance === 'other-app');
  assert.deepEqual(other.causes.map((c: { cause: string; hosts: number }) => [c.cause, c.hosts]), [
    ['AvailabilityZoneFilter', 4],
    ['AggregateMultiTenancyIsolation', 1],
  ]);
  assert.deepEqual(other.attempts.find((a: { host: string }) => a.host === 'cmp-01').reasons, ['availability zone az2 requested, the host is in az1 (AvailabilityZoneFilter)']);
  const lost = report.decisions.find((d: { instance: string }) => d.instance === 'lost');
  assert.equal(lost.message, 'The requested availability zone is not available');
  assert.equal(lost.causes, null);
});

test("counts what a zone still takes with the zone's filters and its instance cap", () => {
  const run = runCli(['fit', 'examples/aggregates.yaml', '--flavor', 'ssd.large', '--availability-zone', 'az1']);
  assert.equal(run.status, 0);
  matchesGolden('aggregates.fit-az1.table', run.stdout);
  const unknown = runCli(['fit', 'examples/aggregates.yaml', '--flavor', 'ssd.large', '--availability-zone', 'az9']);
  assert.equal(unknown.status, 2);
  assert.match(unknown.stderr, /--availability-zone az9: no host is in this zone/);
});

test('adds hosts to an aggregate with --add SKU@AGGREGATE, and does not count builds no added host could take', () => {
  const run = runCli(['expand', 'examples/aggregates.yaml', '--add', 'r640@rack-a', '-f', 'json']);
  assert.equal(run.status, 0);
  const report = JSON.parse(run.stdout);
  matchesGolden('aggregates.expand-rack-a.json', run.stdout);
  assert.equal(report.answers[0].hosts, 1);
  const missing = runCli(['expand', 'examples/aggregates.yaml', '--add', 'r640@rack-z']);
  assert.equal(missing.status, 2);
  assert.match(missing.stderr, /--add r640@rack-z: the plan has no aggregate named rack-z/);
});

test('refuses a filter no Nova release has and warns about one claimplan cannot model, each located', () => {
  const run = runCli(['validate', 'test/fixtures/filters/filter-names.yaml']);
  assert.equal(run.status, 2);
  matchesGolden('filters.filter-names.stderr', run.stderr);
  const warned = runCli(['replay', 'test/fixtures/filters/unmodelled-filter.yaml']);
  assert.equal(warned.status, 0);
  matchesGolden('filters.unmodelled-filter.stderr', warned.stderr);
});
