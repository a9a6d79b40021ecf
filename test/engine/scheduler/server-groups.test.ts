import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CloudState } from '../../../src/engine/core/cloud-state.ts';
import { Failover } from '../../../src/engine/scenarios/failover.ts';
import { NO_VALID_HOST } from '../../../src/engine/scheduler/filter-scheduler.ts';
import type { BuildRequest, CapacityModelName, Request, ServerGroup, Weigher } from '../../../src/engine/core/model.ts';
import { replay } from '../../../src/engine/core/replay.ts';
import { build, cloud, flavor, host, ramOnly } from '../builders.ts';

const GROUPS: ServerGroup[] = [
  { name: 'apart', policy: 'anti-affinity', max_server_per_host: 1 },
  { name: 'two-apart', policy: 'anti-affinity', max_server_per_host: 2 },
  { name: 'together', policy: 'affinity', max_server_per_host: 1 },
  { name: 'rather-apart', policy: 'soft-anti-affinity', max_server_per_host: 1 },
  { name: 'rather-together', policy: 'soft-affinity', max_server_per_host: 1 },
];

function run(requests: Request[], { model = 'legacy', weigher = 'spread', explain = false }: { model?: CapacityModelName; weigher?: Weigher; explain?: boolean } = {}) {
  const plan = cloud(
    [host('cmp-1', { memory_mb: 65536 }), host('cmp-2', { memory_mb: 65536 }), host('cmp-3', { memory_mb: 65536 })],
    [flavor('m1', { memory_mb: 4096 }), flavor('big', { memory_mb: 16384 })],
    { capacity_model: model, ...ramOnly(weigher), reserved_host_memory_mb: 0, ram_allocation_ratio: 1.0 },
  );
  plan.server_groups = GROUPS;
  const state = CloudState.start(plan);
  return { state, decisions: [...replay(state, requests, { audit: false, explain })] };
}

const inGroup = (instance: string, group: string, extra: Partial<BuildRequest> = {}) => build(instance, 'm1', { group, ...extra });

for (const model of ['legacy', 'placement'] as const) {
  test(`${model}: anti-affinity keeps members on different hosts, then finds no host, saying which members are where`, () => {
    const { decisions } = run(['a', 'b', 'c', 'd'].map((name) => inGroup(name, 'apart')), { model, explain: true });
    assert.deepEqual(decisions.map((d) => d.host), ['cmp-1', 'cmp-2', 'cmp-3', null]);
    const refused = decisions[3];
    assert.equal(refused.reasons.length, 1);
    assert.deepEqual(refused.causes, [{ cause: 'group', hosts: 3, closest: null, server_group: { name: 'apart', policy: 'anti-affinity' } }]);
    assert.deepEqual(refused.attempts?.[0], { host: 'cmp-1', reasons: ['server group apart (anti-affinity) already has a here'] });
  });
}

test('anti-affinity allows max_server_per_host members on a host', () => {
  const { decisions } = run(['a', 'b', 'c', 'd', 'e', 'f', 'g'].map((name) => inGroup(name, 'two-apart')));
  assert.deepEqual(decisions.map((d) => d.host), ['cmp-1', 'cmp-2', 'cmp-3', 'cmp-1', 'cmp-2', 'cmp-3', null]);
  assert.deepEqual(decisions[6].reasons, [NO_VALID_HOST]);
});

test('affinity keeps every member on the first member\'s host, even as others have more room', () => {
  const { decisions } = run([inGroup('a', 'together'), build('x', 'big', { host: 'cmp-2' }), inGroup('b', 'together'), inGroup('c', 'together')]);
  assert.deepEqual([decisions[0].host, decisions[2].host, decisions[3].host], ['cmp-1', 'cmp-1', 'cmp-1']);
});

test('soft anti-affinity spreads members before the RAM weigher would, soft affinity packs them', () => {
  // With free RAM equal everywhere, b goes to a host without a member rather than to the first listed.
  const apart = run([build('x', 'm1', { host: 'cmp-2' }), build('y', 'm1', { host: 'cmp-3' }), inGroup('a', 'rather-apart'), inGroup('b', 'rather-apart')]);
  assert.deepEqual([apart.decisions[2].host, apart.decisions[3].host], ['cmp-1', 'cmp-2']);
  const together = run([inGroup('a', 'rather-together'), inGroup('b', 'rather-together'), inGroup('c', 'rather-together')]);
  assert.deepEqual(together.decisions.map((d) => d.host), ['cmp-1', 'cmp-1', 'cmp-1']);
});

test('soft affinity weighs with the RAM weigher normalised: a host far emptier still loses to the member\'s host', () => {
  const { decisions } = run([build('x', 'big', { host: 'cmp-1' }), inGroup('a', 'rather-together', { host: 'cmp-1' }), inGroup('b', 'rather-together')]);
  // RAM normalised from 0 (the weigher's minval) to the most free: cmp-1 45056 / 65536 = 0.6875, plus
  // members normalised 1 = 1.6875; cmp-2 and cmp-3: 1 + 0 = 1.
  assert.equal(decisions[2].host, 'cmp-1');
});

test('with every host over-committed the RAM weigher ties at its minval 0 and the first listed wins', () => {
  // Zed's RAMWeigher clamps negative free RAM to 0: a and b weigh the same, though b is less over-committed.
  const hosts = [host('a', { memory_mb: 65536, used: { memory_mb: 70000, local_gb: 0, vcpus: 0, running_vms: 1 } }), host('b', { memory_mb: 65536, used: { memory_mb: 66000, local_gb: 0, vcpus: 0, running_vms: 1 } })];
  const state = CloudState.start(cloud(hosts, [flavor('m1.small', { vcpus: 1, memory_mb: 2048, root_gb: 20 })], { ...ramOnly('spread'), ram_allocation_ratio: 1.5 }));
  const [decision] = [...replay(state, [build('1', 'm1.small')], { audit: false, explain: true })];
  assert.equal(decision.host, 'a');
  assert.deepEqual(decision.weighed?.map((weighed) => [weighed.host, weighed.weight]), [['a', 0], ['b', 0]]);
});

test('a deleted member frees its host for the group', () => {
  const { decisions } = run([
    inGroup('a', 'apart', { host: 'cmp-1' }),
    inGroup('b', 'apart', { host: 'cmp-2' }),
    inGroup('c', 'apart', { host: 'cmp-3' }),
    { op: 'delete', instance: 'b' },
    inGroup('d', 'apart'),
  ]);
  assert.equal(decisions[4].host, 'cmp-2');
});

test('evacuation respects the group: anti-affinity members find a host without one, affinity members none', () => {
  const { state } = run([inGroup('a', 'apart', { host: 'cmp-1' }), inGroup('b', 'apart', { host: 'cmp-2' }), inGroup('t1', 'together', { host: 'cmp-3' })]);
  const failover = new Failover(state);
  const losingOne = failover.lose(['cmp-1']);
  assert.deepEqual(losingOne.placed.map((p) => [p.instance, p.to]), [['a', 'cmp-3']]);
  // The affinity group's hosts still count the down host its members are on, as Nova's get_hosts does.
  const losingThree = failover.lose(['cmp-3']);
  assert.deepEqual(losingThree.stranded.map((s) => [s.instance, s.causes.map((c) => c.cause)]), [['t1', ['group', 'down']]]);
});
