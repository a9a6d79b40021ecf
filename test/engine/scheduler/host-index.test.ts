import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Cloud, CloudSettings, HostSpec, Request } from '../../../src/engine/core/model.ts';
import { CloudState } from '../../../src/engine/core/cloud-state.ts';
import { replay } from '../../../src/engine/core/replay.ts';
import { cloud, flavor, host, ramOnly } from '../builders.ts';

function lcg(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
}

/** A random cloud: hosts of several sizes, some in an aggregate, some with GPUs, some already over-committed. */
function randomCloud(random: () => number, settings: Partial<CloudSettings>, twins = false): Cloud {
  const hosts: HostSpec[] = [];
  for (let n = 0; n < 37; n++) {
    const memory_mb = 8192 * (1 + Math.floor(random() * 4));
    if (twins) {
      // Two sizes only, empty, in and out of the aggregate: hosts alike to the last bit, as a levelled cloud has.
      const large = n % 3 === 0;
      hosts.push(host(`h${n}`, { vcpus: large ? 32 : 16, memory_mb: large ? 32768 : 16384, local_gb: large ? 300 : 200, aggregates: n % 2 === 0 ? ['az1'] : [] }));
      continue;
    }
    hosts.push(
      host(`h${n}`, {
        vcpus: 8 + Math.floor(random() * 4) * 8,
        memory_mb,
        local_gb: 100 * (1 + Math.floor(random() * 3)),
        aggregates: random() < 0.4 ? ['az1'] : [],
        overhead: { memory_mb: random() < 0.2 ? 128 : 0, disk_gb: random() < 0.2 ? 1 : 0 },
        settings: random() < 0.2 ? { ram_allocation_ratio: 1.3 } : {},
        pci: random() < 0.3 ? [{ vendor_id: '10de', product_id: '20b5', numa_node: null, count: 1 + Math.floor(random() * 3), dev_type: 'type-PCI', physical_network: null }] : [],
        used: random() < 0.15 ? { memory_mb: Math.floor(memory_mb * 1.2), local_gb: 0, vcpus: 4, running_vms: 2 } : { memory_mb: 0, local_gb: 0, vcpus: 0, running_vms: 0 },
      }),
    );
  }
  const flavors = [
    flavor('s', { vcpus: 1, memory_mb: 1024, root_gb: 10 }),
    flavor('m', { vcpus: 2, memory_mb: 4096, root_gb: 40 }),
    flavor('l', { vcpus: 8, memory_mb: 8192, root_gb: 120 }),
    flavor('gpu', { vcpus: 4, memory_mb: 4096, root_gb: 40, extra_specs: { 'pci_passthrough:alias': 'a100:1' } }),
  ];
  const planned = cloud(hosts, flavors, { enabled_filters: ['RamFilter', 'DiskFilter', 'CoreFilter'], cpu_allocation_ratio: 2, ...settings });
  planned.pci_aliases = [{ name: 'a100', vendor_id: '10de', product_id: '20b5', device_type: '', numa_policy: 'legacy' }];
  return planned;
}

const WEIGHINGS: [string, Partial<CloudSettings>][] = [
  ["Nova's default weighers", {}],
  ['RAM only, spreading', ramOnly('spread')],
  ['RAM only, packing', ramOnly('pack')],
  ['multipliers of every sign and zero', { ram_weight_multiplier: -0.5, cpu_weight_multiplier: 2, disk_weight_multiplier: 0, pci_weight_multiplier: 3, io_ops_weight_multiplier: 5 }],
  ['host_subset_size 3 and shuffled ties', { host_subset_size: 3, shuffle_best_same_weighed_hosts: true }],
];

for (const [label, settings] of WEIGHINGS) {
  for (const [model, twins] of [['legacy', false], ['placement', false], ['legacy', true], ['placement', true]] as const) {
    const hosts = twins ? 'hosts of two sizes' : 'hosts of random sizes';
    test(`the host indexes choose as weighing every host would (${label}, ${model} model, ${hosts}), over a random churn`, () => {
      const random = lcg(label.length * 7 + (model === 'legacy' ? 11 : 29) + (twins ? 5 : 0));
      const spec = randomCloud(random, { ...settings, capacity_model: model }, twins);
      // --explain weighs every host that passes, as Nova does; without it the indexes search.
      const [indexed, weighedAll] = [CloudState.start(spec), CloudState.start(spec)];
      const live: string[] = [];
      let rejected = 0;
      for (let n = 0; n < 1500; n++) {
        let request: Request;
        if (live.length > 0 && random() < 0.3) {
          request = { op: 'delete', instance: live.splice(Math.floor(random() * live.length), 1)[0] };
        } else {
          const f = spec.flavors[Math.floor(random() * spec.flavors.length)].name;
          request = { op: 'build', instance: `i${n}`, flavor: f, host: null, aggregate: random() < 0.3 ? 'az1' : null, expect: null };
        }
        const [fast] = [...replay(indexed, [request], { audit: false, explain: false })];
        const [full] = [...replay(weighedAll, [request], { audit: false, explain: true })];
        assert.equal(fast.host, full.host, `request ${n}`);
        assert.equal(fast.result, full.result, `request ${n}`);
        if (fast.op === 'build' && fast.result === 'claimed') live.push(request.instance!);
        if (fast.result === 'rejected') rejected++;
      }
      assert.ok(rejected > 50, `the churn should reach a full cloud (rejected ${rejected})`);
    });
  }
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
