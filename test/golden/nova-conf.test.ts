// `replay --nova-conf` on real nova.conf files (test/fixtures/nova-conf/README.md names
// each source): each loads with nothing refused and no warning, and the replay under its
// settings is compared whole with a reviewed copy in test/fixtures/golden/; UPDATE_GOLDEN=1
// rewrites the copies. A bad value is one located line and exit 2.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assertMatchesGoldenIn } from '../golden-file.ts';
import { PROJECT_ROOT, runCli } from '../run-cli.ts';

const GOLDEN = join(PROJECT_ROOT, 'test/fixtures/golden');
const FIXTURES = 'test/fixtures/nova-conf';
const PLAN = `${FIXTURES}/plan.yaml`;

const CONFIGURATIONS: [name: string, files: string[]][] = [
  ['debian', ['debian-nova-common-26.2.2.nova.conf']],
  ['kolla-ansible', ['kolla-ansible.nova.conf', 'kolla-ansible.override.conf']],
  ['openstack-ansible', ['openstack-ansible-os_nova.nova.conf']],
];

for (const [name, files] of CONFIGURATIONS) {
  test(`replays with ${name}'s nova.conf (${files.join(' then ')}): nothing refused, no warning, the report as reviewed`, () => {
    const run = runCli(['replay', PLAN, ...files.flatMap((file) => ['--nova-conf', `${FIXTURES}/${file}`])]);
    assert.equal(run.status, 0, run.stderr);
    assert.equal(run.stderr, '');
    assertMatchesGoldenIn(GOLDEN, `nova-conf-${name}.table`, run.stdout);
  });
}

/** Runs `check` with a fresh directory, removed afterwards. */
function inScratch(check: (directory: string) => void): void {
  const directory = mkdtempSync(join(tmpdir(), 'claimplan-nova-conf-'));
  try {
    check(directory);
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

test('a plan naming its nova.conf in nova_conf: replays as --nova-conf does', () =>
  inScratch((directory) => {
    const plan = join(directory, 'plan.yaml');
    writeFileSync(plan, `version: 1\nnova_conf: [${join(PROJECT_ROOT, FIXTURES, 'openstack-ansible-os_nova.nova.conf')}]\n`);
    const byKey = runCli(['replay', PLAN, plan]);
    const byFlag = runCli(['replay', PLAN, '--nova-conf', `${FIXTURES}/openstack-ansible-os_nova.nova.conf`]);
    assert.equal(byKey.status, 0, byKey.stderr);
    assert.equal(byKey.stdout, byFlag.stdout);
  }));

test('a bad value in nova.conf is one located line naming the option as nova.conf does, and exit 2', () =>
  inScratch((directory) => {
    const conf = join(directory, 'nova.conf');
    writeFileSync(conf, '[DEFAULT]\ncpu_allocation_ratio = 4.0\n\n[filter_scheduler]\nenabled_filters = ComputeFilter\nhost_subset_size = 0\nram_weight_multiplier = heavy\n');
    const run = runCli(['replay', PLAN, '--nova-conf', conf]);
    assert.equal(run.status, 2);
    assert.equal(run.stdout, '');
    assert.equal(
      run.stderr,
      `${conf}:6:20  [filter_scheduler] host_subset_size  must be an integer >= 1\n` +
        `${conf}:7:25  [filter_scheduler] ram_weight_multiplier  must be a number\n` +
        'claimplan: 2 problems found; nothing was replayed\n',
    );
  }));

test('a nova.conf that cannot be read, or whose syntax oslo.config refuses, is a located problem and exit 2', () =>
  inScratch((directory) => {
    const conf = join(directory, 'nova.conf');
    writeFileSync(conf, '[DEFAULT]\ncpu_allocation_ratio 4.0\n');
    const missing = join(directory, 'missing.conf');
    const run = runCli(['fit', PLAN, '--flavor', 'm1.large', '--nova-conf', conf, '--nova-conf', missing]);
    assert.equal(run.status, 2);
    assert.equal(run.stderr, `${conf}:2:1  No ':' or '=' found in assignment\n${missing}:0:0  cannot read: no such file\nclaimplan: 2 problems found; nothing was replayed\n`);
  }));
