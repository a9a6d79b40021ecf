import { test } from 'node:test';
import assert from 'node:assert/strict';
import { familiesOver, hostMetrics, summaryMetrics } from '../../src/report/metrics.ts';
import type { MetricFamily } from '../../src/report/openmetrics.ts';
import { SAMPLE_HOSTS, SAMPLE_SUMMARY } from '../fixtures/report/sample-replay.ts';

function family(families: MetricFamily[], name: string): MetricFamily {
  const found = families.find((f) => f.name === name);
  assert.ok(found, `no family ${name}`);
  return found;
}

test('makes a family per figure and a sample per row that has it', () => {
  const families = familiesOver([1, 2, 3], (n) => ({ n: String(n) }), [
    { name: 'claimplan_odd', help: 'odd ones', value: (n) => (n % 2 === 1 ? n : undefined) },
  ]);
  assert.deepEqual(families, [
    { name: 'claimplan_odd', help: 'odd ones', samples: [{ labels: { n: '1' }, value: 1 }, { labels: { n: '3' }, value: 3 }] },
  ]);
});

test('gives the hosts\' memory and disk in bytes, with a unit, and +Inf for a limit that does not apply', () => {
  const families = hostMetrics(SAMPLE_HOSTS);
  assert.deepEqual(family(families, 'claimplan_host_memory_bytes').samples[0], { labels: { host: 'cmp-1' }, value: 32768 * 1024 ** 2 });
  assert.equal(family(families, 'claimplan_host_memory_bytes').unit, 'bytes');
  assert.deepEqual(family(families, 'claimplan_host_disk_used_bytes').samples[0].value, 80 * 1024 ** 3);
  assert.equal(family(families, 'claimplan_host_vcpu_limit').samples[0].value, Infinity);
  assert.ok(families.every((f) => !/_(mb|gb)(_|$)/.test(f.name)), 'base units only');
});

test('gives NUMA cells and their pages, and PCI pools, only for the hosts that have them', () => {
  const families = hostMetrics(SAMPLE_HOSTS);
  assert.deepEqual(
    family(families, 'claimplan_numa_cell_pinned_cpus').samples.map((s) => [s.labels, s.value]),
    [
      [{ host: 'gpu-1', cell: '0' }, 0],
      [{ host: 'gpu-1', cell: '1' }, 2],
    ],
  );
  assert.deepEqual(family(families, 'claimplan_numa_cell_pages_reserved').samples.at(-1), {
    labels: { host: 'gpu-1', cell: '1', page_size_bytes: '2097152' },
    value: 512,
  });
  assert.deepEqual(family(families, 'claimplan_pci_devices').samples, [
    { labels: { host: 'gpu-1', vendor_id: '10de', product_id: '20b5', dev_type: 'type-PCI', numa_node: '1' }, value: 4 },
  ]);
  assert.ok(hostMetrics([SAMPLE_HOSTS[0]]).filter((f) => f.name.startsWith('claimplan_numa')).every((f) => f.samples.length === 0));
});

test('counts decisions by result, adding up to the requests, with each replay\'s labels', () => {
  const families = summaryMetrics([{ labels: { side: 'after' }, summary: SAMPLE_SUMMARY }]);
  const decisions = family(families, 'claimplan_decisions').samples;
  assert.deepEqual(decisions.map((s) => s.labels), [
    { side: 'after', result: 'claimed' },
    { side: 'after', result: 'rejected' },
    { side: 'after', result: 'released' },
  ]);
  assert.equal(decisions.reduce((sum, s) => sum + s.value, 0), SAMPLE_SUMMARY.requests);
  assert.equal(family(families, 'claimplan_expectations_failed').samples[0].value, SAMPLE_SUMMARY.expectations_failed);
});
