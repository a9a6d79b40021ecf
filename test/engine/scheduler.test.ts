import { test } from 'node:test';
import assert from 'node:assert/strict';
import { testClaim } from '../../src/engine/legacy/claim.ts';
import { limitsFor } from '../../src/engine/legacy/limits.ts';
import type { Cloud, HostSpec, Request } from '../../src/engine/model.ts';
import { CloudState } from '../../src/engine/cloud-state.ts';
import { replay } from '../../src/engine/replay.ts';
import { topologyRequestFor } from '../../src/engine/topology/index.ts';
import { ComputeNode, resolveSettings } from '../../src/engine/compute-node.ts';
import { cloud, flavor, host } from './builders.ts';

function lcg(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
}

/** The scheduler by definition: test every host, keep the best weight, ties to the first listed. */
function bruteForceChoice(cloudSpec: Cloud, usage: Map<string, ComputeNode>, flavorName: string, aggregate: string | null): string | null {
  const spec = cloudSpec.flavors.find((f) => f.name === flavorName)!;
  const built = topologyRequestFor(spec, []);
  if (!built.ok) throw new Error(built.error);
  const topology = built.value;
  let best: { name: string; weight: number } | null = null;
  for (const hostSpec of cloudSpec.hosts) {
    if (aggregate !== null && !hostSpec.aggregates.includes(aggregate)) continue;
    const node = usage.get(hostSpec.name)!;
    if (testClaim(node, { flavor: spec, topology }, false).reasons.length > 0) continue;
    const weight = cloudSpec.settings.weigher === 'spread' ? node.free_ram_mb : -node.free_ram_mb;
    if (best === null || weight > best.weight) best = { name: hostSpec.name, weight };
  }
  return best?.name ?? null;
}

for (const weigher of ['spread', 'pack'] as const) {
  test(`chooses the same host as testing every host would, under ${weigher}, over a random churn`, () => {
    const random = lcg(weigher === 'spread' ? 11 : 29);
    const hosts: HostSpec[] = [];
    for (let n = 0; n < 37; n++) {
      hosts.push(
        host(`h${n}`, {
          vcpus: 8 + Math.floor(random() * 4) * 8,
          memory_mb: 8192 * (1 + Math.floor(random() * 4)),
          local_gb: 100 * (1 + Math.floor(random() * 3)),
          aggregates: random() < 0.4 ? ['az1'] : [],
          overhead: { memory_mb: random() < 0.2 ? 128 : 0, disk_gb: random() < 0.2 ? 1 : 0 },
          settings: random() < 0.2 ? { ram_allocation_ratio: 1.3 } : {},
        }),
      );
    }
    const flavors = [
      flavor('s', { vcpus: 1, memory_mb: 1024, root_gb: 10 }),
      flavor('m', { vcpus: 2, memory_mb: 4096, root_gb: 40 }),
      flavor('l', { vcpus: 8, memory_mb: 8192, root_gb: 120 }),
    ];
    const spec = cloud(hosts, flavors, { weigher, enabled_filters: ['RamFilter', 'DiskFilter', 'CoreFilter'], cpu_allocation_ratio: 2 });
    const state = CloudState.start(spec);
    // A mirror of the same cloud, updated only from the decisions, for the brute force to test.
    const mirror = new Map(
      spec.hosts.map((h, i) => {
        const settings = resolveSettings(spec.settings, h);
        return [h.name, ComputeNode.start(i, h, settings, limitsFor(h, settings), null)];
      }),
    );
    const live: string[] = [];
    let rejected = 0;
    for (let n = 0; n < 1500; n++) {
      let request: Request;
      if (live.length > 0 && random() < 0.3) {
        request = { op: 'delete', instance: live.splice(Math.floor(random() * live.length), 1)[0] };
      } else {
        const f = flavors[Math.floor(random() * flavors.length)].name;
        request = { op: 'build', instance: `i${n}`, flavor: f, host: null, aggregate: random() < 0.3 ? 'az1' : null, expect: null };
      }
      const expected = request.op === 'build' ? bruteForceChoice(spec, mirror, request.flavor, request.aggregate) : null;
      const [decision] = [...replay(state, [request], { audit: false, explain: false })];
      if (request.op === 'build') {
        assert.equal(decision.result === 'claimed' ? decision.host : null, expected, `request ${n}`);
        if (decision.result === 'claimed') {
          live.push(request.instance);
          mirror.get(decision.host!)!.updateUsage(decision.requested!, 1);
        } else rejected++;
      } else if (decision.host !== null) {
        mirror.get(decision.host)!.updateUsage(decision.requested!, -1);
      }
    }
    assert.ok(rejected > 50, `the churn should reach a full cloud (rejected ${rejected})`);
  });
}

test('explains a later no-valid-host with the usage as it is then, not as it was cached', () => {
  const state = CloudState.start(cloud([host('a', { memory_mb: 8192 }), host('b', { memory_mb: 8192 })], [flavor('m1', { memory_mb: 8000 })]));
  const requests: Request[] = [
    { op: 'build', instance: '1', flavor: 'm1', host: null, aggregate: null, expect: null },
    { op: 'build', instance: '2', flavor: 'm1', host: null, aggregate: null, expect: null },
    { op: 'build', instance: '3', flavor: 'm1', host: null, aggregate: null, expect: null },
    { op: 'delete', instance: '1' },
    { op: 'build', instance: '4', flavor: 'm1', host: null, aggregate: null, expect: null },
    { op: 'build', instance: '5', flavor: 'm1', host: null, aggregate: null, expect: null },
  ];
  const decisions = [...replay(state, requests, { audit: false, explain: true })];
  assert.deepEqual(decisions.map((d) => d.result), ['claimed', 'claimed', 'rejected', 'released', 'claimed', 'rejected']);
  assert.deepEqual(decisions[2].attempts, [
    { host: 'a', reasons: ['Free memory 3776.00 MB < requested 8000 MB'] },
    { host: 'b', reasons: ['Free memory 3776.00 MB < requested 8000 MB'] },
  ]);
  assert.deepEqual(decisions[5].attempts, decisions[2].attempts);
});
