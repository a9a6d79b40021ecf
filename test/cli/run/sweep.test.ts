// `claimplan sweep`: turning points named in every place an operator looks, and a bad trace stopping it before its threads replay.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../run-cli.ts';
import { tracePlan } from '../trace-plan.ts';

const RATIO_SWEEP = ['sweep', 'examples/small-cloud.yaml', '--vary', 'cpu_allocation_ratio=16:1:-3', '--flavor', 'c1.8xlarge'];

test('names the build that first loses its claim, even where the claimed count does not move', () => {
  const { points, turning_points } = JSON.parse(runCli([...RATIO_SWEEP, '-f', 'json']).stdout);
  const at4 = points.find((p: { value: number }) => p.value === 4);
  const at7 = points.find((p: { value: number }) => p.value === 7);
  assert.equal(at4.claimed, at7.claimed);
  assert.deepEqual([at4.claims_lost, at4.claims_gained], [1, 1]);
  assert.deepEqual(turning_points.first_claim_lost, { value: 4, previous: 7, count: 1, seq: 12, instance: 'render-1' });
  // The same pair of decisions that `compare` reports between 7 and 4.
  const compared = JSON.parse(runCli(['compare', 'examples/small-cloud.yaml', '--set', 'cpu_allocation_ratio=7', '-f', 'json']).stdout);
  assert.deepEqual(compared.changed_decisions.map((c: { instance: string }) => c.instance), ['render-1', 'edge-app-1']);
});

test('marks the turning points on the SVG chart', () => {
  const chart = join(mkdtempSync(join(tmpdir(), 'claimplan-chart-')), 'sweep.svg');
  assert.equal(runCli([...RATIO_SWEEP, '-f', 'csv', '--chart', chart]).status, 0);
  const svg = readFileSync(chart, 'utf8');
  assert.equal(svg.match(/stroke-dasharray/g)?.length, 2);
  assert.match(svg, />first claim lost \(render-1\)</);
  assert.match(svg, />last claim gained \(edge-app-1\)</);
});

test('prints no progress when standard error is not a terminal, however many values it sweeps', () => {
  const run = runCli(['sweep', 'examples/small-cloud.yaml', '--vary', 'ram_allocation_ratio=1:3:0.01', '-f', 'csv']);
  assert.equal(run.status, 0);
  assert.equal(run.stderr, '');
  assert.equal(run.stdout.trimEnd().split('\r\n').length, 1 + 201);
});

test('--vary suggests the setting meant, as --set does', () => {
  for (const [vary, meant] of [['cpu_ratio=1:4:1', 'cpu_allocation_ratio'], ['cpu_alocation_ratio=1:4:1', 'cpu_allocation_ratio']]) {
    const run = runCli(['sweep', 'examples/small-cloud.yaml', '--vary', vary]);
    assert.equal(run.status, 2);
    assert.match(run.stderr, new RegExp(`did you mean \`${meant}\`\\?`));
    const set = runCli(['replay', 'examples/small-cloud.yaml', '--set', vary.replace(/:.*/, '')]);
    assert.match(set.stderr, new RegExp(`did you mean \`${meant}\`\\?`));
  }
});

test('on threads, stops at a bad line of the trace with the located error before any replay, printing no report', () => {
  const { plan } = tracePlan(50, '{"delete": "never-built"}');
  const run = runCli(['sweep', plan, '--vary', 'cpu_allocation_ratio=1:4:1', '--jobs', '2', '-f', 'json']);
  assert.equal(run.status, 2);
  assert.equal(run.stdout, '');
  assert.match(run.stderr, /trace\.ndjson:101:\d+ {2}requests\[100\]\.delete/);
  assert.match(run.stderr, /1 problem found; no report was written/);
});
