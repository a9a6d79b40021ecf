import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CloudState } from '../../../../src/engine/core/cloud-state.ts';
import { NO_ALLOCATION_CANDIDATES, NO_VALID_HOST } from '../../../../src/engine/scheduler/filter-scheduler.ts';
import { fitFlavor } from '../../../../src/engine/scenarios/fit.ts';
import type { CloudSettings, Flavor, HostSpec, Request } from '../../../../src/engine/core/model.ts';
import { replay } from '../../../../src/engine/core/replay.ts';
import { build, cloud, flavor, host, ramOnly } from '../../builders.ts';

const PLACEMENT: Partial<CloudSettings> = { capacity_model: 'placement', reserved_host_memory_mb: 0 };


function decide(hosts: HostSpec[], flavors: Flavor[], requests: Request[], settings: Partial<CloudSettings> = {}, explain = false) {
  const state = CloudState.start(cloud(hosts, flavors, { ...PLACEMENT, ...settings }));
  return { state, decisions: [...replay(state, requests, { audit: false, explain })] };
}

test('refuses a build on a named host with Placement\'s words, naming the host, where the legacy claim takes it', () => {
  const hosts = [host('cmp-01', { vcpus: 24 })];
  const flavors = [flavor('c1.8xlarge', { vcpus: 32 })];
  const legacy = decide(hosts, flavors, [build('r1', 'c1.8xlarge', { host: 'cmp-01' })], { capacity_model: 'legacy' });
  assert.equal(legacy.decisions[0].result, 'claimed');
  const [decision] = decide(hosts, flavors, [build('r1', 'c1.8xlarge', { host: 'cmp-01' })]).decisions;
  const refusal =
    "Unable to allocate inventory: Unable to create allocation for 'VCPU' on resource provider 'cmp-01'. The requested amount would violate inventory constraints.";
  assert.deepEqual([decision.result, decision.host, decision.reasons, decision.message], ['rejected', 'cmp-01', [refusal], refusal]);
  assert.deepEqual(decision.resources, { VCPU: 32, MEMORY_MB: 4096, DISK_GB: 40 });
});

test('finds no allocation candidate with Nova\'s empty reason, and says which class ruled the hosts out', () => {
  const hosts = [host('a', { memory_mb: 8192 }), host('b', { memory_mb: 16384 })];
  const { decisions } = decide(hosts, [flavor('big', { memory_mb: 20000 })], [build('x', 'big')], { ram_allocation_ratio: 1 });
  assert.deepEqual(decisions[0].reasons, [NO_ALLOCATION_CANDIDATES]);
  assert.equal(decisions[0].message, 'No valid host was found. ');
  assert.deepEqual(decisions[0].causes, [{ cause: 'MEMORY_MB', hosts: 2, closest: { host: 'b', short: 3616, unit: 'MB' } }]);
});

test('names the bound a request breaks, max_unit, min_unit or step_size, apart from a shortage of the class', () => {
  const vcpu = (bounds: Record<string, number>) => ({ VCPU: { total: 32, reserved: 0, min_unit: 1, max_unit: 32, step_size: 1, allocation_ratio: 4, ...bounds } });
  const hosts = [
    host('gpu-01', { vcpus: 32, inventories: vcpu({}) }),
    host('gpu-02', { vcpus: 32, inventories: vcpu({ max_unit: 30 }) }),
    host('cmp-03', { vcpus: 32, inventories: vcpu({ max_unit: 64, step_size: 4 }) }),
    host('cmp-04', { vcpus: 32, inventories: vcpu({ max_unit: 64, min_unit: 64 }) }),
    host('cmp-05', { vcpus: 8, inventories: { VCPU: { total: 8, reserved: 0, min_unit: 1, max_unit: 64, step_size: 1, allocation_ratio: 1 } } }),
  ];
  const { decisions } = decide(hosts, [flavor('c.42', { vcpus: 42 })], [build('x', 'c.42')]);
  assert.deepEqual(decisions[0].causes, [
    { cause: 'VCPU', hosts: 1, closest: { host: 'cmp-05', short: 34, unit: 'VCPU' } },
    { cause: 'VCPU max_unit', hosts: 2, closest: { host: 'gpu-01', short: 10, unit: 'VCPU' } },
    { cause: 'VCPU min_unit', hosts: 1, closest: null },
    { cause: 'VCPU step_size', hosts: 1, closest: null },
  ]);
});

test('counts missing and forbidden traits under the trait, and hosts outside the aggregate under aggregate', () => {
  const hosts = [host('a', { traits: ['CUSTOM_GOLD'], aggregates: ['az1'] }), host('b', { aggregates: ['az1'] }), host('c')];
  const flavors = [flavor('gold', { extra_specs: { 'trait:CUSTOM_GOLD': 'forbidden', 'trait:CUSTOM_SSD': 'required' } })];
  const { decisions } = decide(hosts, flavors, [build('x', 'gold', { aggregate: 'az1' })]);
  assert.deepEqual(decisions[0].causes, [
    { cause: 'trait:CUSTOM_SSD', hosts: 2, closest: null },
    { cause: 'trait:CUSTOM_GOLD', hosts: 1, closest: null },
    { cause: 'aggregate', hosts: 1, closest: null },
  ]);
});

test('says there are not enough hosts when candidates exist but the NUMA filter refuses them all', () => {
  const numa = [{ id: 0, cpus: [0, 1], pcpus: [], memory_mb: 4096, siblings: [], mempages: [] }];
  const flavors = [flavor('numa', { vcpus: 2, memory_mb: 8192, extra_specs: { 'hw:numa_nodes': '1' } })];
  const { decisions } = decide([host('a', { vcpus: 2, numa })], flavors, [build('x', 'numa')], { enabled_filters: ['NUMATopologyFilter'], cpu_allocation_ratio: 1 });
  assert.deepEqual(decisions[0].reasons, [NO_VALID_HOST]);
  assert.deepEqual(decisions[0].causes, [{ cause: 'numa', hosts: 1, closest: null }]);
});

test('places a pinned flavor on a host without PCPU through the VCPU fallback, and allocates VCPU there', () => {
  const flavors = [flavor('pinned', { vcpus: 2, extra_specs: { 'hw:cpu_policy': 'dedicated' } })];
  const { decisions, state } = decide([host('plain')], flavors, [build('x', 'pinned')]);
  assert.equal(decisions[0].result, 'claimed');
  assert.deepEqual(decisions[0].resources, { VCPU: 2, MEMORY_MB: 4096, DISK_GB: 40 });
  assert.equal(state.hostUsages()[0].usages!.VCPU, 2);
});

test('weighs by the compute node\'s free RAM, reserved counted, ties to the host listed first', () => {
  const hosts = [host('a', { memory_mb: 8192 }), host('b', { memory_mb: 8192 }), host('c', { memory_mb: 9000, settings: { reserved_host_memory_mb: 1000 } })];
  const { decisions } = decide(hosts, [flavor('m1', { memory_mb: 1024 })], [build('1', 'm1'), build('2', 'm1')]);
  assert.deepEqual(decisions.map((d) => d.host), ['a', 'b']);
  const packed = decide(hosts, [flavor('m1', { memory_mb: 1024 })], [build('1', 'm1'), build('2', 'm1')], ramOnly('pack'));
  // c has 9000 − 1000 = 8000 MB free: the least, so packing fills it first.
  assert.deepEqual(packed.decisions.map((d) => d.host), ['c', 'c']);
});

test('gives the allocation back on delete, and asks DISK_GB only for what the host stores', () => {
  const flavors = [flavor('vol', { root_gb: 500, ephemeral_gb: 10 })];
  const { decisions, state } = decide([host('a', { local_gb: 100 })], flavors, [build('x', 'vol', { boot_from_volume: true }), { op: 'delete', instance: 'x' }]);
  assert.deepEqual(decisions[0].resources, { VCPU: 2, MEMORY_MB: 4096, DISK_GB: 10 });
  assert.deepEqual(decisions[1].resources, { VCPU: 2, MEMORY_MB: 4096, DISK_GB: 10 });
  assert.deepEqual(state.hostUsages()[0].usages, { MEMORY_MB: 0, VCPU: 0, DISK_GB: 0 });
});

test('counts instances already on a host in its allocations, without a test', () => {
  const hosts = [host('a', { memory_mb: 4096, instances: [{ name: 'old', flavor: 'huge' }] })];
  const { state } = decide(hosts, [flavor('huge', { memory_mb: 9000 })], []);
  assert.equal(state.hostUsages()[0].usages!.MEMORY_MB, 9000);
});

test('fits as many more as the allocations allow, and names the class that stops the next', () => {
  const hosts = [host('a', { vcpus: 4, memory_mb: 65536 })];
  const { state } = decide(hosts, [flavor('m1', { vcpus: 3 })], [], { cpu_allocation_ratio: 2 });
  const fit = fitFlavor(state, 'm1', ['a']);
  assert.equal(fit.total, 2);
  assert.deepEqual(fit.hosts[0].bottleneck, [
    "Unable to create allocation for 'VCPU' on resource provider 'a'. The requested amount would exceed the capacity.",
  ]);
});

function lcg(seed: number): () => number {
  let value = seed;
  return () => {
    value = (value * 1103515245 + 12345) % 2147483648;
    return value / 2147483648;
  };
}

test('chooses the host testing every host would choose, over a random churn of builds and deletes', () => {
  const random = lcg(7);
  const hosts = Array.from({ length: 29 }, (_, n) =>
    host(`h${n}`, {
      vcpus: 4 + Math.floor(random() * 3) * 4,
      memory_mb: 8192 * (1 + Math.floor(random() * 3)),
      local_gb: 100 * (1 + Math.floor(random() * 2)),
      aggregates: random() < 0.4 ? ['az1'] : [],
      traits: random() < 0.5 ? ['CUSTOM_SSD'] : [],
      settings: random() < 0.3 ? { ram_allocation_ratio: 1.25 } : {},
    }),
  );
  const flavors = [
    flavor('s', { vcpus: 1, memory_mb: 1024, root_gb: 10 }),
    flavor('l', { vcpus: 4, memory_mb: 6144, root_gb: 60 }),
    flavor('ssd', { vcpus: 2, memory_mb: 2048, root_gb: 20, extra_specs: { 'trait:CUSTOM_SSD': 'required' } }),
  ];
  const state = CloudState.start(cloud(hosts, flavors, { ...PLACEMENT, ...ramOnly('spread'), cpu_allocation_ratio: 1.5 }));
  const live: string[] = [];
  let rejected = 0;
  for (let n = 0; n < 1200; n++) {
    let request: Request;
    if (live.length > 0 && random() < 0.3) request = { op: 'delete', instance: live.splice(Math.floor(random() * live.length), 1)[0] };
    else request = build(`i${n}`, flavors[Math.floor(random() * flavors.length)].name, { aggregate: random() < 0.3 ? 'az1' : null });
    let expected: string | null = null;
    if (request.op === 'build') {
      const spec = state.requestSpec(request.flavor, false);
      let best: { name: string; weight: number } | null = null;
      for (const name of state.hostNames(request.aggregate)) {
        const node = state.nodeNamed(name);
        if (state.modelOf(node).testForScheduler(node, spec, false).reasons.length > 0) continue;
        // The RAMWeigher: free RAM, clamped at its minval 0; the first listed wins a tie.
        const weight = Math.max(node.free_ram_mb, 0);
        if (best === null || weight > best.weight) best = { name, weight };
      }
      expected = best?.name ?? null;
    }
    const [decision] = [...replay(state, [request], { audit: false, explain: false })];
    if (request.op !== 'build') continue;
    assert.equal(decision.result === 'claimed' ? decision.host : null, expected, `request ${n}`);
    if (decision.result === 'claimed') live.push(request.instance);
    else rejected++;
  }
  assert.ok(rejected > 50, `the churn should reach a full cloud (rejected ${rejected})`);
});
