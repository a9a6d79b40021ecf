// `claimplan import` of a Placement export with nested providers: the tree is kept.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assertMatchesGoldenIn } from '../../golden-file.ts';
import { PROJECT_ROOT, runCli } from '../../run-cli.ts';

const EXPORT = 'test/fixtures/import/placement-tree';
const GOLDEN = join(PROJECT_ROOT, 'test/fixtures/import/expected');

test('imports Placement\'s own answers about a vGPU host keeping its tree: each pGPU a child with its own VGPU and trait, as reviewed', () => {
  const run = runCli(['import', EXPORT]);
  assert.equal(run.status, 0, run.stderr);
  // A child's usage has no place in `used`: only the servers on the host would hold it.
  assert.match(run.stderr, /warning: host `gpu-compute-1` uses VGPU 1, which a plan's `used` cannot hold/);
  assert.doesNotMatch(run.stderr, /nested provider/);
  assertMatchesGoldenIn(GOLDEN, 'import.placement-tree.yaml', run.stdout.split('\n').slice(1).join('\n'));
  const plan = join(mkdtempSync(join(tmpdir(), 'claimplan-tree-')), 'plan.yaml');
  writeFileSync(plan, run.stdout);
  const [host] = JSON.parse(runCli(['replay', plan, '-f', 'json']).stdout).hosts;
  assert.deepEqual(Object.keys(host.inventories).sort(), ['DISK_GB', 'MEMORY_MB', 'VCPU']);
  assert.deepEqual(
    host.providers.map((child: { provider: string; inventories: { VGPU: { total: number } }; traits: string[] }) => [child.provider, child.inventories.VGPU.total, child.traits]),
    [
      ['gpu-compute-1_pci_0000_41_00_0', 6, ['CUSTOM_NVIDIA_A40']],
      ['gpu-compute-1_pci_0000_61_00_0', 6, ['CUSTOM_NVIDIA_A40']],
    ],
  );
});
