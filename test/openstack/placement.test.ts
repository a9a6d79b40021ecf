// What claimplan reads from Placement: every provider's inventories, usages, traits and
// aggregates, in the providers' order, at the microversion both sides speak, leaving out
// what an older Placement cannot say.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { readPlacement } from '../../src/openstack/placement.ts';
import { ServiceClient } from '../../src/openstack/service.ts';
import { localServer, type Answer, type LocalServer } from './local-server.ts';
import { valueOf } from './results.ts';

const PROVIDERS = ['p-1', 'p-2', 'p-3'];

function placementAt(maxVersion: string): (path: string) => Answer {
  return (path) => {
    const json = (body: unknown): Answer => ({ status: 200, body: JSON.stringify(body) });
    if (path === '/placement/') return json({ versions: [{ id: 'v1.0', max_version: maxVersion, min_version: '1.0' }] });
    if (path === '/placement/resource_providers') return json({ resource_providers: PROVIDERS.map((uuid) => ({ uuid, name: `host-${uuid}` })) });
    const [, uuid, what] = /^\/placement\/resource_providers\/([^/]+)\/(\w+)$/.exec(path) ?? [];
    return uuid ? json({ [what]: `${what} of ${uuid}` }) : { status: 404, body: '' };
  };
}

const servers: LocalServer[] = [];
after(() => Promise.all(servers.map((server) => server.close())));

async function readFrom(maxVersion: string) {
  const server = await localServer(placementAt(maxVersion));
  servers.push(server);
  const progress: string[] = [];
  const bodies = valueOf(await readPlacement(new ServiceClient('placement', `${server.url}/placement`, { token: 't', catalog: [] }, { verify: true }), (line) => progress.push(line)));
  return { bodies, progress, server };
}

test('reads each provider\'s bodies, kept in the providers\' order, at 1.19 when Placement speaks more', async () => {
  const { bodies, progress, server } = await readFrom('1.39');
  assert.deepEqual(
    bodies.perProvider.map((provider) => [provider.uuid, provider.inventories, provider.traits, provider.aggregates]),
    PROVIDERS.map((uuid) => [uuid, { inventories: `inventories of ${uuid}` }, { traits: `traits of ${uuid}` }, { aggregates: `aggregates of ${uuid}` }]),
  );
  assert.match(progress[0], /^Placement at http:\/\/127\.0\.0\.1:\d+\/placement: 3 resource providers$/);
  assert.equal(server.requests.find((request) => request.path === '/placement/resource_providers')?.headers['openstack-api-version'], 'placement 1.19');
});

test('asks an old Placement for neither traits (1.6) nor aggregates (1.1) it cannot give', async () => {
  const { bodies, server } = await readFrom('1.0');
  assert.deepEqual(bodies.perProvider.map((provider) => [provider.traits, provider.aggregates]), PROVIDERS.map(() => [null, null]));
  assert.ok(server.requests.every((request) => !/\/(traits|aggregates)$/.test(request.path)));
});
