// What claimplan reads from the compute API: each listing at the highest microversion both
// sides speak, every page joined by marker, and before 2.61 each flavor's extra specs
// asked for on their own.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { computeMicroversion, readCompute } from '../../src/openstack/nova.ts';
import { ServiceClient } from '../../src/openstack/service.ts';
import { localServer, type Answer, type LocalServer } from './local-server.ts';
import { valueOf } from './results.ts';

const json = (body: unknown): Answer => ({ status: 200, body: JSON.stringify(body) });

/** A compute API at 2.60: two pages of hypervisors, the next link pointing at another host, as a proxy may write it. */
function computeAnswer(path: string): Answer {
  if (path === '/compute/v2.1/') return json({ version: { id: 'v2.1', version: '2.60', min_version: '2.1' } });
  if (path === '/compute/v2.1/os-hypervisors/detail') {
    return json({ hypervisors: [{ id: 1, hypervisor_hostname: 'cmp-1' }], hypervisors_links: [{ rel: 'next', href: 'http://elsewhere:8774/v2.1/os-hypervisors/detail?marker=1' }] });
  }
  if (path === '/compute/v2.1/os-hypervisors/detail?marker=1') return json({ hypervisors: [{ id: 2, hypervisor_hostname: 'cmp-2' }] });
  if (path === '/compute/v2.1/flavors/detail?is_public=None') return json({ flavors: [{ id: 'f1', name: 'm1.small' }] });
  if (path === '/compute/v2.1/flavors/f1/os-extra_specs') return json({ extra_specs: { 'hw:cpu_policy': 'dedicated' } });
  if (path === '/compute/v2.1/servers/detail?all_tenants=1') return json({ servers: [] });
  if (path === '/compute/v2.1/os-aggregates') return json({ aggregates: [{ name: 'az1' }] });
  if (path === '/compute/v2.1/os-services') return json({ services: [{ binary: 'nova-compute', host: 'cmp-1', status: 'enabled', state: 'up' }] });
  return { status: 404, body: '' };
}

let server: LocalServer;
before(async () => (server = await localServer(computeAnswer)));
after(() => server.close());

const computeClient = () => new ServiceClient('compute', `${server.url}/compute/v2.1`, { token: 't', catalog: [] }, { verify: true }, 'X-OpenStack-Nova-API-Version');

test('joins every page from the compute endpoint itself, and adds the extra specs a 2.60 cloud lists apart', async () => {
  const compute = computeClient();
  const progress: string[] = [];
  const bodies = valueOf(await readCompute(compute, valueOf(await computeMicroversion(compute)), (line) => progress.push(line)));
  assert.deepEqual(bodies.microversion, [2, 60]);
  assert.deepEqual(bodies.hypervisors, { hypervisors: [{ id: 1, hypervisor_hostname: 'cmp-1' }, { id: 2, hypervisor_hostname: 'cmp-2' }] });
  assert.deepEqual(bodies.flavors, { flavors: [{ id: 'f1', name: 'm1.small', extra_specs: { 'hw:cpu_policy': 'dedicated' } }] });
  assert.deepEqual(progress, [
    `compute API at ${server.url}/compute/v2.1 speaks up to 2.60`,
    'read 2 hypervisors',
    'read 1 flavor with their extra specs',
    'read 0 servers of every project',
    'read 1 host aggregates',
    'read 1 compute services',
  ]);
});

test('asks each listing at the lower of the cloud\'s version and the one that gives the most', async () => {
  server.requests.length = 0;
  const compute = computeClient();
  valueOf(await readCompute(compute, valueOf(await computeMicroversion(compute)), () => {}));
  const versionOf = (path: string) => server.requests.find((request) => request.path === path)?.headers['openstack-api-version'];
  assert.equal(versionOf('/compute/v2.1/os-hypervisors/detail'), 'compute 2.60');
  assert.equal(versionOf('/compute/v2.1/flavors/detail?is_public=None'), 'compute 2.60');
  assert.equal(versionOf('/compute/v2.1/servers/detail?all_tenants=1'), 'compute 2.47');
  assert.equal(versionOf('/compute/v2.1/os-aggregates'), 'compute 2.41');
  assert.equal(versionOf('/compute/v2.1/os-services'), 'compute 2.53');
});
