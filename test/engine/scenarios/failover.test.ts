import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CloudState } from '../../../src/engine/core/cloud-state.ts';
import { combinationCount, EXACT_COMBINATIONS_LIMIT, Failover, rankScenarios } from '../../../src/engine/scenarios/failover.ts';
import { NO_ALLOCATION_CANDIDATES, NO_VALID_HOST } from '../../../src/engine/scheduler/filter-scheduler.ts';
import type { CapacityModelName, Cloud, Request } from '../../../src/engine/core/model.ts';
import { replay } from '../../../src/engine/core/replay.ts';
import { build, cloud, flavor, host } from '../builders.ts';

const FLAVORS = [flavor('small', { memory_mb: 4096 }), flavor('large', { memory_mb: 12288 })];

function replayed(plan: Cloud, requests: Request[]): CloudState {
  const state = CloudState.start(plan);
  for (const _decision of replay(state, requests, { audit: false, explain: false }));
  return state;
}

function threeHosts(model: CapacityModelName = 'legacy'): Cloud {
  return cloud(
    [host('cmp-1', { memory_mb: 16384, aggregates: ['az1'] }), host('cmp-2', { memory_mb: 16384, aggregates: ['az1'] }), host('cmp-3', { memory_mb: 16384 })],
    FLAVORS,
    { capacity_model: model, reserved_host_memory_mb: 0, ram_allocation_ratio: 1.0 },
  );
}

for (const model of ['legacy', 'placement'] as const) {
  test(`${model}: evacuates largest flavor memory first, then by name, and strands what no host takes`, () => {
    const plan = threeHosts(model);
    plan.hosts[0].memory_mb = 32768;
    const state = replayed(plan, [
      build('b-small', 'small', { host: 'cmp-1' }),
      build('a-small', 'small', { host: 'cmp-1' }),
      build('big', 'large', { host: 'cmp-1' }),
      build('filler-2', 'small', { host: 'cmp-2' }),
      build('filler-3', 'large', { host: 'cmp-3' }),
    ]);
    const scenario = new Failover(state).lose(['cmp-1']);
    assert.deepEqual(scenario.lost, ['cmp-1']);
    // big (12 GiB) goes first and takes cmp-2's 12 GiB; a-small before b-small, and only one more fits on cmp-3.
    assert.deepEqual(scenario.placed, [
      { instance: 'big', flavor: 'large', from: 'cmp-1', to: 'cmp-2' },
      { instance: 'a-small', flavor: 'small', from: 'cmp-1', to: 'cmp-3' },
    ]);
    assert.deepEqual(
      scenario.stranded.map((s) => [s.instance, s.from, s.reasons]),
      [['b-small', 'cmp-1', [model === 'legacy' ? NO_VALID_HOST : NO_ALLOCATION_CANDIDATES]]],
    );
    assert.deepEqual(scenario.stranded[0].causes.at(-1), { cause: 'down', hosts: 1, closest: null });
    assert.deepEqual(scenario.short, { memory_mb: 4096, disk_gb: 40, vcpus: 2 });
  });
}

test('keeps the aggregate the build asked for, but not the host it named', () => {
  const state = replayed(threeHosts(), [build('zoned', 'large', { aggregate: 'az1' }), build('named', 'small', { host: 'cmp-1' })]);
  const scenario = new Failover(state).lose(['cmp-1']);
  assert.deepEqual(
    scenario.placed.map((p) => [p.instance, p.to]),
    [
      ['zoned', 'cmp-2'],
      ['named', 'cmp-3'],
    ],
  );
});

test('strands an instance whose aggregate has no host left, counting the down host and those outside', () => {
  const state = replayed(threeHosts(), [build('zoned', 'small', { aggregate: 'az1', host: 'cmp-1' })]);
  const scenario = new Failover(state).lose(['cmp-1', 'cmp-2']);
  assert.deepEqual(scenario.stranded[0].causes, [
    { cause: 'down', hosts: 2, closest: null },
    { cause: 'aggregate', hosts: 1, closest: null },
  ]);
});

test('never changes the replayed state: each scenario runs as a trial, which puts the state back', () => {
  const state = replayed(threeHosts(), [build('x', 'large', { host: 'cmp-1' })]);
  const before = JSON.stringify(state.hostUsages());
  const failover = new Failover(state);
  failover.lose(['cmp-1']);
  failover.lose(['cmp-2']);
  assert.equal(JSON.stringify(state.hostUsages()), before);
  assert.equal(state.decide(build('y', 'large'), 2, { audit: false, explain: false }).host, 'cmp-2');
});

test('ranks scenarios by stranded count, then short memory, then the lost hosts\' names', () => {
  const scenario = (lost: string, stranded: number, memory: number) => ({
    lost: [lost],
    aggregate: null,
    placed: [],
    stranded: Array.from({ length: stranded }, () => ({ instance: 'i', flavor: 'f', from: lost, reasons: [], causes: [] })),
    short: { memory_mb: memory, disk_gb: 0, vcpus: 0 },
  });
  const ranked = rankScenarios([scenario('c', 1, 10), scenario('b', 0, 0), scenario('a', 0, 0), scenario('d', 1, 20), scenario('e', 2, 0)]);
  assert.deepEqual(ranked.map((s) => s.lost[0]), ['e', 'd', 'c', 'a', 'b']);
});

test('finds the worst loss of k hosts exactly when the combinations are few', () => {
  const state = replayed(threeHosts(), [
    build('one', 'large', { host: 'cmp-1' }),
    build('two', 'large', { host: 'cmp-2' }),
    build('three', 'small', { host: 'cmp-3' }),
  ]);
  const { scenario, search } = new Failover(state).worstLoss(['cmp-1', 'cmp-2', 'cmp-3'], 2);
  assert.deepEqual(search, { method: 'exact', combinations: 3, evaluated: 3 });
  assert.deepEqual(scenario.lost, ['cmp-1', 'cmp-2']);
  assert.equal(scenario.stranded.length, 1);
});

test('searches greedily past the exact limit, from the worst single host, and says so', () => {
  const hosts = Array.from({ length: 120 }, (_, n) => host(`cmp-${n + 1}`, { memory_mb: 16384 }));
  const plan = cloud(hosts, FLAVORS, { reserved_host_memory_mb: 0, ram_allocation_ratio: 1.0 });
  const requests = hosts.map((h, n) => build(`vm-${n}`, n % 3 === 0 ? 'large' : 'small', { host: h.name }));
  const names = hosts.map((h) => h.name);
  assert.ok(combinationCount(120, 2) > EXACT_COMBINATIONS_LIMIT);
  const { scenario, search } = new Failover(replayed(plan, requests)).worstLoss(names, 2);
  assert.equal(search.method, 'greedy');
  assert.equal(search.combinations, 7140);
  assert.equal(search.evaluated, 120 + 31);
  assert.equal(scenario.lost.length, 2);
  assert.equal(scenario.lost[0], 'cmp-1', 'the worst single host (a large instance, first by name) stays in');
});

test('counts combinations exactly', () => {
  assert.deepEqual([combinationCount(5, 2), combinationCount(1000, 1), combinationCount(10, 10), combinationCount(50, 3)], [10, 1000, 1, 19600]);
});
