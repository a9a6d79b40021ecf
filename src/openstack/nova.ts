// What claimplan reads from the compute API (nova api-ref): hypervisors, flavors with
// their extra specs, every project's servers, the host aggregates and the compute
// services, each at the
// microversion that gives the most the cloud speaks, paged by marker. Bodies are returned
// as Nova sent them, pages joined, for the readers of src/plan/import/.
import { failure, success, type Result } from '../engine/core/result.ts';
import { atLeast, lowerOf, parseMicroversion, type Microversion, type ServiceClient } from './service.ts';

/** Figures leave os-hypervisors at 2.88; Placement has them from there on. */
const HYPERVISORS: Microversion = [2, 88];
/** Flavors carry extra_specs from 2.61. */
const FLAVORS: Microversion = [2, 61];
/** Servers embed their flavor from 2.47. */
const SERVERS: Microversion = [2, 47];
/** Aggregates carry the uuid Placement's aggregates use from 2.41. */
const AGGREGATES: Microversion = [2, 41];
/** Services have uuid ids from 2.53; their state and status never changed. */
const SERVICES: Microversion = [2, 53];
/** The usage audit pages by `limit` and `marker`, with `tenant_usages_links`, from 2.40. */
const USAGE: Microversion = [2, 40];

/**
 * The highest microversion the compute API speaks, from its version document at the
 * versioned root (the catalog's URL may end in a project id: nova api-ref, "API Versions").
 */
export async function computeMicroversion(compute: ServiceClient): Promise<Result<Microversion>> {
  const root = /^(.*\/v2(\.1)?)(\/|$)/.exec(compute.endpoint)?.[1] ?? compute.endpoint;
  const answer = await compute.get(`${root}/`, null);
  if (!answer.ok) return answer;
  const document = answer.value as { version?: { version?: string } } | null;
  // A cloud without microversions speaks 2.1 only.
  return success(parseMicroversion(document?.version?.version) ?? [2, 1]);
}

/** The marker of the `next` link, if any: pages are fetched from our own endpoint, never from a link's host. */
function nextMarker(body: Record<string, unknown>, key: string): string | null {
  const links = body[`${key}_links`];
  if (!Array.isArray(links)) return null;
  const next = links.find((link) => (link as { rel?: string }).rel === 'next') as { href?: string } | undefined;
  if (!next?.href) return null;
  try {
    return new URL(next.href).searchParams.get('marker');
  } catch {
    return null;
  }
}

/** Every page of a listing joined into one body of the same form. */
async function allPages(compute: ServiceClient, path: string, key: string, microversion: Microversion): Promise<Result<Record<string, unknown>>> {
  const items: unknown[] = [];
  const seen = new Set<string>();
  let marker: string | null = null;
  for (;;) {
    const separator = path.includes('?') ? '&' : '?';
    const answer = await compute.get(marker === null ? path : `${path}${separator}marker=${encodeURIComponent(marker)}`, microversion);
    if (!answer.ok) return answer;
    const body = answer.value as Record<string, unknown> | null;
    const page = body?.[key];
    if (!Array.isArray(page)) return failure(`GET compute ${path}: the answer has no \`${key}\` list`);
    items.push(...page);
    marker = nextMarker(body!, key);
    if (marker === null || page.length === 0 || seen.has(marker)) return success({ [key]: items });
    seen.add(marker);
  }
}

export interface ComputeBodies {
  microversion: Microversion;
  hypervisors: Record<string, unknown>;
  flavors: Record<string, unknown>;
  servers: Record<string, unknown>;
  aggregates: Record<string, unknown>;
  services: Record<string, unknown>;
}

export async function readCompute(compute: ServiceClient, microversion: Microversion, progress: (line: string) => void): Promise<Result<ComputeBodies>> {
  progress(`compute API at ${compute.endpoint} speaks up to ${microversion.join('.')}`);
  const hypervisors = await allPages(compute, '/os-hypervisors/detail', 'hypervisors', lowerOf(microversion, HYPERVISORS));
  if (!hypervisors.ok) return hypervisors;
  progress(`read ${(hypervisors.value.hypervisors as unknown[]).length} hypervisors`);
  const flavors = await flavorsWithExtraSpecs(compute, microversion);
  if (!flavors.ok) return flavors;
  const count = (flavors.value.flavors as unknown[]).length;
  progress(`read ${count} flavor${count === 1 ? '' : 's'} with their extra specs`);
  const servers = await allPages(compute, '/servers/detail?all_tenants=1', 'servers', lowerOf(microversion, SERVERS));
  if (!servers.ok) return servers;
  progress(`read ${(servers.value.servers as unknown[]).length} servers of every project`);
  const aggregates = await allPages(compute, '/os-aggregates', 'aggregates', lowerOf(microversion, AGGREGATES));
  if (!aggregates.ok) return aggregates;
  progress(`read ${(aggregates.value.aggregates as unknown[]).length} host aggregates`);
  // One list, never paged: each nova-compute service's state and status, which hypervisor exports may lack.
  const answer = await compute.get('/os-services', lowerOf(microversion, SERVICES));
  if (!answer.ok) return answer;
  const services = answer.value as Record<string, unknown> | null;
  if (!Array.isArray(services?.services)) return failure('GET compute /os-services: the answer has no `services` list');
  progress(`read ${services.services.length} compute services`);
  return success({ microversion, hypervisors: hypervisors.value, flavors: flavors.value, servers: servers.value, aggregates: aggregates.value, services });
}

/** Every flavor; before 2.61 each flavor's extra specs are a request of their own, joined to the flavor as 2.61 gives them. */
async function flavorsWithExtraSpecs(compute: ServiceClient, microversion: Microversion): Promise<Result<Record<string, unknown>>> {
  const flavorVersion = lowerOf(microversion, FLAVORS);
  const flavors = await allPages(compute, '/flavors/detail?is_public=None', 'flavors', flavorVersion);
  if (!flavors.ok || atLeast(flavorVersion, FLAVORS[1])) return flavors;
  for (const flavor of flavors.value.flavors as Record<string, unknown>[]) {
    const specs = await compute.get(`/flavors/${encodeURIComponent(String(flavor.id))}/os-extra_specs`, flavorVersion);
    if (!specs.ok) return specs;
    flavor.extra_specs = (specs.value as { extra_specs?: unknown } | null)?.extra_specs ?? {};
  }
  return flavors;
}

/** A time as Nova's `_parse_datetime` reads `start` and `end`: `%Y-%m-%dT%H:%M:%S`, UTC. */
function novaTime(time: number): string {
  return new Date(time).toISOString().slice(0, 19);
}

/**
 * The usage audit of every project over the last `days` days to `now`, detailed, its pages
 * joined (`GET /os-simple-tenant-usage?detailed=1&start=…&end=…`,
 * nova/api/openstack/compute/simple_tenant_usage.py): each server that ran in the period,
 * with its flavor, launch and termination — a history for `claimplan forecast`.
 */
export async function readUsageHistory(compute: ServiceClient, microversion: Microversion, days: number, now: number, progress: (line: string) => void): Promise<Result<Record<string, unknown>>> {
  const start = novaTime(now - days * 86_400_000);
  const answer = await allPages(compute, `/os-simple-tenant-usage?detailed=1&start=${start}&end=${novaTime(now)}`, 'tenant_usages', lowerOf(microversion, USAGE));
  if (!answer.ok) return answer;
  const body = answer.value;
  const servers = (body.tenant_usages as { server_usages?: unknown[] }[]).reduce((sum, tenant) => sum + (Array.isArray(tenant.server_usages) ? tenant.server_usages.length : 0), 0);
  progress(`read the usage of ${servers} servers over the last ${days} days`);
  return success(body);
}
