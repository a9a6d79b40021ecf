// `claimplan import --os-cloud test` end to end: a real Placement (Debian's
// python3-placement, test/openstack/placement_server.py) holding the published inventory,
// traits, aggregate and an allocation, with Keystone and Nova answered from their api-ref
// samples (api-replay.ts). The plan must replay to the usages Placement reports.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { PROJECT_ROOT, type CliRun } from '../run-cli.ts';
import { startApiReplay, type ApiReplay } from './api-replay.ts';

const PLACEMENT_MISSING =
  spawnSync('/usr/bin/python3', ['-c', 'import placement'], { stdio: 'ignore' }).status === 0
    ? false
    : 'python3-placement is not installed (apt-get install -y python3-placement; CI installs it)';

const ADMIN_PASSWORD = 'pa55-w0rd-never-shown';
// Placement's noauth2 takes "admin:PROJECT" for an administrator; the project part makes it recognisable.
const ADMIN_TOKEN = 'admin:t0ken-never-shown';
const CREDENTIAL = { id: 'aa0e1c2d3e4f', secret: 's3cret-never-shown' };
const SECRETS = [ADMIN_PASSWORD, 't0ken-never-shown', CREDENTIAL.secret];

// The compute node of nova's hypervisors-detail-2.53 sample and the server of servers-detail-2.47.
const NODE = { name: 'fake-mini', uuid: '1bb62a04-c576-402c-8147-9e89757a09e3' };
const SERVER = '764e369e-a874-4401-b7ce-43e4760888da';
const AGGREGATE = '6ba28ba7-f29b-45cc-a30b-6e3a40c2fb14';
// Two pGPUs under the compute node, as Zed's libvirt driver names them, one with a NUMA
// node's provider between: a tree of three levels.
const PGPU = { name: 'fake-mini_pci_0000_81_00_0', uuid: '5f0e2c8e-9d7b-4b4e-8a0c-6f3a1b2c3d4e', parent_provider_uuid: NODE.uuid };
const NUMA = { name: 'fake-mini_numa_1', uuid: '0c6d4a4f-1e2b-4c3d-9e8f-7a6b5c4d3e2f', parent_provider_uuid: NODE.uuid };
const DEEP_PGPU = { name: 'fake-mini_pci_0000_c1_00_0', uuid: '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d', parent_provider_uuid: NUMA.uuid };
const PUBLISHED_PLACEMENT = 'test/fixtures/import/published/placement/d0b381e9-8761-42de-8e6c-bba99a96d5f5';
// The server's flavor is given 1 GB of swap, which the compute API's local_gb_used leaves
// out and Placement's DISK_GB counts (nova/scheduler/utils.py resources_from_flavor:
// root + ephemeral + swap rounded up to GB): the sample's 1 GB root disk allocates 2.
const SERVER_SWAP_MB = 1024;

let placementServer: ChildProcess | null = null;
let placementUrl = '';
let replay: ApiReplay | null = null;
const scratch = mkdtempSync(join(tmpdir(), 'claimplan-live-'));

async function placement(method: string, path: string, body?: unknown): Promise<unknown> {
  const response = await fetch(`${placementUrl}${path}`, {
    method,
    headers: { 'X-Auth-Token': ADMIN_TOKEN, 'OpenStack-API-Version': 'placement 1.39', 'Content-Type': 'application/json', Accept: 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  assert.ok(response.ok, `${method} ${path}: ${response.status} ${text}`);
  return text === '' ? null : JSON.parse(text);
}

const generation = async () => ((await placement('GET', `/resource_providers/${NODE.uuid}`)) as { generation: number }).generation;

/** The published inventory, traits and usage on the compute node of the Nova samples, and the Nova aggregate's UUID. */
async function fillPlacement(): Promise<void> {
  const published = (name: string) => JSON.parse(readFileSync(join(PROJECT_ROOT, PUBLISHED_PLACEMENT, name), 'utf8'));
  await placement('POST', '/resource_providers', NODE);
  await placement('PUT', `/resource_providers/${NODE.uuid}/inventories`, { resource_provider_generation: await generation(), inventories: published('inventories.json').inventories });
  const { traits } = published('traits.json') as { traits: string[] };
  for (const trait of traits) await placement('PUT', `/traits/${trait}`);
  await placement('PUT', `/resource_providers/${NODE.uuid}/traits`, { resource_provider_generation: await generation(), traits });
  await placement('PUT', `/resource_providers/${NODE.uuid}/aggregates`, { resource_provider_generation: await generation(), aggregates: [AGGREGATE] });
  for (const child of [PGPU, NUMA, DEEP_PGPU]) await placement('POST', '/resource_providers', child);
  await placement('PUT', '/traits/CUSTOM_NVIDIA_A40');
  for (const [pgpu, total] of [[PGPU, 4], [DEEP_PGPU, 2]] as const) {
    await placement('PUT', `/resource_providers/${pgpu.uuid}/inventories`, { resource_provider_generation: 0, inventories: { VGPU: { total, max_unit: total } } });
    await placement('PUT', `/resource_providers/${pgpu.uuid}/traits`, { resource_provider_generation: 1, traits: ['CUSTOM_NVIDIA_A40'] });
  }
  await placement('PUT', `/allocations/${SERVER}`, {
    allocations: { [NODE.uuid]: { resources: { ...published('usages.json').usages, DISK_GB: 1 + SERVER_SWAP_MB / 1024 } } },
    project_id: '6f70656e737461636b20342065766572',
    user_id: 'fake',
    consumer_generation: null,
    consumer_type: 'INSTANCE',
  });
}

before(async () => {
  if (PLACEMENT_MISSING) return;
  placementServer = spawn('/usr/bin/python3', [fileURLToPath(new URL('./placement_server.py', import.meta.url))], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<string>((resolve, reject) => {
    placementServer!.once('exit', (code) => reject(new Error(`placement_server.py exited with ${code}`)));
    createInterface({ input: placementServer!.stdout! }).once('line', resolve);
  });
  placementUrl = `http://127.0.0.1:${port.trim()}`;
  await fillPlacement();
  replay = await startApiReplay(placementUrl, { adminPassword: ADMIN_PASSWORD, adminToken: ADMIN_TOKEN, applicationCredential: CREDENTIAL, memberPassword: 'member-pass' }, { serverFlavorSwap: SERVER_SWAP_MB });
});

after(async () => {
  await replay?.close();
  placementServer?.kill();
});

/** The CLI in a child process, without blocking this one: the API replay answers from here. */
function claimplan(args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliRun> {
  const bare = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('OS_')));
  const child = spawn(process.execPath, [join(PROJECT_ROOT, 'bin/claimplan.js'), ...args], { cwd: scratch, env: { ...bare, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  return new Promise((resolve) => child.on('close', (status) => resolve({ status, stdout, stderr })));
}

function cloudsYaml(name: string, cloud: Record<string, unknown>): string {
  const file = join(scratch, `${name}-clouds.yaml`);
  writeFileSync(file, JSON.stringify({ clouds: { test: cloud } }));
  return file;
}

const passwordCloud = (password: string, extra: Record<string, unknown> = {}) => ({
  auth: { auth_url: `${replay!.url}/identity`, username: extra.username ?? 'admin', password, project_name: 'admin', user_domain_name: 'Default', project_domain_name: 'Default' },
  region_name: extra.region_name ?? 'RegionOne',
  interface: 'public',
});

function assertNoSecrets(run: CliRun, ...more: string[]): void {
  for (const secret of SECRETS) {
    for (const text of [run.stdout, run.stderr, ...more]) assert.ok(!text.includes(secret), `a secret was printed or saved: ${secret}`);
  }
}

test('imports the cloud `test` of clouds.yaml, and the plan replays to the usages Placement reports, swap counted once', { skip: PLACEMENT_MISSING }, async () => {
  const saved = join(scratch, 'saved');
  const run = await claimplan(['import', '--os-cloud', 'test', '--save-exports', saved, '-o', 'live.yaml'], { OS_CLIENT_CONFIG_FILE: cloudsYaml('admin', passwordCloud(ADMIN_PASSWORD)) });
  assert.equal(run.status, 0, run.stderr);
  assert.match(run.stderr, /claimplan import: authenticating to cloud `test`/);
  assert.match(run.stderr, /read 1 hypervisors/);
  assert.match(run.stderr, /the APIs give no host's NUMA cells or PCI devices/);
  const savedFiles = readdirSync(saved, { recursive: true }).map(String).sort();
  assert.ok(savedFiles.includes(join('placement', NODE.uuid, 'usages.json')), savedFiles.join(', '));
  assert.ok(savedFiles.includes(join('compute', 'services.json')), savedFiles.join(', '));
  assertNoSecrets(run, ...savedFiles.filter((file) => file.endsWith('.json')).map((file) => readFileSync(join(saved, file), 'utf8')));

  const plan = readFileSync(join(scratch, 'live.yaml'), 'utf8');
  assert.match(plan, /^# Imported by claimplan from the cloud `test`\./);
  assert.equal((await claimplan(['validate', 'live.yaml'])).status, 0);
  const replayed = await claimplan(['replay', 'live.yaml', '-f', 'json']);
  assert.equal(replayed.status, 0, replayed.stderr);
  const [host] = JSON.parse(replayed.stdout).hosts as { host: string; usages?: Record<string, number> }[];
  const { usages } = (await placement('GET', `/resource_providers/${NODE.uuid}/usages`)) as { usages: Record<string, number> };
  assert.equal(host.host, NODE.name);
  // The plan says `capacity_model: placement`, so its hosts report Placement's own usages.
  assert.match(plan, /capacity_model: placement/);
  assert.deepEqual(host.usages, usages);
  assert.match(plan, /- name: new-server-test\n\s+flavor: m1\.tiny\.specs/);
  // Placement's allocation is the server's own: nothing is left over as `used`.
  assert.doesNotMatch(plan, /used:/);
  assert.match(plan, /^aggregates:\n  - name: name\n    availability_zone: london\n    hosts:\n      - /m);
  // The sample's nova-compute service on host1, the hypervisor's, is disabled.
  assert.match(plan, /disabled: true/);

  // What was saved imports again into the same plan.
  const again = await claimplan(['import', saved]);
  assert.equal(again.status, 0, again.stderr);
  assert.equal(again.stdout.split('\n').slice(1).join('\n'), plan.split('\n').slice(1).join('\n'));
});

test('keeps the provider tree Placement reports: each pGPU under its parent with its own VGPU inventory and traits, none counted as the host\'s', { skip: PLACEMENT_MISSING }, async () => {
  const run = await claimplan(['import', '--os-cloud', 'test', '-o', 'tree.yaml'], { OS_CLIENT_CONFIG_FILE: cloudsYaml('admin', passwordCloud(ADMIN_PASSWORD)) });
  assert.equal(run.status, 0, run.stderr);
  assert.doesNotMatch(run.stderr, /nested provider/);
  const replayed = await claimplan(['replay', 'tree.yaml', '-f', 'json']);
  assert.equal(replayed.status, 0, replayed.stderr);
  const [host] = JSON.parse(replayed.stdout).hosts as { inventories: Record<string, unknown>; providers: { provider: string; inventories: Record<string, { total: number; max_unit: number }>; traits: string[]; providers: unknown[] }[] }[];
  assert.ok(!('VGPU' in host.inventories));
  const summary = (child: (typeof host.providers)[number]): unknown => ({
    provider: child.provider,
    vgpu: child.inventories.VGPU && [child.inventories.VGPU.total, child.inventories.VGPU.max_unit],
    traits: child.traits,
    providers: (child.providers as (typeof host.providers)[number][]).map(summary),
  });
  assert.deepEqual(host.providers.map(summary), [
    { provider: PGPU.name, vgpu: [4, 4], traits: ['CUSTOM_NVIDIA_A40'], providers: [] },
    { provider: NUMA.name, vgpu: undefined, traits: [], providers: [{ provider: DEEP_PGPU.name, vgpu: [2, 2], traits: ['CUSTOM_NVIDIA_A40'], providers: [] }] },
  ]);
});

test('authenticates with an application credential from the OS_* variables', { skip: PLACEMENT_MISSING }, async () => {
  const run = await claimplan(['import'], {
    OS_AUTH_URL: `${replay!.url}/identity/v3`,
    OS_AUTH_TYPE: 'v3applicationcredential',
    OS_APPLICATION_CREDENTIAL_ID: CREDENTIAL.id,
    OS_APPLICATION_CREDENTIAL_SECRET: CREDENTIAL.secret,
    OS_REGION_NAME: 'RegionOne',
  });
  assert.equal(run.status, 0, run.stderr);
  assert.match(run.stdout, /^# Imported by claimplan from the cloud of the OS_\* variables\./);
  assertNoSecrets(run);
});

test('says once, without the password, that Keystone refused the credentials', { skip: PLACEMENT_MISSING }, async () => {
  const run = await claimplan(['import', '--os-cloud', 'test'], { OS_CLIENT_CONFIG_FILE: cloudsYaml('wrong', passwordCloud('not-the-password')) });
  assert.equal(run.status, 2);
  assert.equal(run.stdout, '');
  const lines = run.stderr.trimEnd().split('\n');
  assert.match(lines.at(-1)!, /^claimplan import: Keystone at http:\/\/127\.0\.0\.1:\d+\/identity\/v3\/auth\/tokens refused the credentials of cloud `test` of .*wrong-clouds\.yaml \(401\)/);
  assert.ok(!run.stderr.includes('not-the-password'));
});

test('says which endpoint the catalog lacks', { skip: PLACEMENT_MISSING }, async () => {
  const run = await claimplan(['import', '--os-cloud', 'test', '--os-region-name', 'RegionTwo'], { OS_CLIENT_CONFIG_FILE: cloudsYaml('admin', passwordCloud(ADMIN_PASSWORD)) });
  assert.equal(run.status, 2);
  assert.match(run.stderr, /claimplan import: the service catalog of cloud `test` .* has no compute endpoint \(interface public, region RegionTwo\); it offers public in RegionOne\n$/);
  assertNoSecrets(run);
});

test('says that reading hypervisors is forbidden without an administrator\'s role', { skip: PLACEMENT_MISSING }, async () => {
  const run = await claimplan(['import', '--os-cloud', 'test'], { OS_CLIENT_CONFIG_FILE: cloudsYaml('member', passwordCloud('member-pass', { username: 'member' })) });
  assert.equal(run.status, 2);
  assert.match(run.stderr, /claimplan import: GET compute \/os-hypervisors\/detail: forbidden \(403\): Policy doesn't allow .*; claimplan reads what only an administrator sees/);
});

test('finds no cloud without clouds.yaml or OS_AUTH_URL, and says where it looked', async () => {
  const run = await claimplan(['import', '--os-cloud', 'nowhere'], { OS_CLIENT_CONFIG_FILE: join(scratch, 'missing.yaml'), XDG_CONFIG_HOME: scratch });
  assert.equal(run.status, 2);
  assert.match(run.stderr, /^claimplan import: no clouds\.yaml for cloud `nowhere`: looked in .*missing\.yaml, .*clouds\.yaml/);
});

test('--history-days reads every page of the usage audit into a history that forecast reads', { skip: PLACEMENT_MISSING }, async () => {
  const env = { OS_CLIENT_CONFIG_FILE: cloudsYaml('admin', passwordCloud(ADMIN_PASSWORD)) };
  const run = await claimplan(['import', '--os-cloud', 'test', '-o', 'usage-plan.yaml', '--history-days', '30', '--history-output', 'usage.json'], env);
  assert.equal(run.status, 0, run.stderr);
  assert.match(run.stderr, /read the usage of 2 servers over the last 30 days/);
  const asked = replay!.requests.filter((line) => line.includes('/os-simple-tenant-usage'));
  assert.equal(asked.length, 3);
  assert.match(asked[0], /^GET \/compute\/v2\.1\/os-simple-tenant-usage\?detailed=1&start=\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d&end=\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/);
  assert.match(asked[1], /&marker=1f1deceb-17b5-4c04-84c7-e0d4499c8fe0$/);
  const history = JSON.parse(readFileSync(join(scratch, 'usage.json'), 'utf8')) as { tenant_usages: { server_usages: { name: string }[] }[] };
  assert.deepEqual(history.tenant_usages.flatMap((tenant) => tenant.server_usages.map((server) => server.name)), ['instance-2', 'instance-3']);
  assertNoSecrets(run, readFileSync(join(scratch, 'usage.json'), 'utf8'));

  const forecast = await claimplan(['forecast', 'usage-plan.yaml', '--history', 'usage.json', '--runs', '5', '--horizon', '10', '-f', 'json']);
  assert.equal(forecast.status, 0, forecast.stderr);
  const report = JSON.parse(forecast.stdout) as { as_of: string; lifecycles: number; flavors: { flavor: string; history_instances: number }[] };
  assert.equal(report.as_of, '2026-11-20');
  assert.equal(report.lifecycles, 2);
  assert.deepEqual(report.flavors.map((flavor) => [flavor.flavor, flavor.history_instances]), [['m1.tiny', 1], ['m1.small', 1]]);
});

test('--history-days needs a live cloud and --history-output', async () => {
  const alone = await claimplan(['import', 'x.json', '--history-days', '30', '--history-output', 'h.json']);
  assert.equal(alone.status, 2);
  assert.match(alone.stderr, /^claimplan: import: --history-days reads the usage audit of a live cloud; it needs --os-cloud/);
  const half = await claimplan(['import', '--os-cloud', 'test', '--history-days', '30']);
  assert.equal(half.status, 2);
  assert.match(half.stderr, /--history-days N and --history-output FILE go together/);
});
