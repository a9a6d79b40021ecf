// `claimplan replay`'s exit codes: 1 for a failed expectation or --fail-on-reject, 2 for a bad
// plan or usage (standard input: test/cli/stdin.test.ts; --output and colour: output.test.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../run-cli.ts';

const PLAN = `version: 1
hosts:
  - {name: a, vcpus: 4, memory_mb: 4096, local_gb: 100}
flavors:
  - {name: m1, vcpus: 1, memory_mb: 2048, root_gb: 10}
requests:
  - {build: m1, name: one, expect: claimed}
  - {build: m1, name: two}
  - {build: m1, name: three, expect: claimed}
`;

function planFile(text: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'claimplan-')), 'plan.yaml');
  writeFileSync(path, text);
  return path;
}

test('exits 1 when an expectation fails, after printing the whole report', () => {
  const run = runCli(['replay', planFile(PLAN), '-f', 'json']);
  assert.equal(run.status, 1);
  const report = JSON.parse(run.stdout);
  assert.equal(report.summary.expectations_failed, 1);
});

test('exits 0 when every expectation holds, and 1 with --fail-on-reject when something was rejected', () => {
  const held = PLAN.replace('{build: m1, name: three, expect: claimed}', '{build: m1, name: three, expect: rejected}');
  assert.equal(runCli(['replay', planFile(held), '-f', 'json']).status, 0);
  assert.equal(runCli(['replay', planFile(held), '-f', 'json', '--fail-on-reject']).status, 1);
});

test('exits 2 with located errors and nothing on stdout for a bad plan', () => {
  const run = runCli(['replay', planFile(PLAN.replace('memory_mb: 4096', 'memory_mb: -4'))]);
  assert.equal(run.status, 2);
  assert.equal(run.stdout, '');
  assert.match(run.stderr, /plan\.yaml:3:\d+ {2}hosts\[0\]\.memory_mb {2}/);
  assert.doesNotMatch(run.stderr, /\n\s+at /, 'no stack trace');
});

test('exits 2 on a usage error such as an unknown format', () => {
  const run = runCli(['replay', 'examples/small-cloud.yaml', '-f', 'xml']);
  assert.equal(run.status, 2);
  assert.equal(run.stdout, '');
});

