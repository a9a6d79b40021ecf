import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CloudState } from '../../src/engine/cloud-state.ts';
import { consolidate } from '../../src/engine/consolidate.ts';
import { Failover } from '../../src/engine/failover.ts';
import { NO_VALID_HOST } from '../../src/engine/scheduler/filter-scheduler.ts';
import type { Cloud, Request } from '../../src/engine/model.ts';
import { replay } from '../../src/engine/replay.ts';
import { build, cloud, flavor, host } from './builders.ts';

const QUIET = { audit: false, explain: false };

function replayed(plan: Cloud, requests: Request[]): CloudState {
  const state = CloudState.start(plan);
  for (const _decision of replay(state, requests, QUIET));
  return state;
}

function fourHosts(): Cloud {
  return cloud(
    ['cmp-1', 'cmp-2', 'cmp-3', 'cmp-4'].map((name) => host(name, { memory_mb: 16384 })),
    [flavor('small', { memory_mb: 4096 }), flavor('big', { memory_mb: 12288 })],
    { reserved_host_memory_mb: 0, ram_allocation_ratio: 1.0 },
  );
}

/** Spread: one small on each host, then a big on cmp-1. */
const SPREAD: Request[] = [build('a', 'small'), build('b', 'small'), build('c', 'small'), build('d', 'small'), build('big-1', 'big', { host: 'cmp-1' })];

function worstStranded(state: CloudState, k: number): number {
  const up = state.hostNames().filter((name) => !state.nodeNamed(name).serviceDown);
  const failover = new Failover(state);
  return Math.max(0, ...up.map((lost) => (k === 1 ? failover.lose([lost]).stranded.length : 0)));
}

test('empties the hosts whose instances live-migrate elsewhere, each then down, and replaying those moves gives the same cloud', () => {
  const plan = fourHosts();
  const result = consolidate(replayed(plan, SPREAD), null);
  const emptied = result.emptied.map((host) => host.host);
  assert.ok(emptied.length >= 2);
  assert.ok(!emptied.includes('cmp-1'));
  const moves = result.emptied.flatMap(({ host, moves }) => [
    ...moves.map((move): Request => ({ op: 'live_migrate', instance: move.instance, flavor: null, host: move.to, expect: null })),
    { op: 'down', host } as Request,
  ]);
  const again = replayed(plan, [...SPREAD, ...moves]);
  assert.deepEqual(again.hostUsages(), result.state.hostUsages());
  for (const host of emptied) {
    assert.equal(result.state.nodeNamed(host).serviceDown, true);
    assert.equal(result.state.hostUsages().find((usage) => usage.host === host)!.running_vms, 0);
  }
});

test('keeps a host whose instance finds no other host, with Nova\'s words', () => {
  const plan = fourHosts();
  const result = consolidate(replayed(plan, [...SPREAD, build('big-2', 'big', { host: 'cmp-2' }), build('big-3', 'big', { host: 'cmp-3' }), build('big-4', 'big', { host: 'cmp-4' })]), null);
  assert.deepEqual(result.emptied, []);
  const [first] = result.kept;
  assert.equal(first.why.kind, 'instance');
  if (first.why.kind === 'instance') {
    assert.deepEqual(first.why.reasons, [NO_VALID_HOST]);
    assert.ok(first.why.causes.some((cause) => cause.cause === 'source'));
  }
});

test('with --keep failover:1, empties a host only while losing any one host strands no more than before', () => {
  const plan = fourHosts();
  const state = replayed(plan, SPREAD);
  const before = worstStranded(state, 1);
  const kept = consolidate(state, 1);
  assert.ok(worstStranded(kept.state, 1) <= before);
  assert.equal(kept.failover!.before, before);
  assert.ok(kept.emptied.length < consolidate(state, null).emptied.length);
  assert.ok(kept.kept.some((host) => host.why.kind === 'failover'));
});

test('keeps a host that runs what no instance of the plan accounts for', () => {
  const plan = fourHosts();
  plan.hosts[3].used = { memory_mb: 2048, local_gb: 0, vcpus: 1, running_vms: 1 };
  const result = consolidate(replayed(plan, []), null);
  assert.deepEqual(result.kept.find((host) => host.host === 'cmp-4')?.why, { kind: 'holds', running_vms: 1 });
  assert.deepEqual(
    result.emptied.map((host) => host.host),
    ['cmp-3', 'cmp-2', 'cmp-1'],
  );
});

test('moves each instance once, to a host that stays, where the greedy order first parked it on a host it emptied later', () => {
  // Spread: web-1 on cmp-1, web-2 on cmp-2, web-3 on cmp-3 (the fullest, with db and db-2).
  // cmp-2 is drained first (a tie, the one listed last); the scheduler would send web-2 to
  // the emptiest host, cmp-1, which is emptied next, moving web-2 a second time.
  const plan = cloud(
    ['cmp-1', 'cmp-2', 'cmp-3'].map((name) => host(name, { memory_mb: 32768 })),
    [flavor('small', { memory_mb: 4096 }), flavor('big', { memory_mb: 12288 })],
    { reserved_host_memory_mb: 0, ram_allocation_ratio: 1.0 },
  );
  const result = consolidate(replayed(plan, [build('web-1', 'small'), build('web-2', 'small'), build('web-3', 'small'), build('db', 'big', { host: 'cmp-3' }), build('db-2', 'small', { host: 'cmp-3' })]), null);
  assert.deepEqual(result.emptied.map(({ host: name }) => name), ['cmp-2', 'cmp-1']);
  const moves = result.emptied.flatMap(({ moves: hostMoves }) => hostMoves);
  assert.deepEqual(moves.map(({ instance, to }) => [instance, to]), [['web-2', 'cmp-3'], ['web-1', 'cmp-3']]);
});
