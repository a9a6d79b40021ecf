import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Request } from '../../../src/engine/core/model.ts';
import { CloudState } from '../../../src/engine/core/cloud-state.ts';
import { replay, SummaryCounter } from '../../../src/engine/core/replay.ts';
import { build, cloud, flavor, host } from '../builders.ts';

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
