// `claimplan import` as a user runs it: client exports into a plan, located errors and warnings, round trips
// from a fixture cloud's own figures back to the same usage, and every export in test/fixtures/import
// imported: a plan the import writes is one claimplan accepts (validate and replay exit 0 or 1, never 2),
// and an export the import refuses is refused with located errors and no plan.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { parse } from 'yaml';
import type { HostUsage } from '../../../src/engine/core/model.ts';
import { assertMatchesGoldenIn } from '../../golden-file.ts';
import { PROJECT_ROOT, runCli } from '../../run-cli.ts';

const FIXTURES = 'test/fixtures/import/osc';
const GOLDEN = join(PROJECT_ROOT, 'test/fixtures/import/expected');
const matchesGolden = (name: string, actual: string) => assertMatchesGoldenIn(GOLDEN, name, actual);

function scratch(name: string, content: unknown): string {
  const path = join(mkdtempSync(join(tmpdir(), 'claimplan-import-')), name);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  return path;
}

/** A host of `replay -f json`: the engine's HostUsage, as JSON. */
type HostFigures = HostUsage;

/** The one warning the client exports give with Placement: a flavor asks for NUMA, which no export describes. */
const PLACEMENT_NUMA_WARNING = /^test\/fixtures\/import\/osc\/flavors\.json:5:3 {2}\[3\] {2}warning: flavor `pinned\.large` asks for NUMA placement or PCI devices.*\n$/;
/** Without Placement, vCPUs unlimited is said first. */
const NUMA_WARNING = /^.* warning: no Placement data: .*\ntest\/fixtures\/import\/osc\/flavors\.json:5:3 {2}\[3\] {2}warning: flavor `pinned\.large` asks for NUMA placement or PCI devices.*\n$/;

const usageOf = (h: HostFigures) => [h.host, h.memory_mb_used, h.free_ram_mb, h.local_gb_used, h.free_disk_gb, h.vcpus_used, h.running_vms];

test('imports `hypervisor show` and `flavor list --long` exports into a plan, as reviewed', () => {
  const run = runCli(['import', '--hypervisors', `${FIXTURES}/hypervisors-show.json`, '--flavors', `${FIXTURES}/flavors.json`]);
  assert.match(run.stderr, NUMA_WARNING);
  assert.equal(run.status, 0);
  matchesGolden('import.hypervisors-show.yaml', run.stdout);
  assert.equal(runCli(['validate', scratch('plan.yaml', run.stdout)]).status, 0);
});

test('takes totals, reservations, ratios and usage from Placement with `hypervisor list --long`', () => {
  const run = runCli(['import', '--hypervisors', `${FIXTURES}/hypervisors-list.json`, '--flavors', `${FIXTURES}/flavors.json`, '--placement', `${FIXTURES}/placement.json`]);
  assert.equal(run.status, 0);
  matchesGolden('import.placement.yaml', run.stdout);
  const { hosts } = JSON.parse(runCli(['replay', scratch('plan.yaml', run.stdout), '-f', 'json']).stdout);
  const exported = JSON.parse(readFileSync(join(PROJECT_ROOT, FIXTURES, 'hypervisors-show.json'), 'utf8'));
  // Placement's reserved + usage add up to what the hypervisors report as used.
  assert.deepEqual(
    hosts.map((h: HostFigures) => [h.host, h.memory_mb_used, h.local_gb_used, h.vcpus_used]),
    exported.map((e: Record<string, number | string>) => [e.hypervisor_hostname, e.memory_mb_used, e.local_gb_used, e.vcpus_used]),
  );
});

test('reports missing columns and bad values as located errors, and an unknown column as a warning with a suggestion', () => {
  const run = runCli(['import', '--hypervisors', `${FIXTURES}/hypervisors-bad.json`, '--flavors', `${FIXTURES}/flavors.json`]);
  assert.equal(run.status, 2);
  assert.equal(run.stdout, '');
  assert.deepEqual(run.stderr.trimEnd().split('\n'), [
    `${FIXTURES}/hypervisors-bad.json:7:5  [0].memroy_mb_used  warning: \`openstack hypervisor show -f json\` prints no column \`memroy_mb_used\`; ignored; did you mean \`memory_mb_used\`?`,
    `${FIXTURES}/hypervisors-bad.json:2:3  [0]  missing \`memory_mb_used\`, which \`openstack hypervisor show -f json\` prints`,
    `${FIXTURES}/hypervisors-bad.json:9:22  [0].local_gb_used  must be a non-negative integer`,
    'claimplan import: 2 problems found; no plan was written',
  ]);
});

test('asks for disk figures when only `hypervisor list --long` is given', () => {
  const run = runCli(['import', '--hypervisors', `${FIXTURES}/hypervisors-list.json`, '--flavors', `${FIXTURES}/flavors.json`]);
  assert.equal(run.status, 2);
  assert.match(run.stderr, /hypervisors-list\.json:2:3 {2}\[0\] {2}`hypervisor list --long` has no disk figures: export `openstack --os-compute-api-version 2\.87 hypervisor show HOST -f json`/);
});

test('takes any export under any flag, and positional files and folders too', () => {
  const flagged = runCli(['import', '--flavors', `${FIXTURES}/hypervisors-show.json`, '--hypervisors', `${FIXTURES}/flavors.json`]);
  const positional = runCli(['import', `${FIXTURES}/hypervisors-show.json`, `${FIXTURES}/flavors.json`]);
  assert.equal(flagged.status, 0, flagged.stderr);
  assert.equal(flagged.stdout.split('\n').slice(1).join('\n'), positional.stdout.split('\n').slice(1).join('\n'));
  const folder = runCli(['import', `${FIXTURES}/hypervisors-list.json`, '--placement', `${FIXTURES}/placement`]);
  assert.equal(folder.status, 0, folder.stderr);
  assert.match(folder.stdout, /CUSTOM_GPU_A100:\n\s+total: 4\n\s+max_unit: 1/);
});

test('needs something to import', () => {
  const run = runCli(['import'], { env: { OS_CLOUD: '', OS_AUTH_URL: '' } });
  assert.equal(run.status, 2);
  assert.match(run.stderr, /give export files or folders, or a cloud to read with --os-cloud NAME/);
});

/** Exports as the OpenStack CLI would print them for the cloud a replay left behind. */
function exportsOf(plan: string) {
  const { hosts } = JSON.parse(runCli(['replay', plan, '-f', 'json']).stdout) as { hosts: HostFigures[] };
  const { flavors } = parse(readFileSync(join(PROJECT_ROOT, plan), 'utf8')) as { flavors: Record<string, number | string>[] };
  const hypervisors = hosts.map((h, index) => ({
    hypervisor_hostname: h.host, id: String(index + 1), state: 'up', status: 'enabled', hypervisor_type: 'QEMU',
    vcpus: h.vcpus, vcpus_used: h.vcpus_used, memory_mb: h.memory_mb, memory_mb_used: h.memory_mb_used,
    free_ram_mb: h.free_ram_mb, local_gb: h.local_gb, local_gb_used: h.local_gb_used, free_disk_gb: h.free_disk_gb,
    running_vms: h.running_vms,
  }));
  const flavorList = flavors.map((f, index) => ({
    ID: String(index + 1), Name: f.name, RAM: f.memory_mb, Disk: f.root_gb, Ephemeral: f.ephemeral_gb ?? 0, VCPUs: f.vcpus,
    'Is Public': true, Swap: f.swap ? f.swap : '', 'RXTX Factor': 1.0, Properties: f.extra_specs ?? {},
  }));
  return { hosts, hypervisors, flavorList };
}

test('round-trips: hypervisor exports of the example cloud import into a plan that replays to the same usage', () => {
  const { hosts, hypervisors, flavorList } = exportsOf('examples/small-cloud.yaml');
  const imported = runCli(['import', '--hypervisors', scratch('hv.json', hypervisors), '--flavors', scratch('fl.json', flavorList)]);
  assert.equal(imported.status, 0, imported.stderr);
  const replayed = JSON.parse(runCli(['replay', scratch('plan.yaml', imported.stdout), '-f', 'json']).stdout).hosts;
  assert.deepEqual(replayed.map(usageOf), hosts.map(usageOf));
});

test('round-trips through Placement too: the same usage', () => {
  const { hosts, hypervisors, flavorList } = exportsOf('examples/small-cloud.yaml');
  const reservedMemory = 4096;
  const reservedDiskGb = 20;
  const ratios: Record<string, [number, number, number]> = { mem: [4, 1, 1], gen: [4, 1.5, 1], edge: [4, 1.5, 1] };
  const providers = hosts.map((h, index) => ({ uuid: `00000000-0000-4000-8000-${String(index).padStart(12, '0')}`, name: h.host, generation: 1 }));
  const inventories: Record<string, unknown> = {};
  const usages: Record<string, unknown> = {};
  hosts.forEach((h, index) => {
    const [cpu, ram, disk] = ratios[h.host.split('-')[0]];
    const row = (resource_class: string, total: number, reserved: number, allocation_ratio: number) =>
      ({ resource_class, allocation_ratio, max_unit: total, reserved, step_size: 1, min_unit: 1, total });
    inventories[providers[index].uuid] = [row('VCPU', h.vcpus, 0, cpu), row('MEMORY_MB', h.memory_mb, reservedMemory, ram), row('DISK_GB', h.local_gb, reservedDiskGb, disk)];
    usages[providers[index].uuid] = [
      { resource_class: 'VCPU', usage: h.vcpus_used },
      { resource_class: 'MEMORY_MB', usage: h.memory_mb_used - reservedMemory },
      { resource_class: 'DISK_GB', usage: h.local_gb_used - reservedDiskGb },
    ];
  });
  const imported = runCli([
    'import', '--hypervisors', scratch('hv.json', hypervisors), '--flavors', scratch('fl.json', flavorList),
    '--placement', scratch('placement.json', { providers, inventories, usages }),
  ]);
  assert.equal(imported.status, 0, imported.stderr);
  const replayed = JSON.parse(runCli(['replay', scratch('plan.yaml', imported.stdout), '-f', 'json']).stdout).hosts;
  assert.deepEqual(replayed.map(usageOf), hosts.map(usageOf));
});

test('imports `hypervisor show` from compute API 2.88 on, with figures from inventories that carry `used`', () => {
  const run = runCli([
    'import', '--hypervisors', `${FIXTURES}/hypervisors-show-2.88.json`, '--flavors', `${FIXTURES}/flavors.json`,
    '--placement', `${FIXTURES}/placement-used.json`,
  ]);
  assert.match(run.stderr, PLACEMENT_NUMA_WARNING);
  assert.equal(run.status, 0);
  matchesGolden('import.placement-used.yaml', run.stdout);
  const { hosts } = JSON.parse(runCli(['replay', scratch('plan.yaml', run.stdout), '-f', 'json']).stdout);
  const exported = JSON.parse(readFileSync(join(PROJECT_ROOT, FIXTURES, 'hypervisors-show.json'), 'utf8'));
  assert.deepEqual(
    hosts.map((h: HostFigures) => [h.host, h.memory_mb_used, h.local_gb_used, h.vcpus_used]),
    exported.map((e: Record<string, number | string>) => [e.hypervisor_hostname, e.memory_mb_used, e.local_gb_used, e.vcpus_used]),
  );
});

test('says once per hypervisor that an export without figures needs Placement, located at the row', () => {
  const run = runCli(['import', '--hypervisors', `${FIXTURES}/hypervisors-show-2.88.json`, '--flavors', `${FIXTURES}/flavors.json`]);
  assert.equal(run.status, 2);
  assert.equal(run.stdout, '');
  const lines = run.stderr.trimEnd().split('\n').filter((line) => !line.includes('warning:'));
  assert.equal(lines.length, 4);
  assert.match(lines[0], /^test\/fixtures\/import\/osc\/hypervisors-show-2\.88\.json:2:3 {2}\[0\] {2}has no vCPU, memory or disk figures .*resource provider inventory list UUID/);
});

test('imports a down and a disabled compute service as hosts that take no build, each said in a warning', () => {
  const run = runCli(['import', '--hypervisors', `${FIXTURES}/hypervisors-show-down-disabled.json`, '--flavors', `${FIXTURES}/flavors.json`]);
  assert.equal(run.status, 0, run.stderr);
  assert.match(run.stderr, /hypervisors-show-down-disabled\.json:\d+:3 {2}\[1\] {2}warning: host `cmp-002\.example\.net`'s compute service is down: imported with `down: true`/);
  assert.match(run.stderr, /hypervisors-show-down-disabled\.json:\d+:3 {2}\[2\] {2}warning: host `gpu-001\.example\.net`'s compute service is disabled: imported with `disabled: true`/);
  const plan = parse(run.stdout) as { hosts: { name: string; down?: boolean; disabled?: boolean }[] };
  assert.deepEqual(plan.hosts.map((host) => [host.name, host.down ?? false, host.disabled ?? false]), [
    ['cmp-001.example.net', false, false],
    ['cmp-002.example.net', true, false],
    ['gpu-001.example.net', false, true],
  ]);
  const builds = run.stdout.replace(/^requests: \[\]$/m, 'requests:\n  - {build: m1.small, count: 40, name: "b-{n}"}');
  const decisions = JSON.parse(runCli(['replay', scratch('plan.yaml', builds), '-f', 'json']).stdout).decisions as { host: string | null }[];
  assert.deepEqual([...new Set(decisions.map((decision) => decision.host))], ['cmp-001.example.net']);
});

test('reads the service state of GET /os-hypervisors/detail as published, a host down there too', () => {
  const published = JSON.parse(readFileSync(join(PROJECT_ROOT, 'test/fixtures/import/published/nova/hypervisors-detail-2.53.json'), 'utf8'));
  published.hypervisors[0].state = 'down';
  published.hypervisors[0].status = 'disabled';
  const run = runCli(['import', scratch('detail.json', published)]);
  assert.equal(run.status, 0, run.stderr);
  const [host] = (parse(run.stdout) as { hosts: { down?: boolean; disabled?: boolean }[] }).hosts;
  assert.deepEqual([host.down, host.disabled], [true, true]);
});

test('says that without Placement data the legacy filters leave vCPUs unlimited', () => {
  const run = runCli(['import', '--hypervisors', `${FIXTURES}/hypervisors-show.json`, '--flavors', `${FIXTURES}/flavors.json`]);
  assert.match(run.stderr, /warning: no Placement data: the plan keeps Nova's legacy default `enabled_filters`, which have no CoreFilter, so vCPUs are not limited/);
  const withPlacement = runCli(['import', '--hypervisors', `${FIXTURES}/hypervisors-list.json`, '--flavors', `${FIXTURES}/flavors.json`, '--placement', `${FIXTURES}/placement.json`]);
  assert.doesNotMatch(withPlacement.stderr, /no Placement data/);
});

test('imports a host whose provider has COMPUTE_STATUS_DISABLED as disabled, as Zed\'s compute_status_filter passes over it', () => {
  const bundle = JSON.parse(readFileSync(join(PROJECT_ROOT, FIXTURES, 'placement.json'), 'utf8'));
  const gpu = bundle.providers.find((provider: { name: string }) => provider.name === 'gpu-001.example.net').uuid;
  bundle.traits = { [gpu]: [{ name: 'COMPUTE_STATUS_DISABLED' }] };
  const run = runCli(['import', '--hypervisors', `${FIXTURES}/hypervisors-list.json`, '--flavors', `${FIXTURES}/flavors.json`, '--placement', scratch('placement.json', bundle)]);
  assert.equal(run.status, 0, run.stderr);
  assert.match(run.stderr, /warning: host `gpu-001\.example\.net`'s compute service is disabled \(its provider has COMPUTE_STATUS_DISABLED\): imported with `disabled: true`/);
  const hosts = (parse(run.stdout) as { hosts: { name: string; disabled?: boolean }[] }).hosts;
  assert.deepEqual(hosts.filter((host) => host.disabled).map((host) => host.name), ['gpu-001.example.net']);
});

const ALL_FIXTURES = join(PROJECT_ROOT, 'test/fixtures/import');
const EXPORTS = ['published', 'osc', 'placement-tree'];
const LOCATED = /^\S+:\d+:\d+ {2}/;

/** Each export file alone, each folder as a whole (Placement's folders name their providers), and each top folder entire. */
function importsToTry(): string[] {
  const found: string[] = [];
  const visit = (path: string) => {
    found.push(relative(PROJECT_ROOT, path));
    if (statSync(path).isDirectory()) for (const entry of readdirSync(path).sort()) visit(join(path, entry));
  };
  for (const folder of EXPORTS) visit(join(ALL_FIXTURES, folder));
  return found;
}

test('every published sample and client export imports into a plan that validates and replays', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'claimplan-fixtures-'));
  const imported: string[] = [];
  importsToTry().forEach((path, index) => {
    const plan = join(scratch, `plan-${index}.yaml`);
    const run = runCli(['import', path, '-o', plan]);
    if (run.status === 2) {
      // Refused: only with located errors, and nothing written.
      const errors = run.stderr.trimEnd().split('\n').filter((line) => !line.includes('warning:') && !line.startsWith('claimplan import:'));
      assert.ok(errors.length > 0 && errors.every((line) => LOCATED.test(line)), `${path}: ${run.stderr}`);
      assert.throws(() => statSync(plan), `${path} wrote a plan although refused`);
      return;
    }
    assert.equal(run.status, 0, `${path}: ${run.stderr}`);
    imported.push(path);
    for (const command of [['validate', plan], ['replay', plan, '-f', 'json']]) {
      const checked = runCli(command);
      assert.ok(checked.status === 0 || checked.status === 1, `${command[0]} of the plan from ${path} exited ${checked.status}: ${checked.stderr}`);
    }
  });
  // The samples import as published: all of them, alone and together.
  for (const expected of ['test/fixtures/import/published', 'test/fixtures/import/published/nova/servers-detail-2.47.json', 'test/fixtures/import/published/placement']) {
    assert.ok(imported.includes(expected), `${expected} did not import`);
  }
});

test('each recognised export that cannot give a plan is refused with a located error naming the command to run', () => {
  for (const entry of readdirSync(join(ALL_FIXTURES, 'refused')).sort()) {
    const run = runCli(['import', `test/fixtures/import/refused/${entry}`]);
    assert.equal(run.status, 2, entry);
    assert.equal(run.stdout, '');
    const [error] = run.stderr.split('\n');
    assert.match(error, LOCATED, entry);
    assert.match(error, /export[^`]*`(openstack|GET) [^`]+`/, entry);
  }
});
