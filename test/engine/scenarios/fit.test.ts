import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fitFlavor } from '../../../src/engine/scenarios/fit.ts';
import type { Request } from '../../../src/engine/core/model.ts';
import { CloudState } from '../../../src/engine/core/cloud-state.ts';
import { replay } from '../../../src/engine/core/replay.ts';
import { cloud, flavor, host } from '../builders.ts';

const flavors = [
  flavor('tiny', { vcpus: 1, memory_mb: 512, root_gb: 1 }),
  flavor('m1', { vcpus: 2, memory_mb: 4096, root_gb: 40 }),
  flavor('fat', { vcpus: 16, memory_mb: 65536, root_gb: 300, ephemeral_gb: 100 }),
];
const hosts = [
  host('a', { vcpus: 48, memory_mb: 196608, local_gb: 3000, overhead: { memory_mb: 37, disk_gb: 1 } }),
  host('b', { vcpus: 8, memory_mb: 16384, local_gb: 100, used: { memory_mb: 3000, local_gb: 7, vcpus: 5, running_vms: 2 } }),
  host('c', { vcpus: 64, memory_mb: 262144, local_gb: 900, settings: { ram_allocation_ratio: 1.3 } }),
];
const settings = { enabled_filters: ['RamFilter', 'DiskFilter', 'CoreFilter'], cpu_allocation_ratio: 3 };

test('counts exactly as many builds as replaying them one by one accepts, and names the refusal', () => {
  const state = CloudState.start(cloud(hosts, flavors, settings));
  for (const { name } of flavors) {
    const fit = fitFlavor(state, name, ['a', 'b', 'c']);
    for (const hostFit of fit.hosts) {
      const replica = CloudState.start(cloud(hosts, flavors, settings));
      const builds: Request[] = [];
      for (let n = 0; n <= hostFit.count!; n++) {
        builds.push({ op: 'build', instance: `x${n}`, flavor: name, host: hostFit.host, aggregate: null, expect: null });
      }
      const decisions = [...replay(replica, builds, { audit: false, explain: false })];
      const last = decisions.pop()!;
      assert.ok(decisions.every((d) => d.result === 'claimed'), `${name} on ${hostFit.host}: ${hostFit.count} claims`);
      assert.equal(last.result, 'rejected');
      assert.deepEqual(last.reasons, hostFit.bottleneck);
    }
    assert.equal(fit.total, fit.hosts.reduce((sum, h) => sum + h.count!, 0));
  }
});

test('reports a host unbounded, and the total null, when no limit applies to the flavor', () => {
  const state = CloudState.start(cloud(hosts, flavors, { enabled_filters: [] }));
  const fit = fitFlavor(state, 'm1', ['a', 'b']);
  assert.equal(fit.total, null);
  assert.deepEqual(fit.hosts[0], { host: 'a', count: null, bottleneck: [] });
});

test('counts zero with the reasons when not even one more fits', () => {
  const state = CloudState.start(cloud([host('full', { memory_mb: 1024 })], flavors));
  assert.deepEqual(fitFlavor(state, 'm1', ['full']).hosts[0], {
    host: 'full',
    count: 0,
    bottleneck: ['Free memory 1024.00 MB < requested 4096 MB'],
  });
});

test('leaves the state it was asked about unchanged', () => {
  const state = CloudState.start(cloud(hosts, flavors, settings));
  const before = JSON.stringify(state.hostUsages());
  fitFlavor(state, 'tiny', ['a', 'b', 'c']);
  assert.equal(JSON.stringify(state.hostUsages()), before);
});
