// The filter scheduler choosing a host for a build that names none, as CloudState asks it
// to: the hosts in scope, the filters (each host's claim test), the weighers over the hosts
// that passed, the choice among the best; and when none passes, Nova's NoValidHost text and
// why, by cause.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CloudState } from '../../../src/engine/core/cloud-state.ts';
import type { CapacityModelName, CloudSettings, Request } from '../../../src/engine/core/model.ts';
import { NO_ALLOCATION_CANDIDATES, NO_VALID_HOST } from '../../../src/engine/scheduler/filter-scheduler.ts';
import { replay } from '../../../src/engine/core/replay.ts';
import { build, cloud, flavor, host, ramOnly } from '../builders.ts';

const EXPLAIN = { audit: false, explain: true };
const QUIET = { audit: false, explain: false };

/** Each request decided in turn, as the replay does. */
function run(state: CloudState, requests: Request[]) {
  return { decisions: [...replay(state, requests, QUIET)] };
}

/** cmp-a 8 GiB and cmp-c 16 GiB in az1, cmp-b 32 GiB outside it; nothing reserved, no overcommit. */
function threeHosts(model: CapacityModelName, settings: Partial<CloudSettings> = ramOnly()): CloudState {
  return CloudState.start(
    cloud(
      [host('cmp-a', { memory_mb: 8192, aggregates: ['az1'] }), host('cmp-b', { memory_mb: 32768 }), host('cmp-c', { memory_mb: 16384, aggregates: ['az1'] })],
      [flavor('m16', { memory_mb: 16384, vcpus: 2, root_gb: 10 }), flavor('m64', { memory_mb: 65536, vcpus: 2, root_gb: 10 }), flavor('m1', { memory_mb: 1024, vcpus: 1, root_gb: 1 })],
      { capacity_model: model, reserved_host_memory_mb: 0, ram_allocation_ratio: 1.0, ...settings },
    ),
  );
}

for (const model of ['legacy', 'placement'] as const) {
  test(`${model}: filters out the host whose claim test fails, then weighs the rest and takes the most free RAM`, () => {
    const decision = threeHosts(model).decide(build('vm-1', 'm16'), 1, EXPLAIN);
    assert.equal(decision.result, 'claimed');
    assert.equal(decision.host, 'cmp-b');
    assert.deepEqual(decision.attempts?.map((attempt) => [attempt.host, attempt.reasons.length > 0]), [['cmp-a', true], ['cmp-b', false], ['cmp-c', false]]);
    // Normalised over the two that passed: cmp-b's 32 GiB free is the maximum, cmp-c's 16 GiB half of it.
    assert.deepEqual(decision.weighed?.map((weighed) => [weighed.host, weighed.weight, weighed.weights.RAMWeigher]), [['cmp-b', 1, 1], ['cmp-c', 0.5, 0.5]]);
  });

  test(`${model}: searching the host indexes chooses the host weighing every host chooses`, () => {
    const quiet = threeHosts(model);
    const explained = threeHosts(model);
    for (let seq = 1; seq <= 6; seq++) {
      const request = build(`vm-${seq}`, seq % 2 === 0 ? 'm1' : 'm16');
      assert.equal(quiet.decide(request, seq, QUIET).host, explained.decide(request, seq, EXPLAIN).host, `build ${seq}`);
    }
  });

}

test('legacy: no host passes: Nova\'s NoValidHost text, memory the cause on every host, and the host short by the least', () => {
  const decision = threeHosts('legacy').decide(build('whale', 'm64'), 1, EXPLAIN);
  assert.equal(decision.result, 'rejected');
  assert.deepEqual([decision.host, decision.reasons, decision.message], [null, [NO_VALID_HOST], NO_VALID_HOST]);
  // cmp-b, with 32 GiB free, is the least short of the 64 GiB asked for.
  assert.deepEqual(decision.causes, [{ cause: 'memory', hosts: 3, closest: { host: 'cmp-b', short: 32768, unit: 'MB' } }]);
  assert.deepEqual(decision.attempts?.map((attempt) => attempt.reasons), [
    ['Free memory 8192.00 MB < requested 65536 MB'],
    ['Free memory 32768.00 MB < requested 65536 MB'],
    ['Free memory 16384.00 MB < requested 65536 MB'],
  ]);
});

test('placement: no allocation candidate: Nova\'s empty NoValidHost reason, the cause named by resource class', () => {
  const decision = threeHosts('placement').decide(build('whale', 'm64'), 1, EXPLAIN);
  assert.deepEqual([decision.reasons, decision.message], [[NO_ALLOCATION_CANDIDATES], NO_ALLOCATION_CANDIDATES]);
  assert.deepEqual(decision.causes, [{ cause: 'MEMORY_MB', hosts: 3, closest: { host: 'cmp-b', short: 32768, unit: 'MB' } }]);
  assert.match(decision.attempts?.[0].reasons[0] ?? '', /^Unable to create allocation for 'MEMORY_MB' on resource provider 'cmp-a'\./);
});

test('under Placement weighs only the first max_placement_results candidates, in plan order', () => {
  const hosts = [host('full', { memory_mb: 4096 }), host('a', { memory_mb: 16384 }), host('b', { memory_mb: 32768 }), host('c', { memory_mb: 65536 })];
  const settings: Partial<CloudSettings> = { capacity_model: 'placement', max_placement_results: 2, reserved_host_memory_mb: 0 };
  const big = flavor('big', { memory_mb: 8192 });
  // `full` is no candidate (8192 MB does not fit 4096 × 1.5); a and b are the first two; c, the emptiest, is never weighed.
  for (const explain of [false, true]) {
    const [decision] = [...replay(CloudState.start(cloud(hosts, [big], settings)), [build('1', 'big')], { audit: false, explain })];
    assert.equal(decision.host, 'b');
    if (explain) {
      assert.deepEqual(decision.attempts?.at(-1), { host: 'c', reasons: ['not among the allocation candidates Placement returns (max_placement_results)'] });
    }
  }
  const [all] = [...replay(CloudState.start(cloud(hosts, [big], { ...settings, max_placement_results: 1000 })), [build('1', 'big')], { audit: false, explain: false })];
  assert.equal(all.host, 'c');
});

test('spreads onto the host with the most free RAM and breaks ties by inventory order', () => {
  const hosts = [host('a', { memory_mb: 16384 }), host('b', { memory_mb: 32768 }), host('c', { memory_mb: 32768 })];
  const state = CloudState.start(cloud(hosts, [flavor('m1', { memory_mb: 8192 })]));
  const placed = run(state, [build('1', 'm1'), build('2', 'm1'), build('3', 'm1'), build('4', 'm1')]).decisions.map((d) => d.host);
  // b and c tie at first (b is listed first); after each build the emptier one wins.
  assert.deepEqual(placed, ['b', 'c', 'b', 'c']);
});

test('packs onto the host with the least free RAM that still fits', () => {
  const hosts = [host('a', { memory_mb: 16384 }), host('b', { memory_mb: 8192 }), host('c', { memory_mb: 4096 })];
  const state = CloudState.start(cloud(hosts, [flavor('m1', { memory_mb: 4096 })], { ...ramOnly('pack'), ram_allocation_ratio: 1 }));
  const placed = run(state, [build('1', 'm1'), build('2', 'm1'), build('3', 'm1')]).decisions.map((d) => d.host);
  // c has 3584 MB free after the reserved 512: too little, so b (7680) is the tightest fit.
  assert.deepEqual(placed, ['b', 'a', 'a']);
});

test('breaks a pack tie in favour of the host listed first', () => {
  const hosts = [host('a'), host('b')];
  const state = CloudState.start(cloud(hosts, [flavor('m1')], ramOnly('pack')));
  assert.equal(run(state, [build('1', 'm1')]).decisions[0].host, 'a');
});

test('schedules only onto hosts of the requested aggregate', () => {
  const hosts = [host('a', { memory_mb: 65536 }), host('b', { aggregates: ['gpu'] })];
  const state = CloudState.start(cloud(hosts, [flavor('m1')]));
  assert.equal(run(state, [build('1', 'm1', { aggregate: 'gpu' })]).decisions[0].host, 'b');
});

test('a move to a named host counts its own allocation candidates: the cut to max_placement_results stays for later builds', () => {
  const hosts = [host('full', { memory_mb: 4096 }), host('a', { memory_mb: 16384 }), host('b', { memory_mb: 32768 }), host('c', { memory_mb: 65536 })];
  const settings: Partial<CloudSettings> = { capacity_model: 'placement', max_placement_results: 2, reserved_host_memory_mb: 0 };
  const flavors = [flavor('big', { memory_mb: 8192 })];
  const hostOfLastBuild = (requests: Request[]) => run(CloudState.start(cloud(hosts, flavors, settings)), requests).decisions.at(-1)?.host;
  const moved: Request[] = [
    build('x', 'big', { host: 'a' }),
    { op: 'migrate', instance: 'x', flavor: null, host: 'b', expect: null },
    { op: 'confirm', instance: 'x', expect: null },
    build('y', 'big'),
  ];
  // The migration tried b alone; the build after it still weighs only the first two candidates, as on a cloud where x was built on b.
  assert.equal(hostOfLastBuild(moved), hostOfLastBuild([build('x', 'big', { host: 'b' }), build('y', 'big')]));
});
