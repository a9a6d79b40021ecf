// What claimplan reads from Placement (placement api-ref): every resource provider, and
// each one's inventories, usages, traits and aggregates, a few requests at a time.
import { atLeast, lowerOf, parseMicroversion, type Microversion, type ServiceClient } from './service.ts';

/** root_provider_uuid from 1.14, aggregates with their generation from 1.19. */
const PLACEMENT: Microversion = [1, 19];
/** Requests in flight at once: enough to hide latency, few enough not to load the API. */
const CONCURRENCY = 8;

export interface ProviderBodies {
  uuid: string;
  inventories: unknown;
  usages: unknown;
  traits: unknown;
  aggregates: unknown;
}

export interface PlacementBodies {
  providers: Record<string, unknown>;
  perProvider: ProviderBodies[];
}

async function placementMicroversion(placement: ServiceClient): Promise<Microversion> {
  const root = (await placement.get('/', null)) as { versions?: { max_version?: string }[] } | null;
  return parseMicroversion(root?.versions?.[0]?.max_version) ?? [1, 0];
}

export async function readPlacement(placement: ServiceClient, progress: (line: string) => void): Promise<PlacementBodies> {
  const microversion = lowerOf(await placementMicroversion(placement), PLACEMENT);
  const providers = (await placement.get('/resource_providers', microversion)) as Record<string, unknown>;
  const list = (Array.isArray(providers?.resource_providers) ? providers.resource_providers : []) as { uuid: string }[];
  progress(`Placement at ${placement.endpoint}: ${list.length} resource providers`);
  const perProvider: ProviderBodies[] = new Array(list.length);
  let next = 0;
  const worker = async () => {
    while (next < list.length) {
      const index = next++;
      const { uuid } = list[index];
      const base = `/resource_providers/${encodeURIComponent(uuid)}`;
      perProvider[index] = {
        uuid,
        inventories: await placement.get(`${base}/inventories`, microversion),
        usages: await placement.get(`${base}/usages`, microversion),
        traits: atLeast(microversion, 6) ? await placement.get(`${base}/traits`, microversion) : null,
        aggregates: atLeast(microversion, 1) ? await placement.get(`${base}/aggregates`, microversion) : null,
      };
      if ((index + 1) % 500 === 0) progress(`read ${index + 1} of ${list.length} providers`);
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, list.length) }, worker));
  return { providers, perProvider };
}
