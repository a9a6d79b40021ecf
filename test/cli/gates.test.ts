// Every gate that fails says which and why on one line of standard error, exit 1, even
// when the report goes to a file (docs/output.md, "Exit codes").
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../run-cli.ts';

const EXPECTING = `version: 1
hosts:
  - {name: a, vcpus: 2, memory_mb: 4096, local_gb: 10}
flavors:
  - {name: f, vcpus: 1, memory_mb: 4096, root_gb: 1}
requests:
  - {build: f, name: one, expect: claimed}
  - {build: f, name: two, expect: claimed}
  - {build: f, name: three, expect: rejected}
`;

const folder = mkdtempSync(join(tmpdir(), 'claimplan-gates-'));
after(() => rmSync(folder, { recursive: true }));
const report = () => join(folder, 'report.md');

function assertGateLines(args: string[], lines: string[], input = ''): void {
  const run = runCli([...args, '-o', report()], { input });
  assert.equal(run.status, 1, run.stderr);
  assert.equal(run.stderr, lines.map((line) => `${line}\n`).join(''));
}

test('a failed expect: names each request whose expectation failed, and --fail-on-reject each rejection', () => {
  assertGateLines(['replay', '-', '-f', 'markdown'], ['claimplan: expect: 1 expectation failed: two (seq 2, expected claimed)'], EXPECTING);
  assertGateLines(['replay', '-', '--fail-on-reject'], ['claimplan: expect: 1 expectation failed: two (seq 2, expected claimed)', 'claimplan: --fail-on-reject: 2 requests rejected: two (seq 2), three (seq 3)'], EXPECTING);
  assertGateLines(['replay', 'examples/small-cloud.yaml', '--fail-on-reject'], ['claimplan: --fail-on-reject: 4 requests rejected: db-3 (seq 9), ingest-1 (seq 11), render-1 (seq 12), analytics-1 (seq 14)']);
});

test('--fail-if-worse names the claims lost', () => {
  assertGateLines(['compare', 'examples/small-cloud.yaml', '--set', 'cpu_allocation_ratio=1', '--fail-if-worse'], ['claimplan: --fail-if-worse: 2 claims lost: db-2 (seq 8), edge-app-1 (seq 13)']);
});

test('--fail-if-stranded names each scenario that strands and its instances', () => {
  assertGateLines(['failover', 'examples/small-cloud.yaml', '--each', 'host', '--fail-if-stranded'], [
    'claimplan: --fail-if-stranded: 2 scenarios strand instances: losing edge-01 strands edge-app-1, edge-app-2; losing mem-02 strands db-3-retry',
  ]);
});

test('--fail-if names each condition the answer meets, with the figure', () => {
  assertGateLines(['expand', 'examples/growth.yaml', '--add', 'r640', '--fail-if', 'hosts>1', '--fail-if', 'hosts>100', '--fail-if', 'cost>1', '--fail-if', 'rejected>=3'], [
    'claimplan: --fail-if hosts>1: the answer adds 4 hosts',
    'claimplan: --fail-if cost>1: the answer costs 36000',
    'claimplan: --fail-if rejected>=3: 3 builds no added host could take are rejected',
  ]);
});

test('names the first five and counts the rest', () => {
  const many = `${EXPECTING.split('requests:')[0]}requests:\n  - {build: f, name: "vm-{n}", count: 9}\n`;
  assertGateLines(['replay', '-', '--fail-on-reject'], ['claimplan: --fail-on-reject: 8 requests rejected: vm-2 (seq 2), vm-3 (seq 3), vm-4 (seq 4), vm-5 (seq 5), vm-6 (seq 6), and 3 more'], many);
});
