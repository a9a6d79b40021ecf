import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Request } from '../../src/engine/model.ts';
import { CloudState } from '../../src/engine/cloud-state.ts';
import { NO_VALID_HOST } from '../../src/engine/scheduler/filter-scheduler.ts';
import { replay, SummaryCounter } from '../../src/engine/replay.ts';
import { build, cloud, flavor, host, ramOnly } from './builders.ts';

const remove = (instance: string): Request => ({ op: 'delete', instance });

function run(state: CloudState, requests: Request[], audit = false, explain = audit) {
  const counter = new SummaryCounter();
  const decisions = [...replay(state, requests, { audit, explain }, counter)];
  return { decisions, summary: counter.summary };
}

test('counts reserved host memory and disk as used from the start', () => {
  const state = CloudState.start(
    cloud([host('cmp-1', { memory_mb: 8192, local_gb: 100 })], [], { reserved_host_memory_mb: 1024, reserved_host_disk_mb: 2560 }),
  );
  const [usage] = state.hostUsages();
  assert.equal(usage.memory_mb_used, 1024);
  assert.equal(usage.free_ram_mb, 7168);
  // 2560 MB is 2.5 GB; ComputeNode.local_gb_used is an integer field.
  assert.equal(usage.local_gb_used, 2);
  assert.equal(usage.free_disk_gb, 98);
});

test('counts existing instances and usage totals without testing them, even above the limits', () => {
  const small = host('cmp-1', {
    memory_mb: 4096,
    instances: [{ name: 'db-1', flavor: 'big' }],
    used: { memory_mb: 1000, local_gb: 10, vcpus: 3, running_vms: 2 },
  });
  const state = CloudState.start(cloud([small], [flavor('big', { memory_mb: 8192, vcpus: 4, root_gb: 80 })]));
  const [usage] = state.hostUsages();
  assert.deepEqual(
    [usage.memory_mb_used, usage.local_gb_used, usage.vcpus_used, usage.running_vms],
    [512 + 1000 + 8192, 10 + 80, 3 + 4, 2 + 1],
  );
  const { decisions } = run(state, [build('x', 'big', { host: 'cmp-1' })]);
  assert.equal(decisions[0].result, 'rejected');
  assert.match(decisions[0].reasons[0], /^Free memory -3560.00 MB < requested 8192 MB$/);
});

test('adds the driver overhead to requested memory and disk, and never counts swap', () => {
  const withOverhead = host('cmp-1', { overhead: { memory_mb: 100, disk_gb: 2 } });
  const state = CloudState.start(cloud([withOverhead], [flavor('m1', { memory_mb: 2048, root_gb: 20, ephemeral_gb: 5, swap: 4096 })]));
  const { decisions } = run(state, [build('a', 'm1', { host: 'cmp-1' })]);
  assert.deepEqual(decisions[0].requested, { memory_mb: 2148, disk_gb: 27, vcpus: 2 });
  const [usage] = state.hostUsages();
  assert.equal(usage.memory_mb_used, 512 + 2148);
  assert.equal(usage.local_gb_used, 27);
});

test('joins every failing reason with "; " in Nova\'s exception text', () => {
  const tight = host('cmp-1', { memory_mb: 2048, local_gb: 20, vcpus: 1 });
  const state = CloudState.start(cloud([tight], [flavor('m1', { memory_mb: 4096, root_gb: 40, vcpus: 4 })], {
    enabled_filters: ['RamFilter', 'DiskFilter', 'CoreFilter'],
    cpu_allocation_ratio: 1,
  }));
  const [decision] = run(state, [build('a', 'm1', { host: 'cmp-1' })]).decisions;
  assert.deepEqual(decision.reasons, [
    'Free memory 2560.00 MB < requested 4096 MB',
    'Free disk 20.00 GB < requested 40 GB',
    'Free vcpu 1.00 VCPU < requested 4 VCPU',
  ]);
  assert.equal(
    decision.message,
    'Insufficient compute resources: Free memory 2560.00 MB < requested 4096 MB; ' +
      'Free disk 20.00 GB < requested 40 GB; Free vcpu 1.00 VCPU < requested 4 VCPU.',
  );
});

test('gives back exactly what a claim took when the instance is deleted', () => {
  const state = CloudState.start(cloud([host('cmp-1', { overhead: { memory_mb: 64, disk_gb: 1 } })], [flavor('m1')]));
  const before = state.hostUsages()[0];
  const { decisions } = run(state, [build('a', 'm1'), remove('a')]);
  assert.equal(decisions[1].result, 'released');
  assert.equal(decisions[1].host, 'cmp-1');
  assert.deepEqual(decisions[1].requested, { memory_mb: 4160, disk_gb: 41, vcpus: 2 });
  assert.deepEqual(state.hostUsages()[0], before);
});

test('releases nothing, on no host, when deleting an instance whose build was rejected', () => {
  const state = CloudState.start(cloud([host('cmp-1', { memory_mb: 1024 })], [flavor('m1')]));
  const { decisions } = run(state, [build('a', 'm1'), remove('a')]);
  assert.equal(decisions[0].result, 'rejected');
  assert.deepEqual([decisions[1].result, decisions[1].host, decisions[1].requested], ['released', null, null]);
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

test('checks expectations and counts them in the summary', () => {
  const state = CloudState.start(cloud([host('a', { memory_mb: 8192 })], [flavor('m1')], { ram_allocation_ratio: 1 }));
  const { decisions, summary } = run(state, [
    build('1', 'm1', { expect: 'claimed' }),
    build('2', 'm1', { expect: 'claimed' }),
    remove('1'),
  ]);
  assert.deepEqual(decisions.map((d) => d.expectation_met), [true, false, null]);
  assert.deepEqual(summary, {
    requests: 3, builds: 2, deletes: 1, moves: 0, claimed: 1, rejected: 1, released: 1, expectations: 2, expectations_failed: 1,
  });
});

test('collects Nova\'s audit lines for a claim when asked', () => {
  const state = CloudState.start(cloud([host('a', { memory_mb: 4096, local_gb: 100 })], [flavor('m1', { memory_mb: 1024 })]));
  const [decision] = run(state, [build('1', 'm1', { host: 'a' })], true).decisions;
  assert.deepEqual(decision.audit, [
    {
      host: 'a',
      lines: [
        'Attempting claim: memory 1024 MB, disk 40 GB, vcpus 2 CPU',
        'Total memory: 4096 MB, used: 512.00 MB',
        'memory limit: 6144.00 MB, free: 5632.00 MB',
        'Total disk: 100 GB, used: 0.00 GB',
        'disk limit: 100.00 GB, free: 100.00 GB',
        'Total vcpu: 16 VCPU, used: 0.00 VCPU',
        'vcpu limit not specified, defaulting to unlimited',
        'Claim successful',
      ],
    },
  ]);
});

test('leaves the original untouched when a clone takes claims', () => {
  const state = CloudState.start(cloud([host('a')], [flavor('m1')]));
  run(state, [build('1', 'm1')]);
  const copy = state.clone();
  run(copy, [build('2', 'm1'), remove('1')]);
  assert.equal(state.hostUsages()[0].running_vms, 1);
  assert.equal(state.hostUsages()[0].memory_mb_used, 512 + 4096);
  assert.equal(copy.hostUsages()[0].memory_mb_used, 512 + 4096);
});
