// claimplan's derivation of a host's pGPU providers from its `mdev:` key against Zed's
// libvirt driver's own functions (vgpu_harness.py under /usr/bin/python3), on generated
// configurations: one or several enabled types, types without pGPUs, pGPUs of types not
// enabled, none left, custom mdev classes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { vgpuProviders, type MdevSpec } from '../../src/engine/models/placement/vgpu.ts';
import { random } from './cases.ts';
import { PYTHON, runHarness } from './harness.ts';

const HARNESS = fileURLToPath(new URL('./vgpu_harness.py', import.meta.url));
const available = spawnSync(PYTHON, ['-c', 'import nova.virt.libvirt.driver, nova.compute.provider_tree']).status === 0;
const CASES = Number(process.env.VGPU_CONFORMANCE_CASES ?? 300);
const TYPES = ['nvidia-558', 'nvidia-559', 'nvidia-560', 'i915-GVTg_V5_4'];

function mdevFor(rng: ReturnType<typeof random>): MdevSpec {
  const enabled = rng.shuffle([...TYPES]).slice(0, rng.pick([0, 1, 1, 2, 2, 3]));
  const pgpus = Array.from({ length: rng.int(0, 4) }, (_, index) => ({
    address: `0000:${(0x81 + index).toString(16)}:00.${rng.int(0, 1)}`,
    type: rng.chance(0.8) && enabled.length > 0 ? rng.pick(enabled) : rng.pick(TYPES),
    available_instances: rng.pick([0, 1, 2, 4, 8, 16]),
    traits: [],
  }));
  const mdev_classes = Object.fromEntries(enabled.filter(() => rng.chance(0.3)).map((type) => [type, rng.pick(['VGPU', 'CUSTOM_A40_8Q', 'CUSTOM_T4'])]));
  return { enabled_types: enabled, pgpus, mdev_classes };
}

test(
  'derives the pGPU providers, their names and VGPU (or mdev_class) inventories exactly as Zed\'s libvirt driver reports them',
  { skip: !available && 'python3-nova not importable under /usr/bin/python3: vGPU derivation conformance skipped' },
  async (t) => {
    const rng = random(20261207);
    const cases = Array.from({ length: CASES }, (_, index) => ({ host: `gpu-${index}`, mdev: mdevFor(rng) }));
    const theirs = await runHarness<{ name: string; inventories: Record<string, unknown> }[]>(HARNESS, cases.map((c) => JSON.stringify(c)));
    const ours = cases.map((c) => vgpuProviders(c.host, c.mdev).map(({ name, inventories }) => ({ name, inventories })));
    const canonical = (value: unknown) => JSON.stringify(value, (_key, item) => (item && typeof item === 'object' && !Array.isArray(item) ? Object.fromEntries(Object.entries(item).sort()) : item));
    const mismatches = cases.flatMap((c, index) => (canonical(theirs[index]) === canonical(ours[index]) ? [] : [{ case: c, driver: theirs[index], claimplan: ours[index] }]));
    t.diagnostic(`${cases.length} hosts, ${ours.reduce((sum, providers) => sum + providers.length, 0)} pGPU providers derived; mismatches: ${mismatches.length}`);
    assert.deepEqual(mismatches.slice(0, 3), []);
  },
);
