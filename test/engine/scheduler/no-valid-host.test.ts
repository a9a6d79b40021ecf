// Why the scheduler found no host: every host's own reasons as attempts when asked to
// explain, and the causes, each with the host short by the least, kept per flavor and
// recomputed only for hosts whose usage changed; a move's over the same hosts less its source.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { CauseName, MoveRequest, RejectionCause, Request } from '../../../src/engine/core/model.ts';
import { CloudState } from '../../../src/engine/core/cloud-state.ts';
import type { ComputeNode } from '../../../src/engine/core/compute-node.ts';
import type { RequestSpec } from '../../../src/engine/core/request-spec.ts';
import { mayStayOnSource } from '../../../src/engine/moves/api-checks.ts';
import { computeFilterRefusal } from '../../../src/engine/scheduler/filters/compute.ts';
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

/**
 * The causes over `tried` worked out from nothing: every host's misses now, counted per
 * cause in the order of the models' first hosts, each cause's closest the host short by the
 * least, first listed on a tie (docs/output.md, "causes").
 */
function causesFromScratch(state: CloudState, tried: readonly ComputeNode[], spec: RequestSpec): RejectionCause[] {
  const order: CauseName[] = [];
  for (const model of new Set(tried.map((node) => state.modelOf(node)))) for (const cause of model.causeOrder(spec)) if (!order.includes(cause)) order.push(cause);
  order.push('down');
  const misses = tried.map((node) => (node.serviceDown ? [{ cause: 'down', short: null, unit: null }] : state.modelOf(node).misses(node, spec)));
  return order.flatMap((cause) => {
    const hosts = misses.flat().filter((miss) => miss.cause === cause).length;
    if (hosts === 0) return [];
    let closest: RejectionCause['closest'] = null;
    tried.forEach((node, position) => {
      const miss = misses[position].find((own) => own.cause === cause);
      if (miss?.short != null && (closest === null || miss.short < closest.short)) closest = { host: node.name, short: miss.short, unit: miss.unit! };
    });
    return [{ cause, hosts, closest }];
  });
}

const MOVES = ['migrate', 'live_migrate', 'resize', 'evacuate'] as const;

const randomCloud = fc.record({
  hosts: fc.array(fc.record({ memory: fc.integer({ min: 4, max: 12 }), vcpus: fc.integer({ min: 2, max: 8 }), placement: fc.boolean() }), { minLength: 1, maxLength: 6 }),
  allowResizeToSameHost: fc.boolean(),
  autoConfirm: fc.boolean(),
  explain: fc.boolean(),
  steps: fc.array(
    fc.oneof(
      { weight: 6, arbitrary: fc.record({ kind: fc.constant('build' as const), flavor: fc.nat(), named: fc.option(fc.nat(), { freq: 4 }), grouped: fc.boolean() }) },
      { weight: 3, arbitrary: fc.record({ kind: fc.constant('delete' as const), which: fc.nat() }) },
      { weight: 1, arbitrary: fc.record({ kind: fc.constant('host' as const), which: fc.nat() }) },
      { weight: 4, arbitrary: fc.record({ kind: fc.constant('move' as const), op: fc.constantFrom(...MOVES), which: fc.nat(), flavor: fc.nat(), target: fc.option(fc.nat(), { freq: 3 }) }) },
      { weight: 1, arbitrary: fc.record({ kind: fc.constant('end' as const), op: fc.constantFrom('confirm' as const, 'revert' as const), which: fc.nat() }) },
    ),
    { minLength: 20, maxLength: 120, size: 'max' },
  ),
});

type Step = (typeof randomCloud extends fc.Arbitrary<infer Drawn> ? Drawn : never)['steps'][number];

test('gives the causes worked out from nothing at every refusal of a build or move, and a move\'s attempts, over random claims, deletes, moves and hosts going down', () => {
  let movesRefused = 0;
  fc.assert(
    fc.property(randomCloud, ({ hosts, allowResizeToSameHost, autoConfirm, explain, steps }) => {
      const flavors = [flavor('s', { memory_mb: 1024, vcpus: 1, root_gb: 10 }), flavor('m', { memory_mb: 3072, vcpus: 2, root_gb: 40 }), flavor('l', { memory_mb: 9000, vcpus: 6, root_gb: 100 })];
      const specs = hosts.map((figures, index) =>
        host(`cmp-${index}`, { memory_mb: figures.memory * 1024, vcpus: figures.vcpus, local_gb: 300, settings: figures.placement ? { capacity_model: 'placement' } : {} }),
      );
      const plan = cloud(specs, flavors, {
        ram_allocation_ratio: 1.0,
        cpu_allocation_ratio: 2.0,
        enabled_filters: ['ComputeFilter', 'RamFilter', 'DiskFilter', 'CoreFilter'],
        allow_resize_to_same_host: allowResizeToSameHost,
        auto_confirm_moves: autoConfirm,
      });
      plan.server_groups = [{ name: 'spread', policy: 'soft-anti-affinity', max_server_per_host: 1 }];
      const state = CloudState.start(plan);
      const nodes = specs.map(({ name }) => state.nodeNamed(name));
      const live: string[] = [];
      const down = new Set<string>();
      /** The request a step makes of the hosts and instances as they are; null when it has no instance to name. */
      const requestOf = (step: Step, seq: number): Request | null => {
        const instance = (which: number) => live[which % live.length];
        switch (step.kind) {
          case 'build':
            live.push(`vm-${seq}`);
            return build(`vm-${seq}`, flavors[step.flavor % flavors.length].name, { host: step.named === null ? null : specs[step.named % specs.length].name, ...(step.grouped ? { group: 'spread' } : {}) });
          case 'delete':
            return live.length === 0 ? null : remove(live.splice(step.which % live.length, 1)[0]);
          case 'host': {
            const name = specs[step.which % specs.length].name;
            const op = down.has(name) ? 'up' : 'down';
            if (op === 'up') down.delete(name);
            else down.add(name);
            return { op, host: name };
          }
          case 'end':
            return live.length === 0 ? null : { op: step.op, instance: instance(step.which), expect: null };
          case 'move': {
            if (live.length === 0) return null;
            const target = step.target === null ? null : specs[step.target % specs.length].name;
            return { op: step.op, instance: instance(step.which), flavor: step.op === 'resize' ? flavors[step.flavor % flavors.length].name : null, host: target, expect: null };
          }
        }
      };
      steps.forEach((step, seq) => {
        const request = requestOf(step, seq);
        if (request === null) return;
        const decision = state.decide(request, seq, { audit: false, explain });
        if (request.op === 'build' && decision.result !== 'claimed') live.pop();
        if (decision.causes === null || decision.flavor === null) return;
        const spec = state.requestSpec(decision.flavor, false);
        if (request.op === 'build') {
          assert.deepEqual(decision.causes, causesFromScratch(state, nodes, spec));
          return;
        }
        if (!(MOVES as readonly string[]).includes(request.op)) return;
        const move = request as MoveRequest;
        movesRefused++;
        const source = state.nodeNamed(decision.from!);
        const candidates = move.host === null ? nodes : [state.nodeNamed(move.host)];
        const ignored = move.op === 'evacuate' || mayStayOnSource(move.op, allowResizeToSameHost) ? null : source;
        const tried = candidates.filter((node) => node !== ignored);
        const expected = causesFromScratch(state, tried, spec);
        if (tried.length < candidates.length) expected.push({ cause: 'source', hosts: 1, closest: null });
        assert.deepEqual(decision.causes, expected, `${move.op} of ${move.instance} from ${source.name}`);
        const attempts = tried.map((node) => ({ host: node.name, reasons: node.serviceDown ? [computeFilterRefusal(node)!] : state.modelOf(node).testForScheduler(node, spec, false).reasons }));
        assert.deepEqual(decision.attempts, explain ? attempts : null);
      });
    }),
    { numRuns: Number(process.env.NO_VALID_HOST_RUNS ?? 300), seed: Number(process.env.NO_VALID_HOST_SEED ?? 20261207) },
  );
  assert.ok(movesRefused > 0, 'some moves found no host');
});
