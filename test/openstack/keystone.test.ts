// Keystone v3 authentication as clouds.yaml asks for it (password or application
// credential, the scope), and each service's endpoint chosen from the catalog by type,
// interface and region, as openstacksdk chooses it (the command printing these failures once,
// without secrets, against a real Placement: test/openstack/live-export.test.ts).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { CloudConfig } from '../../src/openstack/clouds-config.ts';
import { authenticate, endpointFor, type Session } from '../../src/openstack/keystone.ts';
import { localServer, type LocalServer } from './local-server.ts';
import type { Result } from '../../src/engine/core/result.ts';
import { errorOf, valueOf } from './results.ts';

const CATALOG = [
  {
    type: 'compute',
    endpoints: [
      { url: 'https://nova.one/v2.1/', interface: 'public', region_id: 'RegionOne' },
      { url: 'https://nova.internal/v2.1', interface: 'internal', region_id: 'RegionOne' },
      { url: 'https://nova.two/v2.1', interface: 'public', region_id: 'RegionTwo' },
    ],
  },
  { type: 'placement', endpoints: [{ url: 'https://placement/', interface: 'public', region: 'RegionOne' }] },
];

let server: LocalServer;
before(async () => {
  server = await localServer((path) =>
    path.startsWith('/good/')
      ? { status: 201, body: JSON.stringify({ token: { catalog: CATALOG } }), headers: { 'X-Subject-Token': 'the-token' } }
      : path.startsWith('/unscoped/')
        ? { status: 201, body: JSON.stringify({ token: {} }), headers: { 'X-Subject-Token': 'the-token' } }
        : { status: 401, body: '{"error": {"code": 401, "message": "The request you have made requires authentication."}}' },
  );
});
after(() => server.close());

function config(auth: CloudConfig['auth'], extra: Partial<CloudConfig> = {}): CloudConfig {
  return { label: 'cloud `test`', auth, auth_type: 'password', interface: 'public', verify: true, endpoint_override: {}, ...extra };
}

const sentBody = () => JSON.parse(server.requests.at(-1)!.body);

test('logs in with a password scoped to a project, in the user\'s domain or `default`, and keeps the token and catalog', async () => {
  const session = valueOf(await authenticate(config({ auth_url: `${server.url}/good`, username: 'admin', password: 'pw', project_name: 'admin', project_domain_name: 'Default' })));
  assert.deepEqual(session, { token: 'the-token', catalog: CATALOG });
  assert.equal(server.requests.at(-1)!.path, '/good/v3/auth/tokens');
  assert.deepEqual(sentBody().auth, {
    identity: { methods: ['password'], password: { user: { name: 'admin', domain: { id: 'default' }, password: 'pw' } } },
    scope: { project: { name: 'admin', domain: { name: 'Default' } } },
  });
});

test('logs in with an application credential, which carries its own project', async () => {
  await authenticate(config({ auth_url: `${server.url}/good/v3/`, application_credential_id: 'cred', application_credential_secret: 's' }, { auth_type: 'v3applicationcredential' }));
  assert.deepEqual(sentBody().auth, { identity: { methods: ['application_credential'], application_credential: { id: 'cred', secret: 's' } } });
});

test('says what a log-in lacks before asking Keystone, and what Keystone refused or left out', async () => {
  const message = async (answer: Promise<Result<unknown>>) => errorOf(await answer);
  assert.equal(await message(authenticate(config({ auth_url: `${server.url}/good`, username: 'admin' }))), 'cloud `test`: password authentication needs a username (or user_id) and a password (in clouds.yaml, secure.yaml or OS_PASSWORD)');
  assert.equal(await message(authenticate(config({ auth_url: `${server.url}/good` }, { auth_type: 'token' }))), 'cloud `test`: auth_type `token` is not one claimplan speaks (password, v3password, v3applicationcredential)');
  assert.match((await message(authenticate(config({ auth_url: `${server.url}/bad`, username: 'a', password: 'wrong' }))))!, /^Keystone at http:\/\/127\.0\.0\.1:\d+\/bad\/v3\/auth\/tokens refused the credentials of cloud `test` \(401\)/);
  assert.match((await message(authenticate(config({ auth_url: `${server.url}/unscoped`, username: 'a', password: 'pw' }))))!, /gave a token without a service catalog: scope it to a project/);
});

const SESSION: Session = { token: 't', catalog: CATALOG };

test('picks the endpoint on the interface and in the region asked for, without its trailing slash', () => {
  assert.equal(valueOf(endpointFor(SESSION, config({}, { region_name: 'RegionOne' }), 'compute')), 'https://nova.one/v2.1');
  assert.equal(valueOf(endpointFor(SESSION, config({}, { interface: 'internal' }), 'compute')), 'https://nova.internal/v2.1');
  assert.equal(valueOf(endpointFor(SESSION, config({}, { region_name: 'RegionOne' }), 'placement')), 'https://placement');
  assert.equal(valueOf(endpointFor(SESSION, config({}, { endpoint_override: { placement: 'https://override/' } }), 'placement')), 'https://override');
});

test('says which endpoint the catalog lacks and what it offers, and asks for a region when several match', () => {
  assert.equal(
    errorOf(endpointFor(SESSION, config({}, { region_name: 'RegionThree' }), 'compute')),
    'the service catalog of cloud `test` has no compute endpoint (interface public, region RegionThree); it offers public in RegionOne, internal in RegionOne, public in RegionTwo',
  );
  assert.equal(errorOf(endpointFor(SESSION, config({}), 'compute')), 'compute has endpoints in several regions (RegionOne, RegionTwo): choose one with --os-region-name or region_name');
});
