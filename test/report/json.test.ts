import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decisionToJson, hostUsageToJson, renderReplay } from '../../src/report/index.ts';
import { rendered, replayOutputOf, SAMPLE_DECISIONS, SAMPLE_HOSTS, SAMPLE_SUMMARY } from '../fixtures/report/sample-replay.ts';

const BASE_KEYS = ['seq', 'op', 'instance', 'flavor', 'host', 'result', 'reasons', 'message', 'requested', 'expect', 'expectation_met'];

test('orders decision fields as SPEC §3 lists them, whatever order the object was built in', () => {
  const [claim] = SAMPLE_DECISIONS;
  const shuffled = Object.fromEntries(Object.entries(claim).reverse()) as typeof claim;
  assert.deepEqual(Object.keys(decisionToJson(shuffled)), BASE_KEYS);
  assert.deepEqual(Object.keys((decisionToJson(shuffled) as { requested: object }).requested), ['memory_mb', 'disk_gb', 'vcpus']);
});

test('adds attempts only when the scheduler chose, and numa and pci only when set', () => {
  const keys = SAMPLE_DECISIONS.map((d) => Object.keys(decisionToJson(d)));
  assert.deepEqual(keys[0], BASE_KEYS);
  assert.deepEqual(keys[2], [...BASE_KEYS, 'attempts']);
  assert.deepEqual(keys[4], [...BASE_KEYS, 'attempts', 'numa', 'pci']);
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

test('prints one document of decisions, hosts and summary, indented by two spaces with a final newline', () => {
  const text = rendered((write) => renderReplay(replayOutputOf(), 'json', write, { color: false }));
  const expected = {
    decisions: SAMPLE_DECISIONS.map(decisionToJson),
    hosts: SAMPLE_HOSTS.map(hostUsageToJson),
    summary: SAMPLE_SUMMARY,
  };
  assert.equal(text, `${JSON.stringify(expected, null, 2)}\n`);
});
