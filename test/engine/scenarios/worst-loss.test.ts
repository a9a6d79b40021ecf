// The worst loss of N hosts as expand's failover target and consolidate's --keep judge it:
// by the instances it strands that count, the first such loss in combination order.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CloudState } from '../../../src/engine/core/cloud-state.ts';
import { Failover } from '../../../src/engine/scenarios/failover.ts';
import { replay } from '../../../src/engine/core/replay.ts';
import { worstCountedLoss } from '../../../src/engine/scenarios/worst-loss.ts';
import { build, cloud, flavor, host, ramOnly } from '../builders.ts';

/** cmp-1 (16 GiB) holds two 8 GiB web servers, cmp-2 (16 GiB) one 12 GiB db; cmp-3 (8 GiB) is empty. */
function failover(): { failover: Failover; hosts: string[] } {
  const state = CloudState.start(
    cloud([host('cmp-1', { memory_mb: 16384 }), host('cmp-2', { memory_mb: 16384 }), host('cmp-3', { memory_mb: 8192 })], [flavor('m8', { memory_mb: 8192 }), flavor('m12', { memory_mb: 12288 })], {
      ...ramOnly(),
      reserved_host_memory_mb: 0,
      ram_allocation_ratio: 1.0,
    }),
  );
  const requests = [build('web-1', 'm8', { host: 'cmp-1' }), build('web-2', 'm8', { host: 'cmp-1' }), build('db', 'm12', { host: 'cmp-2' })];
  for (const _decision of replay(state, requests, { audit: false, explain: false }));
  return { failover: new Failover(state), hosts: state.hostNames() };
}

test('runs every combination and keeps the first that strands most', () => {
  const { failover: scenarios, hosts } = failover();
  const worst = worstCountedLoss(scenarios, hosts, 2);
  assert.deepEqual(worst.search, { method: 'exact', combinations: 3, evaluated: 3 });
  // cmp-1 and cmp-2 strand web-2 and db, cmp-1 and cmp-3 both web servers: the first of the two is kept.
  assert.deepEqual([worst.lost, worst.stranded.length], [['cmp-1', 'cmp-2'], 2]);
  assert.deepEqual(worst.counted, worst.stranded);
});

test('judges the losses by the instances that count, however many others they strand', () => {
  const { failover: scenarios, hosts } = failover();
  const onlyDb = worstCountedLoss(scenarios, hosts, 1, (stranded) => stranded.filter((instance) => instance.instance === 'db'));
  assert.deepEqual(onlyDb.lost, ['cmp-2']);
  assert.deepEqual(onlyDb.counted.map((instance) => instance.instance), ['db']);
  const anyInstance = worstCountedLoss(scenarios, hosts, 1);
  // Losing cmp-1 strands web-2 and losing cmp-2 strands db: one each, and cmp-1 comes first.
  assert.deepEqual(anyInstance.lost, ['cmp-1']);
});
