import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CloudState } from '../../src/engine/cloud-state.ts';
import { NO_ALLOCATION_CANDIDATES, NO_VALID_HOST } from '../../src/engine/scheduler/filter-scheduler.ts';
import type { CapacityModelName, Request } from '../../src/engine/model.ts';
import { replay, SummaryCounter } from '../../src/engine/replay.ts';
import { build, cloud, flavor, host } from './builders.ts';

const down = (name: string): Request => ({ op: 'down', host: name });
const up = (name: string): Request => ({ op: 'up', host: name });

function run(model: CapacityModelName, requests: Request[]) {
  const state = CloudState.start(
    cloud([host('cmp-1', { memory_mb: 16384 }), host('cmp-2', { memory_mb: 32768 })], [flavor('m1', { memory_mb: 8192 })], {
      capacity_model: model,
      reserved_host_memory_mb: 0,
      ram_allocation_ratio: 1.0,
    }),
  );
  const counter = new SummaryCounter();
  const decisions = [...replay(state, requests, { audit: false, explain: true }, counter)];
  return { state, decisions, summary: counter.summary };
}

for (const model of ['legacy', 'placement'] as const) {
  test(`${model}: the scheduler passes over a down host and takes it again once it is up`, () => {
    const { decisions } = run(model, [down('cmp-2'), build('a', 'm1'), up('cmp-2'), build('b', 'm1')]);
    assert.deepEqual(
      decisions.map((d) => [d.op, d.result, d.host]),
      [
        ['down', 'down', 'cmp-2'],
        ['build', 'claimed', 'cmp-1'],
        ['up', 'up', 'cmp-2'],
        ['build', 'claimed', 'cmp-2'],
      ],
    );
  });

  test(`${model}: refuses a build naming a down host with Nova's ComputeServiceUnavailable text`, () => {
    const { decisions } = run(model, [down('cmp-1'), build('a', 'm1', { host: 'cmp-1' })]);
    const refusal = 'Compute service of cmp-1 is unavailable at this time.';
    assert.deepEqual([decisions[1].result, decisions[1].host, decisions[1].reasons, decisions[1].message], ['rejected', 'cmp-1', [refusal], refusal]);
  });

  test(`${model}: keeps a down host's instances counted, and a delete still releases them`, () => {
    const { state, decisions } = run(model, [build('a', 'm1', { host: 'cmp-1' }), down('cmp-1'), { op: 'delete', instance: 'a' }]);
    assert.deepEqual([decisions[2].result, decisions[2].host], ['released', 'cmp-1']);
    assert.equal(state.hostUsages()[0].memory_mb_used, 0);
  });

  test(`${model}: counts down hosts under their own cause when no host is left`, () => {
    const { decisions } = run(model, [build('a', 'm1', { host: 'cmp-1' }), build('b', 'm1', { host: 'cmp-1' }), down('cmp-2'), build('c', 'm1')]);
    const refused = decisions[3];
    // Placement: a down service's provider is no candidate (Nova's compute_status_filter), so none is left.
    assert.deepEqual(refused.reasons, [model === 'legacy' ? NO_VALID_HOST : NO_ALLOCATION_CANDIDATES]);
    assert.deepEqual(refused.causes?.at(-1), { cause: 'down', hosts: 1, closest: null });
    assert.deepEqual(refused.attempts?.[1], { host: 'cmp-2', reasons: ['the compute service is down (ComputeFilter)'] });
  });
}

test('counts host state requests as requests, neither builds nor deletes', () => {
  const { summary } = run('legacy', [down('cmp-1'), up('cmp-1'), build('a', 'm1')]);
  assert.deepEqual([summary.requests, summary.builds, summary.deletes, summary.claimed], [3, 1, 0, 1]);
});

test('a clone keeps the service state and changes it independently', () => {
  const { state } = run('legacy', [down('cmp-2')]);
  const copy = state.clone();
  copy.decide(up('cmp-2'), 1, { audit: false, explain: false });
  assert.equal(state.decide(build('a', 'm1'), 2, { audit: false, explain: false }).host, 'cmp-1');
  assert.equal(copy.decide(build('a', 'm1'), 2, { audit: false, explain: false }).host, 'cmp-2');
});

const evacuate = (instance: string): Request => ({ op: 'evacuate', instance, flavor: null, host: null, expect: null });
const migrate = (instance: string): Request => ({ op: 'migrate', instance, flavor: null, host: null, expect: null });

/** cmp-1 down from the start, cmp-2 disabled, cmp-3 up and enabled; each holds one instance. */
function startingStates(model: CapacityModelName, requests: Request[], cmp3Memory = 16384) {
  const onHost = (name: string) => [{ name: `on-${name}`, flavor: 'm1' }];
  const state = CloudState.start(
    cloud(
      [
        host('cmp-1', { memory_mb: 65536, down: true, instances: onHost('cmp-1') }),
        host('cmp-2', { memory_mb: 65536, disabled: true, instances: onHost('cmp-2') }),
        host('cmp-3', { memory_mb: cmp3Memory, instances: onHost('cmp-3') }),
      ],
      [flavor('m1', { memory_mb: 8192 })],
      { capacity_model: model, reserved_host_memory_mb: 0, ram_allocation_ratio: 1.0 },
    ),
  );
  return [...replay(state, requests, { audit: false, explain: false })];
}

for (const model of ['legacy', 'placement'] as const) {
  test(`${model}: a host down or disabled from the start takes no scheduled build, its instances still counted`, () => {
    const decisions = startingStates(model, [build('a', 'm1'), build('b', 'm1')]);
    assert.deepEqual(decisions.map((d) => [d.result, d.host]), [['claimed', 'cmp-3'], ['rejected', null]]);
    assert.deepEqual(decisions[1].causes?.find((cause) => cause.cause === 'down')?.hosts, 2);
  });

  test(`${model}: a host down from the start refuses a build naming it; a disabled one that is up builds, as no filter runs`, () => {
    const decisions = startingStates(model, [build('a', 'm1', { host: 'cmp-1' }), build('b', 'm1', { host: 'cmp-2' })]);
    assert.deepEqual(decisions.map((d) => [d.result, d.message]), [
      ['rejected', 'Compute service of cmp-1 is unavailable at this time.'],
      ['claimed', null],
    ]);
  });

  test(`${model}: instances evacuate off a host down from the start, not off a disabled one, which still migrates them`, () => {
    const decisions = startingStates(model, [evacuate('on-cmp-2'), migrate('on-cmp-2'), evacuate('on-cmp-1')], 32768);
    assert.deepEqual(decisions.map((d) => [d.op, d.result, d.from, d.host, d.message]), [
      ['evacuate', 'rejected', 'cmp-2', null, 'Compute service of cmp-2 is still in use.'],
      ['migrate', 'claimed', 'cmp-2', 'cmp-3', null],
      ['evacuate', 'claimed', 'cmp-1', 'cmp-3', null],
    ]);
  });
}
