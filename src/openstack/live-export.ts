// `claimplan import --os-cloud NAME`: log in, read the compute API and Placement, and save
// the bodies as the folder of exports a file import reads (docs/import.md, "Live import"),
// so a live import and an import of what it saved give the same plan.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadCloudConfig, type CloudChoice } from './clouds-config.ts';
import { success, type Result } from '../engine/core/result.ts';
import { authenticate, endpointFor } from './keystone.ts';
import { computeMicroversion, readCompute, readUsageHistory } from './nova.ts';
import { readPlacement } from './placement.ts';
import { ServiceClient } from './service.ts';

export interface LiveExportOptions extends CloudChoice {
  /** keep the bodies in this folder; a temporary one otherwise */
  saveTo?: string;
  /** also read the usage audit of the last so many days (`--history-days`) */
  historyDays?: number;
  progress: (line: string) => void;
}

export interface LiveExports {
  folder: string;
  /** whether the folder is the caller's to keep (--save-exports) */
  keep: boolean;
  discard: () => void;
  /** the usage audit's body, pages joined, when `historyDays` asked for it */
  history: Record<string, unknown> | null;
}

function save(folder: string, path: string, body: unknown): void {
  const file = join(folder, path);
  mkdirSync(join(file, '..'), { recursive: true });
  writeFileSync(file, `${JSON.stringify(body, null, 2)}\n`);
}

export async function exportLiveCloud(options: LiveExportOptions): Promise<Result<LiveExports>> {
  const loaded = loadCloudConfig(options);
  if (!loaded.ok) return loaded;
  const config = loaded.value;
  options.progress(`authenticating to ${config.label} at ${config.auth.auth_url ?? '(no auth_url)'}`);
  const session = await authenticate(config);
  if (!session.ok) return session;
  const computeEndpoint = endpointFor(session.value, config, 'compute');
  if (!computeEndpoint.ok) return computeEndpoint;
  const compute = new ServiceClient('compute', computeEndpoint.value, session.value, config, 'X-OpenStack-Nova-API-Version');
  const placementEndpoint = endpointFor(session.value, config, 'placement');
  if (!placementEndpoint.ok) options.progress(`${placementEndpoint.error}: figures come from the hypervisors alone`);
  const placement = placementEndpoint.ok ? new ServiceClient('placement', placementEndpoint.value, session.value, config) : null;
  const microversion = await computeMicroversion(compute);
  if (!microversion.ok) return microversion;
  const read = await readCompute(compute, microversion.value, options.progress);
  if (!read.ok) return read;
  const computeBodies = read.value;
  // The history is not a plan's export: it stays out of the folder `import` reads again.
  const history = options.historyDays === undefined ? null : await readUsageHistory(compute, microversion.value, options.historyDays, Date.now(), options.progress);
  if (history !== null && !history.ok) return history;
  const placementRead = placement ? await readPlacement(placement, options.progress) : null;
  if (placementRead !== null && !placementRead.ok) return placementRead;
  const placementBodies = placementRead?.value ?? null;
  options.progress('the APIs give no host\'s NUMA cells or PCI devices: NUMA and PCI plans need `numa:` and `pci:` on the hosts, and `pci_aliases` from nova.conf');

  if (options.saveTo !== undefined) mkdirSync(options.saveTo, { recursive: true });
  const folder = options.saveTo ?? mkdtempSync(join(tmpdir(), 'claimplan-import-'));
  save(folder, 'compute/hypervisors.json', computeBodies.hypervisors);
  save(folder, 'compute/flavors.json', computeBodies.flavors);
  save(folder, 'compute/servers.json', computeBodies.servers);
  if ((computeBodies.aggregates.aggregates as unknown[]).length > 0) save(folder, 'compute/aggregates.json', computeBodies.aggregates);
  save(folder, 'compute/services.json', computeBodies.services);
  if (placementBodies) {
    save(folder, 'placement/resource_providers.json', placementBodies.providers);
    for (const provider of placementBodies.perProvider) {
      for (const part of ['inventories', 'usages', 'traits', 'aggregates'] as const) {
        if (provider[part] !== null) save(folder, `placement/${provider.uuid}/${part}.json`, provider[part]);
      }
    }
  }
  if (options.saveTo !== undefined) options.progress(`saved the API bodies in ${folder}`);
  return success({ folder, keep: options.saveTo !== undefined, discard: () => rmSync(folder, { recursive: true, force: true }), history: history?.value ?? null });
}
