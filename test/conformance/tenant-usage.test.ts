// Nova's os-simple-tenant-usage bodies, as Nova 26's own controller and JSON serializer
// write them (tenant_usage_harness.py), read by `forecast --history` into the lifecycles
// the servers were made from: seeded random servers (running, terminated, several
// projects, times with microseconds), every one compared.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Lifecycle } from '../../src/engine/scenarios/forecast/history-model.ts';
import { loadHistory } from '../../src/plan/history.ts';

const PYTHON = '/usr/bin/python3';
const NOVA_MISSING = spawnSync(PYTHON, ['-c', 'import nova.api.openstack.compute.simple_tenant_usage'], { stdio: 'ignore' }).status === 0 ? false : 'python3-nova is not installed (apt-get install -y python3-nova; CI installs it)';
const CASES = Number(process.env.TENANT_USAGE_CONFORMANCE_CASES ?? 200);
const FLAVORS = [
  { name: 'm1.small', memory_mb: 2048, root_gb: 20, ephemeral_gb: 0, vcpus: 1 },
  { name: 'm1.large', memory_mb: 8192, root_gb: 80, ephemeral_gb: 0, vcpus: 4 },
  { name: 'g1.gpu', memory_mb: 65536, root_gb: 200, ephemeral_gb: 100, vcpus: 16 },
];

interface Server {
  uuid: string;
  name: string;
  project: string;
  flavor: (typeof FLAVORS)[number];
  launched_at: string;
  terminated_at: string | null;
  vm_state: string;
}

/** A time in the period, to the microsecond, with a UTC offset as Nova's objects hold them. */
function isoMicros(ms: number, micros: number): string {
  return `${new Date(ms).toISOString().slice(0, 19)}.${String((ms % 1000) * 1000 + micros).padStart(6, '0')}+00:00`;
}

function cases(count: number): { start: string; stop: string; servers: Server[] }[] {
  let state = 20261207;
  const next = () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
  const start = Date.UTC(2026, 0, 1);
  const stop = Date.UTC(2026, 11, 1);
  return Array.from({ length: count }, (_, c) => ({
    start: new Date(start).toISOString(),
    stop: new Date(stop).toISOString(),
    servers: Array.from({ length: 1 + Math.floor(next() * 30) }, (_, s): Server => {
      const launched = start + Math.floor(next() * (stop - start));
      const ended = next() < 0.5 ? launched + Math.floor(next() * (stop - launched)) : null;
      return {
        uuid: `${String(c).padStart(8, '0')}-0000-4000-8000-${String(s).padStart(12, '0')}`,
        name: `server-${c}-${s}`,
        project: `project-${Math.floor(next() * 3)}`,
        flavor: FLAVORS[Math.floor(next() * FLAVORS.length)],
        launched_at: isoMicros(launched, Math.floor(next() * 1000)),
        terminated_at: ended === null ? null : isoMicros(ended, Math.floor(next() * 1000)),
        vm_state: ended === null ? 'active' : 'deleted',
      };
    }),
  }));
}

test(`reads ${CASES} os-simple-tenant-usage bodies written by Nova's own controller into the servers' lifecycles`, { skip: NOVA_MISSING }, () => {
  const generated = cases(CASES);
  const python = spawnSync(PYTHON, [fileURLToPath(new URL('./tenant_usage_harness.py', import.meta.url))], { input: JSON.stringify(generated), encoding: 'utf8', maxBuffer: 256 * 2 ** 20 });
  assert.equal(python.status, 0, python.stderr);
  const bodies = python.stdout.trimEnd().split('\n');
  assert.equal(bodies.length, CASES);
  const directory = mkdtempSync(join(tmpdir(), 'claimplan-tenant-usage-'));
  const mismatches: string[] = [];
  bodies.forEach((body, index) => {
    const file = join(directory, `usage-${index}.json`);
    writeFileSync(file, body);
    const read = loadHistory([file], ['m1.small', 'm1.large'], () => '');
    assert.ok(read.ok, `case ${index}: ${JSON.stringify(read.ok ? null : read.error.slice(0, 3))}`);
    const known = generated[index].servers.filter((server) => server.flavor.name !== 'g1.gpu');
    // Nova lists servers grouped by project, in the order the projects first appear.
    const projects = [...new Set(generated[index].servers.map((server) => server.project))];
    const expected: Lifecycle[] = projects.flatMap((project) =>
      known
        .filter((server) => server.project === project)
        .map((server) => ({ instance: server.name, flavor: server.flavor.name, start: Date.parse(server.launched_at), end: server.terminated_at === null ? null : Date.parse(server.terminated_at), project, availability_zone: null })),
    );
    try {
      assert.deepEqual(read.value.lifecycles, expected);
      assert.equal(read.value.warnings.length, known.length < generated[index].servers.length ? 1 : 0);
    } catch (error) {
      mismatches.push(`case ${index}: ${(error as Error).message.slice(0, 400)}`);
    }
  });
  assert.deepEqual(mismatches.slice(0, 3), []);
});
