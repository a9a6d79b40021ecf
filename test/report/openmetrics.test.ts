import { test } from 'node:test';
import assert from 'node:assert/strict';
import { unbounded, writeOpenMetrics, type MetricFamily } from '../../src/report/openmetrics.ts';
import { rendered } from '../fixtures/report/sample-replay.ts';
import { PROMTOOL_MISSING, promtoolCheck } from './promtool.ts';

function write(families: MetricFamily[]): string {
  return rendered((out) => writeOpenMetrics(families, out));
}

const MEMORY: MetricFamily = {
  name: 'claimplan_host_memory_bytes',
  help: 'Memory of the host',
  unit: 'bytes',
  samples: [
    { labels: { host: 'cmp-1' }, value: 1073741824 },
    { labels: { host: 'a "quoted" \\ name\nover two lines' }, value: 0.5 },
  ],
};

test('writes HELP, TYPE and UNIT before a family\'s samples, and # EOF last', () => {
  assert.equal(
    write([MEMORY]),
    '# HELP claimplan_host_memory_bytes Memory of the host\n' +
      '# TYPE claimplan_host_memory_bytes gauge\n' +
      '# UNIT claimplan_host_memory_bytes bytes\n' +
      'claimplan_host_memory_bytes{host="cmp-1"} 1073741824\n' +
      'claimplan_host_memory_bytes{host="a \\"quoted\\" \\\\ name\\nover two lines"} 0.5\n' +
      '# EOF\n',
  );
});

test('writes a sample without labels bare, +Inf for no bound, and leaves out a family with no samples', () => {
  const text = write([
    { name: 'claimplan_flavor_fit', help: 'fit\nwith a \\', samples: [{ labels: {}, value: unbounded(null) }] },
    { name: 'claimplan_pci_devices', help: 'none here', samples: [] },
  ]);
  assert.equal(text, '# HELP claimplan_flavor_fit fit\\nwith a \\\\\n# TYPE claimplan_flavor_fit gauge\nclaimplan_flavor_fit +Inf\n# EOF\n');
  assert.equal(unbounded(3), 3);
});

test('writes exposition that promtool finds nothing to say about', { skip: PROMTOOL_MISSING }, () => {
  assert.deepEqual(promtoolCheck(write([MEMORY])), { status: 0, output: '' });
});

test('writes a family promtool would fault, so the lint above is not vacuous', { skip: PROMTOOL_MISSING }, () => {
  const faulted = promtoolCheck(write([{ name: 'claimplan_host_memory_mb', help: 'in MB', samples: [{ labels: {}, value: 1 }] }]));
  assert.match(faulted.output, /abbreviated units/);
});
