// What claimplan reads from Placement (placement api-ref): every resource provider, and
// each one's inventories, usages, traits and aggregates, a few requests at a time.
import { failure, success, type Result } from '../engine/core/result.ts';
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

async function placementMicroversion(placement: ServiceClient): Promise<Result<Microversion>> {
  const answer = await placement.get('/', null);
  if (!answer.ok) return answer;
  const root = answer.value as { versions?: { max_version?: string }[] } | null;
  return success(parseMicroversion(root?.versions?.[0]?.max_version) ?? [1, 0]);
}

export async function readPlacement(placement: ServiceClient, progress: (line: string) => void): Promise<Result<PlacementBodies>> {
  const spoken = await placementMicroversion(placement);
  if (!spoken.ok) return spoken;
  const microversion = lowerOf(spoken.value, PLACEMENT);
  const answer = await placement.get('/resource_providers', microversion);
  if (!answer.ok) return answer;
  const providers = answer.value as Record<string, unknown>;
  const list = (Array.isArray(providers?.resource_providers) ? providers.resource_providers : []) as { uuid: string }[];
  progress(`Placement at ${placement.endpoint}: ${list.length} resource providers`);
  const perProvider: ProviderBodies[] = new Array(list.length);
  let next = 0;
  let refused: string | null = null;
  /** A part of a provider, or null once any request has failed: the first failure is the answer. */
  const part = async (path: string): Promise<unknown> => {
    if (refused !== null) return null;
    const read = await placement.get(path, microversion);
    if (read.ok) return read.value;
    refused ??= read.error;
    return null;
  };
  const worker = async () => {
    while (next < list.length && refused === null) {
      const index = next++;
      const { uuid } = list[index];
      const base = `/resource_providers/${encodeURIComponent(uuid)}`;
      perProvider[index] = {
        uuid,
        inventories: await part(`${base}/inventories`),
        usages: await part(`${base}/usages`),
        traits: atLeast(microversion, 6) ? await part(`${base}/traits`) : null,
        aggregates: atLeast(microversion, 1) ? await part(`${base}/aggregates`) : null,
      };
      if ((index + 1) % 500 === 0) progress(`read ${index + 1} of ${list.length} providers`);
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, list.length) }, worker));
  return refused === null ? success({ providers, perProvider }) : failure(refused);
}
