// Which cloud to read and how to log in, found as openstacksdk finds it: clouds.yaml with
// secure.yaml merged over it, or the OS_* variables; each miss said with where it looked.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadCloudConfig } from '../../src/openstack/clouds-config.ts';
import { errorOf, valueOf } from './results.ts';

/** Runs `body` with only `variables` among the OS_* variables and XDG_CONFIG_HOME, in a folder of its own, then puts the environment back. */
function withEnvironment<T>(variables: Record<string, string>, body: () => T): T {
  const saved = { ...process.env };
  const cwd = process.cwd();
  for (const name of Object.keys(process.env)) if (name.startsWith('OS_')) delete process.env[name];
  process.env.XDG_CONFIG_HOME = mkdtempSync(join(tmpdir(), 'claimplan-xdg-'));
  process.chdir(mkdtempSync(join(tmpdir(), 'claimplan-cwd-')));
  Object.assign(process.env, variables);
  try {
    return body();
  } finally {
    process.chdir(cwd);
    for (const name of Object.keys(process.env)) if (!(name in saved)) delete process.env[name];
    Object.assign(process.env, saved);
  }
}

function written(name: string, text: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'claimplan-clouds-')), name);
  writeFileSync(path, text);
  return path;
}

const CLOUDS = `clouds:
  prod:
    auth: {auth_url: "https://keystone.example:5000/v3", username: admin, project_name: admin, user_domain_name: Default}
    region_name: RegionOne
    interface: internalURL
    placement_endpoint_override: "https://placement.example/"
    block_storage_endpoint_override: "https://cinder.example/"
    verify: false
  lab:
    auth: {auth_url: "https://lab:5000/v3"}
`;

test('reads the OS_* variables when no cloud is named: a password log-in, or an application credential when its secret is set', () => {
  const password = withEnvironment({ OS_AUTH_URL: 'https://k:5000/v3', OS_USERNAME: 'ops', OS_PASSWORD: 'secret', OS_TENANT_NAME: 'admin', OS_INTERFACE: 'publicURL' }, () => valueOf(loadCloudConfig({})));
  assert.deepEqual([password.label, password.auth_type, password.auth.project_name, password.interface, password.verify], ['the cloud of the OS_* variables', 'password', 'admin', 'public', true]);
  const credential = withEnvironment({ OS_AUTH_URL: 'https://k:5000/v3', OS_APPLICATION_CREDENTIAL_ID: 'id', OS_APPLICATION_CREDENTIAL_SECRET: 's', OS_INSECURE: 'true' }, () => valueOf(loadCloudConfig({ cloud: 'envvars' })));
  assert.deepEqual([credential.auth_type, credential.verify], ['v3applicationcredential', false]);
});

test('says what to give when there is neither a cloud name nor OS_AUTH_URL', () => {
  assert.equal(
    errorOf(withEnvironment({}, () => loadCloudConfig({}))),
    'no cloud to read: give --os-cloud NAME (a cloud of clouds.yaml), or set OS_CLOUD or OS_AUTH_URL and the other OS_* variables',
  );
});

test('reads a cloud of clouds.yaml, with secure.yaml\'s password merged into its auth, endpoint overrides by service type', () => {
  const clouds = written('clouds.yaml', CLOUDS);
  const secure = written('secure.yaml', 'clouds:\n  prod:\n    auth: {password: hunter2}\n');
  const config = withEnvironment({ OS_CLIENT_CONFIG_FILE: clouds, OS_CLIENT_SECURE_FILE: secure }, () => valueOf(loadCloudConfig({ cloud: 'prod' })));
  assert.equal(config.label, `cloud \`prod\` of ${clouds}`);
  assert.deepEqual(config.auth, { auth_url: 'https://keystone.example:5000/v3', username: 'admin', project_name: 'admin', user_domain_name: 'Default', password: 'hunter2' });
  assert.deepEqual([config.region_name, config.interface, config.verify], ['RegionOne', 'internal', false]);
  assert.deepEqual(config.endpoint_override, { placement: 'https://placement.example/', 'block-storage': 'https://cinder.example/' });
});

test('takes the region and interface asked for over the variables, and the variables over clouds.yaml', () => {
  const clouds = written('clouds.yaml', CLOUDS);
  const fromVariables = withEnvironment({ OS_CLIENT_CONFIG_FILE: clouds, OS_REGION_NAME: 'RegionTwo' }, () => valueOf(loadCloudConfig({ cloud: 'prod' })));
  assert.equal(fromVariables.region_name, 'RegionTwo');
  const asked = withEnvironment({ OS_CLIENT_CONFIG_FILE: clouds, OS_REGION_NAME: 'RegionTwo' }, () => valueOf(loadCloudConfig({ cloud: 'prod', regionName: 'RegionThree', interface: 'admin' })));
  assert.deepEqual([asked.region_name, asked.interface], ['RegionThree', 'admin']);
});

test('names the clouds a clouds.yaml has when the one asked for is not there (no clouds.yaml at all: test/openstack/live-export.test.ts)', () => {
  const clouds = written('clouds.yaml', CLOUDS);
  assert.equal(errorOf(withEnvironment({ OS_CLIENT_CONFIG_FILE: clouds }, () => loadCloudConfig({ cloud: 'staging' }))), `${clouds} has no cloud \`staging\` (it has \`prod\`, \`lab\`)`);
});
