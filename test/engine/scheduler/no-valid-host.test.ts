// Why the scheduler found no host: every host's own reasons as attempts when asked to
// explain, and the causes, each with the host short by the least, kept per flavor and
// recomputed only for hosts whose usage changed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Request } from '../../../src/engine/core/model.ts';
import { CloudState } from '../../../src/engine/core/cloud-state.ts';
import { NO_VALID_HOST } from '../../../src/engine/scheduler/filter-scheduler.ts';
import { replay } from '../../../src/engine/core/replay.ts';
import { build, cloud, flavor, host } from '../builders.ts';

const remove = (instance: string): Request => ({ op: 'delete', instance });

function run(state: CloudState, requests: Request[], audit = false, explain = audit) {
  return { decisions: [...replay(state, requests, { audit, explain })] };
}

test('reports no valid host with every host\'s own reasons in attempts when asked to explain', () => {
  const hosts = [host('a', { memory_mb: 2048 }), host('b', { local_gb: 10 })];
  const state = CloudState.start(cloud(hosts, [flavor('m1')]));
  const [decision] = run(state, [build('1', 'm1', { expect: 'rejected' })], false, true).decisions;
  assert.equal(decision.host, null);
  assert.equal(decision.result, 'rejected');
  assert.deepEqual(decision.reasons, [NO_VALID_HOST]);
  assert.equal(decision.message, NO_VALID_HOST);
  assert.deepEqual(decision.attempts, [
    { host: 'a', reasons: ['Free memory 2560.00 MB < requested 4096 MB'] },
    { host: 'b', reasons: ['Free disk 10.00 GB < requested 40 GB'] },
  ]);
  assert.equal(decision.expectation_met, true);
});

test('records the chosen host as the scheduler\'s only attempt when it fits at once', () => {
  const state = CloudState.start(cloud([host('a')], [flavor('m1')]));
  assert.deepEqual(run(state, [build('1', 'm1')], false, true).decisions[0].attempts, [{ host: 'a', reasons: [] }]);
});

test('lists no attempts unless asked to explain, only the causes', () => {
  const state = CloudState.start(cloud([host('a', { memory_mb: 2048 })], [flavor('m1')]));
  const [decision] = run(state, [build('1', 'm1')]).decisions;
  assert.equal(decision.attempts, null);
  assert.deepEqual(decision.causes, [{ cause: 'memory', hosts: 1, closest: { host: 'a', short: 1536, unit: 'MB' } }]);
});

test('summarises no valid host by cause, each with the host short by the least, first listed on a tie', () => {
  const hosts = [
    host('a', { memory_mb: 2048, local_gb: 10 }),
    host('b', { memory_mb: 3000 }),
    host('c', { memory_mb: 3000 }),
    host('d', { memory_mb: 1024, vcpus: 1 }),
  ];
  const state = CloudState.start(cloud(hosts, [flavor('m1')], { enabled_filters: ['RamFilter', 'DiskFilter', 'CoreFilter'], cpu_allocation_ratio: 1 }));
  const [decision] = run(state, [build('1', 'm1')]).decisions;
  // Limits: memory × 1.5 − 512 reserved; m1 asks 4096 MB, 40 GB, 2 vCPU.
  assert.deepEqual(decision.causes, [
    { cause: 'memory', hosts: 4, closest: { host: 'b', short: 4096 - (4500 - 512), unit: 'MB' } },
    { cause: 'disk', hosts: 1, closest: { host: 'a', short: 30, unit: 'GB' } },
    { cause: 'vcpu', hosts: 1, closest: { host: 'd', short: 1, unit: 'VCPU' } },
  ]);
});

test('counts the hosts outside the requested aggregate as a cause of their own', () => {
  const hosts = [host('a', { memory_mb: 2048, aggregates: ['gpu'] }), host('b'), host('c')];
  const state = CloudState.start(cloud(hosts, [flavor('m1')]));
  const [decision] = run(state, [build('1', 'm1', { aggregate: 'gpu' })]).decisions;
  assert.deepEqual(decision.causes?.map(({ cause, hosts: count }) => [cause, count]), [['memory', 1], ['aggregate', 2]]);
});

test('follows usage changes between rejections: the closest miss moves when that host frees up or fills', () => {
  const hosts = [host('a', { memory_mb: 8192 }), host('b', { memory_mb: 8192 })];
  const state = CloudState.start(cloud(hosts, [flavor('m1', { memory_mb: 4000 }), flavor('big', { memory_mb: 9000 })], { ram_allocation_ratio: 1 }));
  const { decisions } = run(state, [
    build('x1', 'm1', { host: 'a' }),
    build('big1', 'big'),
    remove('x1'),
    build('x2', 'm1', { host: 'b' }),
    build('big2', 'big'),
  ]);
  // a: 7680 free, then 3680; b: 7680, then 3680 once x2 lands and a frees up.
  assert.deepEqual(decisions[1].causes, [{ cause: 'memory', hosts: 2, closest: { host: 'b', short: 9000 - 7680, unit: 'MB' } }]);
  assert.deepEqual(decisions[4].causes, [{ cause: 'memory', hosts: 2, closest: { host: 'a', short: 9000 - 7680, unit: 'MB' } }]);
});
