import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { Decision } from '../../src/engine/core/model.ts';
import { decisionJsonText, decisionToJson, hostUsageToJson, summaryToJson } from '../../src/report/json-fields.ts';
import { SAMPLE_DECISIONS, SAMPLE_HOSTS, SAMPLE_SUMMARY } from '../fixtures/report/sample-replay.ts';

const BASE_KEYS = ['seq', 'op', 'instance', 'flavor', 'host', 'result', 'reasons', 'message', 'requested', 'expect', 'expectation_met', 'causes', 'attempts', 'weighed'];

test('orders decision fields as docs/output.md lists them, whatever order the object was built in', () => {
  const [claim] = SAMPLE_DECISIONS;
  const shuffled = Object.fromEntries(Object.entries(claim).reverse()) as typeof claim;
  assert.deepEqual(Object.keys(decisionToJson(shuffled)), BASE_KEYS);
  assert.deepEqual(Object.keys((decisionToJson(shuffled) as { requested: object }).requested), ['memory_mb', 'disk_gb', 'vcpus']);
});

test('gives every decision causes, attempts and weighed, null when it has none, and numa and pci only when set', () => {
  const json = SAMPLE_DECISIONS.map((d) => decisionToJson(d) as Record<string, unknown>);
  assert.deepEqual(Object.keys(json[0]), BASE_KEYS);
  assert.equal(json[0].causes, null);
  assert.equal(json[0].attempts, null);
  assert.equal(json[0].weighed, null);
  assert.deepEqual(json[4].weighed, [{ host: 'gpu-1', weight: 0, weights: {} }]);
  assert.deepEqual(Object.keys(json[4]), [...BASE_KEYS, 'numa', 'pci']);
});

test('lists a NoValidHost\'s causes right before its attempts, each as {cause, hosts, closest}', () => {
  const noValidHost = decisionToJson(SAMPLE_DECISIONS[2]) as { causes: object[]; attempts: object[] };
  assert.deepEqual(noValidHost.causes, [
    { cause: 'memory', hosts: 1, closest: { host: 'cmp-1', short: 5120, unit: 'MB' } },
    { cause: 'disk', hosts: 1, closest: { host: 'cmp-1', short: 60, unit: 'GB' } },
    { cause: 'numa', hosts: 1, closest: null },
  ]);
  assert.equal(noValidHost.attempts.length, 2);
  const withoutExplain = decisionToJson(SAMPLE_DECISIONS[5]) as { causes: object[]; attempts: null };
  assert.equal(withoutExplain.causes.length, 2);
  assert.equal(withoutExplain.attempts, null);
});

test('orders a cause\'s fields the same whatever order the engine built them in', () => {
  const cause = { closest: { unit: 'MB', short: 1, host: 'a' }, hosts: 3, cause: 'memory' } as const;
  const [json] = (decisionToJson({ ...SAMPLE_DECISIONS[2], causes: [cause] }) as { causes: object[] }).causes;
  assert.equal(JSON.stringify(json), '{"cause":"memory","hosts":3,"closest":{"host":"a","short":1,"unit":"MB"}}');
});

test('never includes the audit lines in a decision', () => {
  assert.ok(SAMPLE_DECISIONS[0].audit);
  assert.equal('audit' in decisionToJson(SAMPLE_DECISIONS[0]), false);
});

test('includes a host\'s limits always, and NUMA cells and PCI pools only when it has them', () => {
  assert.deepEqual(Object.keys(hostUsageToJson(SAMPLE_HOSTS[0])), [
    'host',
    'memory_mb',
    'memory_mb_used',
    'free_ram_mb',
    'local_gb',
    'local_gb_used',
    'free_disk_gb',
    'vcpus',
    'vcpus_used',
    'running_vms',
    'limits',
  ]);
  assert.deepEqual(Object.keys(hostUsageToJson(SAMPLE_HOSTS[1])).slice(-3), ['limits', 'numa_cells', 'pci_pools']);
});

test('orders the summary\'s counts as docs/output.md lists them', () => {
  assert.deepEqual(Object.keys(summaryToJson(SAMPLE_SUMMARY)), ['requests', 'builds', 'deletes', 'moves', 'claimed', 'rejected', 'released', 'expectations', 'expectations_failed']);
});

test('writes each decision as ndjson text identical to stringifying its JSON object', () => {
  const decisions = [...SAMPLE_DECISIONS, { ...SAMPLE_DECISIONS[0], requested: { memory_mb: -0, disk_gb: 1e21, vcpus: 0.5 }, instance: 'quote " and \\ and \u2028' }];
  for (const decision of decisions) assert.equal(decisionJsonText(decision), JSON.stringify(decisionToJson(decision)));
});

test('writes random decisions as ndjson text identical to stringifying their JSON objects', () => {
  // Any UTF-16 unit, lone surrogates and control characters included, which JSON.stringify escapes.
  const anyText = fc.oneof(fc.string(), fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((code) => String.fromCharCode(code)) }));
  const maybe = <T>(arbitrary: fc.Arbitrary<T>) => fc.option(arbitrary, { nil: null });
  const amount = fc.oneof(fc.integer(), fc.double());
  const decision = fc.record({
    seq: fc.oneof(fc.nat(), fc.double()),
    op: fc.constantFrom('build', 'delete', 'resize', 'migrate', 'live_migrate', 'evacuate', 'confirm', 'revert', 'down', 'up'),
    instance: maybe(anyText),
    flavor: maybe(anyText),
    host: maybe(anyText),
    result: fc.constantFrom('claimed', 'rejected', 'released', 'down', 'up'),
    reasons: fc.array(anyText, { maxLength: 3 }),
    message: maybe(anyText),
    requested: maybe(fc.record({ memory_mb: amount, disk_gb: amount, vcpus: amount })),
    expect: maybe(fc.constantFrom('claimed', 'rejected')),
    expectation_met: maybe(fc.boolean()),
  });
  fc.assert(
    fc.property(decision, fc.nat(SAMPLE_DECISIONS.length - 1), fc.option(maybe(anyText), { nil: undefined }), (fields, sample, from) => {
      const d = { ...SAMPLE_DECISIONS[sample], ...fields, ...(from !== undefined ? { from } : {}) } as Decision;
      assert.equal(decisionJsonText(d), JSON.stringify(decisionToJson(d)));
    }),
    { numRuns: 5000, seed: 20261207 },
  );
});
