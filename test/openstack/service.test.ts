// A service endpoint spoken to with the session's token at a microversion, and the
// microversions both the cloud and claimplan speak.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { atLeast, lowerOf, parseMicroversion, ServiceClient } from '../../src/openstack/service.ts';
import { localServer, type LocalServer } from './local-server.ts';
import { success } from '../../src/engine/core/result.ts';

let server: LocalServer;
before(async () => (server = await localServer(() => ({ status: 200, body: '{"ok": true}' }))));
after(() => server.close());

test('reads a microversion as major.minor and nothing else', () => {
  assert.deepEqual(parseMicroversion('2.88'), [2, 88]);
  assert.equal(parseMicroversion('2'), null);
  assert.equal(parseMicroversion(2.1), null);
});

test('takes the lower of two microversions, minor by minor', () => {
  assert.deepEqual(lowerOf([2, 87], [2, 9]), [2, 9]);
  assert.deepEqual(lowerOf([1, 39], [2, 1]), [1, 39]);
  assert.equal(atLeast([2, 53], 53), true);
  assert.equal(atLeast([2, 52], 53), false);
});

test('sends the token and OpenStack-API-Version, and Nova\'s own header too where asked', async () => {
  const session = { token: 'a-token', catalog: [] };
  const compute = new ServiceClient('compute', `${server.url}/compute/v2.1`, session, { verify: true }, 'X-OpenStack-Nova-API-Version');
  assert.deepEqual(await compute.get('/os-hypervisors/detail', [2, 87]), success({ ok: true }));
  const sent = server.requests.at(-1)!;
  assert.equal(sent.path, '/compute/v2.1/os-hypervisors/detail');
  assert.deepEqual([sent.headers['x-auth-token'], sent.headers['openstack-api-version'], sent.headers['x-openstack-nova-api-version']], ['a-token', 'compute 2.87', '2.87']);
  const placement = new ServiceClient('placement', `${server.url}/placement`, session, { verify: true });
  await placement.get(`${server.url}/placement/`, null);
  assert.equal(server.requests.at(-1)!.headers['openstack-api-version'], undefined, 'version discovery asks at no microversion');
});
