// Keystone and Nova for the live import test: a Node HTTP server on 127.0.0.1 that answers
// with the bodies of their api-ref samples (test/fixtures/import/README.md names them),
// the catalog pointed at this server and at the test's real Placement. A 2.55 cloud, as
// the version sample says: hypervisors with figures, flavors whose extra specs are a
// request each, servers that embed their flavor.
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../run-cli.ts';

const sample = (path: string) => JSON.parse(readFileSync(join(PROJECT_ROOT, path), 'utf8')) as Record<string, unknown>;
const NOVA = 'test/fixtures/import/published/nova';

export interface ReplayUsers {
  /** password of the administrator `admin`, whose token reads everything */
  adminPassword: string;
  /** the token handed to the administrator; Placement's noauth2 reads "admin:PROJECT" as an admin */
  adminToken: string;
  /** an application credential of the administrator */
  applicationCredential: { id: string; secret: string };
  /** password of `member`, whose token the compute API forbids hypervisors to */
  memberPassword: string;
}

/** Where the cloud served differs from the samples. */
export interface ReplayCloud {
  /** the swap (MB) of the flavor the sample server embeds, 0 in the sample */
  serverFlavorSwap: number;
}

export interface ApiReplay {
  url: string;
  close: () => Promise<void>;
  /** every request line received, for tests of what was asked */
  requests: string[];
}

function send(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  response.writeHead(status, { 'Content-Type': 'application/json', ...headers });
  response.end(JSON.stringify(body));
}

async function bodyOf(request: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<string, unknown>;
}

/**
 * The usage audit as Nova 2.40 pages it, one server a page (`limit=1` in the sample's
 * `next` link), each page shaped as nova's simple-tenant-usage-get-detail.json.tpl (v2.40):
 * the sample's instance-2 (m1.tiny, still running), then an m1.small that ended, then an
 * empty page, which ends the listing.
 */
const USAGE_SERVERS = [
  { instance_id: '1f1deceb-17b5-4c04-84c7-e0d4499c8fe0', name: 'instance-2', flavor: 'm1.tiny', started_at: '2026-11-02T10:00:00.000000', ended_at: null, state: 'active', memory_mb: 512, local_gb: 1, vcpus: 1 },
  { instance_id: '2f1deceb-17b5-4c04-84c7-e0d4499c8fe0', name: 'instance-3', flavor: 'm1.small', started_at: '2026-11-03T10:00:00.000000', ended_at: '2026-11-20T08:30:00.000000', state: 'terminated', memory_mb: 2048, local_gb: 20, vcpus: 1 },
];

function usagePage(endpoint: string, query: URLSearchParams): unknown {
  const marker = query.get('marker');
  const index = marker === null ? 0 : USAGE_SERVERS.findIndex((server) => server.instance_id === marker) + 1;
  const server = USAGE_SERVERS[index];
  if (server === undefined) return { tenant_usages: [] };
  const tenant = '6f70656e737461636b20342065766572';
  const next = new URLSearchParams({ detailed: '1', end: query.get('end') ?? '', limit: '1', marker: server.instance_id, start: query.get('start') ?? '' });
  return {
    tenant_usages: [
      {
        start: query.get('start'),
        stop: query.get('end'),
        tenant_id: tenant,
        total_hours: 1.0,
        total_local_gb_usage: server.local_gb,
        total_memory_mb_usage: server.memory_mb,
        total_vcpus_usage: server.vcpus,
        server_usages: [{ ...server, hours: 1.0, tenant_id: tenant, uptime: 3600 }],
      },
    ],
    tenant_usages_links: [{ href: `${endpoint}/os-simple-tenant-usage?${next}`, rel: 'next' }],
  };
}

export async function startApiReplay(placementUrl: string, users: ReplayUsers, cloud: ReplayCloud): Promise<ApiReplay> {
  const requests: string[] = [];
  let base = '';
  const catalog = () => [
    { type: 'identity', name: 'keystone', endpoints: [{ interface: 'public', region: 'RegionOne', region_id: 'RegionOne', url: `${base}/identity`, id: 'i1' }] },
    { type: 'compute', name: 'nova', endpoints: [{ interface: 'public', region: 'RegionOne', region_id: 'RegionOne', url: `${base}/compute/v2.1`, id: 'c1' }] },
    { type: 'placement', name: 'placement', endpoints: [{ interface: 'public', region: 'RegionOne', region_id: 'RegionOne', url: placementUrl, id: 'p1' }] },
  ];
  // keystone api-ref auth-application-credential-response.json; a password token differs in its methods only.
  const token = (method: string) => {
    const body = sample('test/openstack/samples/auth-application-credential-response.json') as { token: Record<string, unknown> };
    return { token: { ...body.token, methods: [method], catalog: catalog() } };
  };
  const tokens = new Map([[users.adminToken, 'admin'], ['member-token', 'member']]);
  const unauthorized = { error: { code: 401, title: 'Unauthorized', message: 'The request you have made requires authentication.' } };

  const server: Server = createServer(async (request, response) => {
    const url = new URL(request.url ?? '/', base);
    requests.push(`${request.method} ${url.pathname}${url.search}`);
    if (request.method === 'POST' && url.pathname === '/identity/v3/auth/tokens') {
      const identity = ((await bodyOf(request)).auth as { identity: Record<string, Record<string, unknown>> }).identity;
      const user = (identity.password?.user ?? {}) as { name?: string; password?: string };
      const credential = identity.application_credential as { id?: string; secret?: string } | undefined;
      if (credential?.id === users.applicationCredential.id && credential.secret === users.applicationCredential.secret) {
        return send(response, 201, token('application_credential'), { 'X-Subject-Token': users.adminToken });
      }
      if (user.name === 'admin' && user.password === users.adminPassword) return send(response, 201, token('password'), { 'X-Subject-Token': users.adminToken });
      if (user.name === 'member' && user.password === users.memberPassword) return send(response, 201, token('password'), { 'X-Subject-Token': 'member-token' });
      return send(response, 401, unauthorized);
    }
    const who = tokens.get(String(request.headers['x-auth-token']));
    if (!url.pathname.startsWith('/compute/v2.1')) return send(response, 404, { itemNotFound: { code: 404, message: 'Not found' } });
    if (who === undefined) return send(response, 401, unauthorized);
    const path = url.pathname.slice('/compute/v2.1'.length);
    const admin = who === 'admin';
    const forbidden = { forbidden: { code: 403, message: 'Policy doesn\'t allow os_compute_api:os-hypervisors:list-detail to be performed.' } };
    if (path === '/os-simple-tenant-usage') return send(response, 200, usagePage(`${base}/compute/v2.1`, url.searchParams));
    // Pages after the first are empty: each sample is one page whose `next` link names a marker.
    if (url.searchParams.has('marker')) return send(response, 200, { [path.split('/')[1].replace(/^os-/, '')]: [] });
    if (path === '/' || path === '') return send(response, 200, sample('test/openstack/samples/v21-version-get-resp.json'));
    if (path === '/os-hypervisors/detail') return admin ? send(response, 200, sample(`${NOVA}/hypervisors-detail-2.53.json`)) : send(response, 403, forbidden);
    if (path === '/flavors/detail') return send(response, 200, sample(`${NOVA}/flavors-detail.json`));
    if (/^\/flavors\/[^/]+\/os-extra_specs$/.test(path)) return send(response, 200, sample('test/openstack/samples/flavor-extra-specs-list-resp.json'));
    if (path === '/servers/detail') {
      const body = sample(`${NOVA}/servers-detail-2.47.json`) as { servers: { flavor: { swap: number } }[] };
      for (const server of body.servers) server.flavor.swap = cloud.serverFlavorSwap;
      return send(response, 200, body);
    }
    if (path === '/os-aggregates') return send(response, 200, sample(`${NOVA}/aggregates-list-2.41.json`));
    if (path === '/os-services') return send(response, 200, sample(`${NOVA}/services-list-2.53.json`));
    return send(response, 404, { itemNotFound: { code: 404, message: `${path} not found` } });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url: base, requests, close: () => new Promise((resolve) => server.close(() => resolve())) };
}
