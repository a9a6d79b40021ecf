// The count bounds: the upper one always meets the target, one below the lower one never does.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { countBounds } from '../../../../src/engine/scenarios/expand/bounds.ts';
import { replayWithAdded } from '../../../../src/engine/scenarios/expand/replay-at-count.ts';
import { SkuProbe } from '../../../../src/engine/scenarios/expand/sku.ts';
import type { CapacityModelName, Request } from '../../../../src/engine/core/model.ts';
import { loadPlan } from '../../../../src/plan/load.ts';
import { skuNamed } from '../../../../src/plan/host-templates.ts';
import { build, cloud, flavor, host } from '../../builders.ts';
import { searchToEnd, sku } from './plans.ts';

test('NUMA and PCI flavors on a GPU host from examples/numa-gpu.yaml: the upper bound meets, and one fewer than the answer does not', async () => {
  const loaded = loadPlan(['examples/numa-gpu.yaml']);
  assert.ok(loaded.ok);
  const plan = loaded.value;
  const gpu = skuNamed('gpu-{n:02}', plan.cloud.hosts, plan.hostTemplates);
  assert.ok(gpu.ok);
  const requests = [...plan.requests()];
  const found = await searchToEnd(plan.cloud, requests, [gpu.value]);
  assert.ok(found.count !== null && found.count > 0);
  assert.equal(replayWithAdded(plan.cloud, requests, found.probe, [found.bounds.upper], 'last', null).meets, true);
  assert.equal(found.at.meets, true);
  assert.equal(found.fewer!.meets, false);
});

// The bounds are what makes the search trustworthy: the upper bound must always meet the
// target, and one below the lower bound must never, whatever the plan.
const randomPlan = fc.record({
  model: fc.constantFrom<CapacityModelName>('legacy', 'placement'),
  hosts: fc.array(fc.record({ memory: fc.integer({ min: 4, max: 32 }), vcpus: fc.integer({ min: 2, max: 16 }), zoned: fc.boolean(), running: fc.integer({ min: 0, max: 2 }) }), { minLength: 1, maxLength: 4 }),
  sku: fc.record({ memory: fc.integer({ min: 8, max: 48 }), vcpus: fc.integer({ min: 4, max: 24 }), zoned: fc.boolean(), overhead: fc.integer({ min: 0, max: 512 }) }),
  steps: fc.array(
    fc.record({
      flavor: fc.integer({ min: 0, max: 2 }),
      zoned: fc.boolean(),
      grouped: fc.boolean(),
      deleteEarlier: fc.option(fc.nat(), { nil: undefined }),
      move: fc.option(fc.record({ which: fc.nat(), op: fc.constantFrom('resize', 'migrate', 'live_migrate', 'confirm', 'revert'), flavor: fc.integer({ min: 0, max: 2 }) }), { nil: undefined }),
    }),
    { minLength: 1, maxLength: 30 },
  ),
  failover: fc.constantFrom(null, 1),
});

test('on random plans the upper bound always meets the target, one below the lower bound never does, and the answer checks out', async () => {
  await fc.assert(
    fc.asyncProperty(randomPlan, async ({ model, hosts, sku: template, steps, failover }) => {
      const flavors = [flavor('s', { memory_mb: 2048, vcpus: 1, root_gb: 10 }), flavor('m', { memory_mb: 6144, vcpus: 4, root_gb: 20 }), flavor('l', { memory_mb: 12288, vcpus: 8, root_gb: 40 })];
      const plan = cloud(
        hosts.map((figures, index) =>
          host(`cmp-${index + 1}`, {
            memory_mb: figures.memory * 1024,
            vcpus: figures.vcpus,
            aggregates: figures.zoned ? ['az1'] : [],
            instances: Array.from({ length: figures.running }, (_, n) => ({ name: `old-${index}-${n}`, flavor: 's' })),
          }),
        ),
        flavors,
        { capacity_model: model, reserved_host_memory_mb: 512, ram_allocation_ratio: 1.0, cpu_allocation_ratio: 2.0, enabled_filters: ['RamFilter', 'DiskFilter', 'CoreFilter'] },
      );
      plan.server_groups = [{ name: 'ha', policy: 'anti-affinity', max_server_per_host: 2 }];
      const requests: Request[] = [];
      const live: string[] = plan.hosts.flatMap((spec) => spec.instances.map((instance) => instance.name));
      steps.forEach((step, index) => {
        if (step.deleteEarlier !== undefined && live.length > 0) {
          const [instance] = live.splice(step.deleteEarlier % live.length, 1);
          requests.push({ op: 'delete', instance });
        }
        if (step.move !== undefined && live.length > 0) {
          const moved = live[step.move.which % live.length];
          const { op } = step.move;
          if (op === 'confirm' || op === 'revert') requests.push({ op, instance: moved, expect: null });
          else requests.push({ op, instance: moved, flavor: op === 'resize' ? flavors[step.move.flavor].name : null, host: null, expect: null });
        }
        const instance = `vm-${index}`;
        live.push(instance);
        requests.push(build(instance, flavors[step.flavor].name, { aggregate: step.zoned ? 'az1' : null, ...(step.grouped ? { group: 'ha' } : {}) }));
      });
      const added = sku(host('template', { memory_mb: template.memory * 1024, vcpus: template.vcpus, aggregates: template.zoned ? ['az1'] : [], overhead: { memory_mb: template.overhead, disk_gb: 0 } }));
      const probe = new SkuProbe(plan, [added]);
      const [bounds] = countBounds(plan, requests, probe, failover);
      assert.ok(bounds.lower <= bounds.upper);
      assert.equal(replayWithAdded(plan, requests, probe, [bounds.upper], 'last', failover).meets, true, `upper bound ${bounds.upper} falls short`);
      if (bounds.lower > 0) assert.equal(replayWithAdded(plan, requests, probe, [bounds.lower - 1], 'last', null).meets, false, `lower bound ${bounds.lower} is too high`);
      const found = await searchToEnd(plan, requests, [added], failover);
      assert.ok(found.count !== null);
      assert.equal(replayWithAdded(plan, requests, probe, [found.count], 'last', failover).meets, true);
      if (found.count > 0) assert.equal(replayWithAdded(plan, requests, probe, [found.count - 1], 'last', failover).meets, false);
    }),
    { numRuns: Number(process.env.EXPAND_RUNS ?? 150), seed: Number(process.env.EXPAND_SEED ?? 20240601) },
  );
});
