import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { BuildRequest, Cloud, Request } from '../../../src/engine/core/model.ts';
import { replayAtValue, Sweep, sweepValues, type SweepTurningPoints } from '../../../src/engine/scenarios/sweep.ts';
import { cloud, flavor, host } from '../builders.ts';

const flavors = [flavor('wide', { vcpus: 8, memory_mb: 1024, root_gb: 10 }), flavor('narrow', { vcpus: 2, memory_mb: 1024, root_gb: 10 })];
const base = cloud([host('a', { vcpus: 4 })], flavors, { enabled_filters: ['CoreFilter'], reserved_host_memory_mb: 0 });
const build = (instance: string, name: string): Request => ({ op: 'build', instance, flavor: name, host: 'a', aggregate: null, expect: null });
const atRatio = (ratio: number): Cloud => ({ ...base, settings: { ...base.settings, cpu_allocation_ratio: ratio } });

function sweep(ratios: number[], requests: Request[]): { points: Sweep['points']; turning: SweepTurningPoints } {
  const run = new Sweep();
  for (const ratio of ratios) run.add(replayAtValue(ratio, atRatio(ratio), requests, ['narrow']));
  return { points: run.points, turning: run.turningPoints((seq) => (requests[seq - 1] as BuildRequest).instance) };
}

test('steps from FROM to TO inclusive without binary drift, in either direction', () => {
  assert.deepEqual(sweepValues(1, 1.5, 0.1), [1, 1.1, 1.2, 1.3, 1.4, 1.5]);
  assert.deepEqual(sweepValues(16, 4, 4), [16, 12, 8, 4]);
  assert.deepEqual(sweepValues(2, 2, 1), [2]);
});

test('finds a claim lost even when another build takes its place and the counts stay the same', () => {
  // At 2:1 the 8-vCPU build fits and the narrow one does not; at 1:1 it is the other way round.
  const run = sweep([2, 1], [build('big-1', 'wide'), build('small-1', 'narrow')]);
  assert.deepEqual(run.points.map((p) => [p.claimed, p.rejected, p.claims_lost, p.claims_gained]), [[1, 1, 0, 0], [1, 1, 1, 1]]);
  assert.deepEqual(run.turning, {
    first_claim_lost: { value: 1, previous: 2, count: 1, seq: 1, instance: 'big-1' },
    last_claim_gained: { value: 1, previous: 2, count: 1, seq: 2, instance: 'small-1' },
    all_claimed_from: null,
  });
});

test('names the first value where a claim is lost and counts every build lost there', () => {
  const run = sweep([4, 2, 1], [build('big-1', 'wide'), build('small-1', 'narrow'), build('small-2', 'narrow')]);
  assert.deepEqual(run.points.map((p) => p.rejected), [0, 2, 1]);
  assert.deepEqual(run.turning.first_claim_lost, { value: 2, previous: 4, count: 2, seq: 2, instance: 'small-1' });
  assert.deepEqual(run.turning.last_claim_gained, { value: 1, previous: 2, count: 2, seq: 2, instance: 'small-1' });
});

test('names the value from which every build is claimed when capacity grows', () => {
  const requests = [build('s1', 'narrow'), build('s2', 'narrow'), build('s3', 'narrow')];
  const run = sweep([1, 2, 4], requests);
  assert.deepEqual(run.points.map((p) => p.rejected), [1, 0, 0]);
  assert.deepEqual(run.turning, {
    first_claim_lost: null,
    last_claim_gained: { value: 2, previous: 1, count: 1, seq: 3, instance: 's3' },
    all_claimed_from: 2,
  });
});

test('reports no turning point when every build keeps its outcome', () => {
  const run = sweep([8, 16], [build('s1', 'narrow')]);
  assert.deepEqual(run.turning, { first_claim_lost: null, last_claim_gained: null, all_claimed_from: null });
  assert.deepEqual(run.points.map((p) => p.fit[0].total), [15, 31]);
});
