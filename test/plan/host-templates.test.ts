// What `expand --add NAME` buys: a host template, a host group continuing its numbering, or
// a plan host copied; and the located checks a template gets as any host does.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { skuNamed } from '../../src/plan/host-templates.ts';
import { errorsOf, planOf } from './helpers.ts';

const PLAN = `version: 1
hosts:
  - {name: "gen-{n:02}", count: 2, vcpus: 8, memory_mb: 16384, local_gb: 100}
  - {name: big, vcpus: 64, memory_mb: 262144, local_gb: 2000}
host_templates:
  - {name: "r640-{n}", vcpus: 32, memory_mb: 131072, local_gb: 1000, cost: 12000}
  - {name: plain, vcpus: 16, memory_mb: 65536, local_gb: 500}
flavors:
  - {name: m1, vcpus: 1, memory_mb: 1024, root_gb: 10}
`;

function added(name: string, count = 2) {
  const plan = planOf(PLAN);
  const sku = skuNamed(name, plan.cloud.hosts, plan.hostTemplates);
  assert.ok(sku.ok, name);
  return { sku: sku.value, names: Array.from({ length: count }, (_, index) => sku.value.hostName(index + 1)) };
}

test('a template with {n} numbers its hosts itself and says its cost; one without names them NAME-new-N', () => {
  const numbered = added('r640-{n}');
  assert.deepEqual(numbered.names, ['r640-1', 'r640-2']);
  assert.deepEqual([numbered.sku.cost, numbered.sku.prototype.memory_mb], [12000, 131072]);
  assert.deepEqual(added('plain').names, ['plain-new-1', 'plain-new-2']);
  assert.equal(added('plain').sku.cost, null);
});

test('a host group\'s added hosts continue its numbering; a plan host\'s copies are HOST-new-N', () => {
  assert.deepEqual(added('gen-{n:02}').names, ['gen-03', 'gen-04']);
  assert.deepEqual(added('big', 1).names, ['big-new-1']);
});

test('names nothing the plan lacks, suggesting the closest', () => {
  const plan = planOf(PLAN);
  assert.deepEqual(skuNamed('bgi', plan.cloud.hosts, plan.hostTemplates), {
    ok: false,
    error: '--add bgi: the plan has no host template, host group or host named bgi; did you mean `big`?',
  });
});

test('a template is checked as a host is, its problems located in it', () => {
  const withBadTemplate = PLAN.replace('  - {name: plain,', '  - {name: cells, vcpus: 8, memory_mb: 8192, local_gb: 100, numa: [{id: 0, cpus: "0-3", memory_mb: 4096}, {id: 0, cpus: "4-7", memory_mb: 4096}]}\n  - {name: plain,');
  assert.deepEqual(errorsOf(withBadTemplate), ['plan.yaml:7:112  host_templates[1].numa[1].id  cell id 0 is already used by numa[0]']);
});
