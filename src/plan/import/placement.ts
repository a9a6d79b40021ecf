// Placement, as its API returns it (placement api-ref: GET /resource_providers,
// /resource_providers/{uuid}, …/inventories, …/usages, …/traits, …/aggregates) and as
// osc-placement prints it in `-f json`/`-f yaml` (osc_placement/resources/*.py:
// `resource provider list|show`, `… inventory list UUID`, `… usage show UUID`,
// `… trait list UUID`, `… aggregate list UUID`). A provider's own listings do not name
// it, so they are saved one provider to a file or folder named after its UUID (or name):
// docs/import.md, "Placement".
import { basename, extname } from 'node:path';
import { INVENTORY_DEFAULTS } from '../../engine/models/placement/inventory.ts';
import { isFields, type Fields } from '../fields.ts';
import { allHave, Row, rowsOf, rowsUnder } from './cells.ts';
import { EXPORT_COMMANDS } from './commands.ts';
import {
  emptyPartialPlan,
  originOf,
  type ExportDocument,
  type ExportForm,
  type InventoryRecord,
  type PartialPlan,
  type ProviderDetail,
} from './partial-plan.ts';
import type { Origin } from '../source.ts';

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;

/** What a file's path offers as its provider: a UUID in it, then its own and its folders' names. */
function providerKeysOf(path: string): string[] {
  const uuids = [...path.matchAll(UUID)].map((match) => match[0].toLowerCase());
  const segments = path.split(/[\\/]/).filter((segment) => segment !== '' && segment !== '.' && segment !== '..');
  const names = segments.map((segment, index) => (index === segments.length - 1 ? basename(segment, extname(segment)) : segment)).reverse();
  return [...uuids.reverse(), ...names];
}

function inventoryOf(row: Row): InventoryRecord | null {
  const total = row.count('total');
  if (total === null) return null;
  const count = (key: 'reserved' | 'min_unit' | 'max_unit' | 'step_size') => (row.has(key) ? row.count(key) : null) ?? INVENTORY_DEFAULTS[key];
  return {
    total,
    reserved: count('reserved'),
    min_unit: count('min_unit'),
    max_unit: count('max_unit'),
    step_size: count('step_size'),
    allocation_ratio: (row.has('allocation_ratio') ? row.ratio('allocation_ratio') : null) ?? INVENTORY_DEFAULTS.allocation_ratio,
  };
}

function detail(document: ExportDocument, facts: Omit<ProviderDetail, 'origin' | 'provider'>, path: (string | number)[] = []): PartialPlan {
  const plan = emptyPartialPlan();
  plan.providerDetails.push({ origin: originOf(document, path), provider: providerKeysOf(document.path), ...facts });
  return plan;
}

function providerRows(rows: Row[]): PartialPlan {
  const plan = emptyPartialPlan();
  for (const row of rows) {
    const uuid = row.text('uuid');
    const name = row.text('name');
    if (uuid === null || name === null) continue;
    plan.providers.push({
      origin: row.origin,
      uuid: uuid.toLowerCase(),
      name,
      parentUuid: row.text('parent_provider_uuid', false)?.toLowerCase() ?? null,
      rootUuid: row.text('root_provider_uuid', false)?.toLowerCase() ?? null,
    });
  }
  return plan;
}

const isProvider = (value: unknown) => isFields(value) && 'uuid' in value && 'name' in value && 'generation' in value;

export const placementProviders: ExportForm = {
  name: 'GET /resource_providers',
  recognise: (value) => isFields(value) && Array.isArray(value.resource_providers),
  read: (document, diagnostics) =>
    providerRows(rowsUnder(document, 'resource_providers', diagnostics, 'GET /resource_providers')),
};

export const placementProvider: ExportForm = {
  name: 'GET /resource_providers/{uuid} (or `openstack resource provider show UUID -f json`)',
  recognise: isProvider,
  read: (document, diagnostics) => providerRows([new Row(document.value as Fields, originOf(document), diagnostics, 'openstack resource provider show -f json')]),
};

export const oscProviderList: ExportForm = {
  name: EXPORT_COMMANDS.providerList,
  recognise: (value) => Array.isArray(value) && value.length > 0 && value.every(isProvider),
  read: (document, diagnostics) => providerRows(rowsOf(document.value as unknown[], originOf(document), diagnostics, EXPORT_COMMANDS.providerList)),
};

export const placementInventories: ExportForm = {
  name: 'GET /resource_providers/{uuid}/inventories',
  recognise: (value) => isFields(value) && isFields(value.inventories) && 'resource_provider_generation' in value,
  read(document, diagnostics) {
    const inventories: Record<string, InventoryRecord> = {};
    for (const [resourceClass, record] of Object.entries((document.value as { inventories: Fields }).inventories)) {
      const origin = originOf(document, ['inventories', resourceClass]);
      if (!isFields(record)) {
        diagnostics.error(origin, [], 'must be an inventory record (total, reserved, min_unit, max_unit, step_size, allocation_ratio)');
        continue;
      }
      const inventory = inventoryOf(new Row(record, origin, diagnostics, 'GET /resource_providers/{uuid}/inventories'));
      if (inventory) inventories[resourceClass] = inventory;
    }
    return detail(document, { inventories });
  },
};

export const placementUsages: ExportForm = {
  name: 'GET /resource_providers/{uuid}/usages',
  recognise: (value) => isFields(value) && isFields(value.usages),
  read(document, diagnostics) {
    const body = document.value as Fields & { usages: Fields };
    // GET /usages answers for a project, and has no provider generation.
    if (!('resource_provider_generation' in body)) {
      diagnostics.error(originOf(document, ['usages']), [], `is a project's usage (\`GET /usages\`), not a provider's: export \`${EXPORT_COMMANDS.usageShow}\` for each provider`);
      return emptyPartialPlan();
    }
    const usages: Record<string, number> = {};
    const row = new Row(body.usages, originOf(document, ['usages']), diagnostics, 'GET /resource_providers/{uuid}/usages');
    for (const resourceClass of Object.keys(body.usages)) {
      const usage = row.count(resourceClass);
      if (usage !== null) usages[resourceClass] = usage;
    }
    return detail(document, { usages });
  },
};

const stringList = (value: unknown): value is string[] => Array.isArray(value) && value.every((item) => typeof item === 'string');

export const placementTraits: ExportForm = {
  name: 'GET /resource_providers/{uuid}/traits',
  recognise: (value) => isFields(value) && stringList(value.traits),
  read(document, diagnostics) {
    const body = document.value as Fields & { traits: string[] };
    // GET /traits lists every trait Placement knows, and has no provider generation.
    if (!('resource_provider_generation' in body)) {
      diagnostics.error(originOf(document, ['traits']), [], `is \`GET /traits\` (every trait Placement knows), not a provider's: export \`${TRAIT_LIST}\` for each provider`);
      return emptyPartialPlan();
    }
    return detail(document, { traits: body.traits });
  },
};

export const placementAggregates: ExportForm = {
  name: 'GET /resource_providers/{uuid}/aggregates',
  recognise: (value) => isFields(value) && stringList(value.aggregates),
  read: (document) => detail(document, { aggregates: (document.value as { aggregates: string[] }).aggregates.map((uuid) => uuid.toLowerCase()) }),
};

/** osc-placement's `inventory list` rows; newer releases add the class's `used` amount. */
function inventoryRows(rows: Row[], origin: Origin, provider: string[]): ProviderDetail {
  const inventories: Record<string, InventoryRecord> = {};
  const usages: Record<string, number> = {};
  for (const row of rows) {
    row.warnUnknownColumns(['resource_class', 'allocation_ratio', 'max_unit', 'reserved', 'step_size', 'min_unit', 'total', 'used']);
    const resourceClass = row.text('resource_class');
    const inventory = inventoryOf(row);
    if (resourceClass === null || inventory === null) continue;
    inventories[resourceClass] = inventory;
    if (row.has('used')) usages[resourceClass] = row.count('used') ?? 0;
  }
  return { origin, provider, inventories, ...(Object.keys(usages).length > 0 ? { usages } : {}) };
}

function usageRows(rows: Row[], origin: Origin, provider: string[]): ProviderDetail {
  const usages: Record<string, number> = {};
  for (const row of rows) {
    row.warnUnknownColumns(['resource_class', 'usage']);
    const resourceClass = row.text('resource_class');
    const usage = row.count('usage');
    if (resourceClass !== null && usage !== null) usages[resourceClass] = usage;
  }
  return { origin, provider, usages };
}

const traitRows = (rows: Row[], origin: Origin, provider: string[]): ProviderDetail => ({ origin, provider, traits: rows.flatMap((row) => row.text('name') ?? []) });

const aggregateRows = (rows: Row[], origin: Origin, provider: string[]): ProviderDetail => ({
  origin,
  provider,
  aggregates: rows.flatMap((row) => row.text('uuid')?.toLowerCase() ?? []),
});

const INVENTORY_LIST = 'openstack resource provider inventory list UUID -f json';
const USAGE_SHOW = 'openstack resource provider usage show UUID -f json';
const TRAIT_LIST = 'openstack resource provider trait list UUID -f json';
const AGGREGATE_LIST = 'openstack resource provider aggregate list UUID -f json';

type DetailRows = (rows: Row[], origin: Origin, provider: string[]) => ProviderDetail;

function oscDetail(form: string, read: DetailRows): ExportForm['read'] {
  return (document, diagnostics) => {
    const plan = emptyPartialPlan();
    const origin = originOf(document);
    plan.providerDetails.push(read(rowsOf(document.value as unknown[], origin, diagnostics, form), origin, providerKeysOf(document.path)));
    return plan;
  };
}

export const oscInventoryList: ExportForm = {
  name: INVENTORY_LIST,
  recognise: (value) => allHave(value, ['resource_class', 'total']),
  read: oscDetail(INVENTORY_LIST, inventoryRows),
};

export const oscUsageShow: ExportForm = {
  name: USAGE_SHOW,
  recognise: (value) => allHave(value, ['resource_class', 'usage']),
  read: oscDetail(USAGE_SHOW, usageRows),
};

const onlyKey = (value: unknown, key: string) => allHave(value, [key]) && (value as Fields[]).every((row) => Object.keys(row).every((column) => column === key || column === 'generation'));

export const oscTraitList: ExportForm = {
  name: TRAIT_LIST,
  recognise: (value) => onlyKey(value, 'name'),
  read: oscDetail(TRAIT_LIST, traitRows),
};

export const oscAggregateUuidList: ExportForm = {
  name: AGGREGATE_LIST,
  recognise: (value) => onlyKey(value, 'uuid'),
  read: oscDetail(AGGREGATE_LIST, aggregateRows),
};

/**
 * The one-file bundle earlier claimplan releases documented: `resource provider list`
 * under `providers`, and each provider's `inventory list`, `usage show` (and now
 * `trait list`, `aggregate list`) rows under its UUID.
 */
export const placementBundle: ExportForm = {
  name: 'claimplan Placement bundle {providers, inventories, usages, traits, aggregates}',
  recognise: (value) => isFields(value) && Array.isArray(value.providers) && isFields(value.inventories),
  read(document, diagnostics) {
    const body = document.value as Fields;
    const plan = providerRows(rowsOf(body.providers as unknown[], originOf(document, ['providers']), diagnostics, EXPORT_COMMANDS.providerList));
    const perProvider = (key: string, form: string, read: DetailRows) => {
      const section = body[key];
      if (section === undefined) return;
      if (!isFields(section)) {
        diagnostics.error(originOf(document, [key]), [], `must map each provider's UUID to its \`${form}\` rows`);
        return;
      }
      for (const [uuid, rows] of Object.entries(section)) {
        const origin = originOf(document, [key, uuid]);
        if (!Array.isArray(rows)) {
          diagnostics.error(origin, [], `must be the list \`${form}\` prints`);
          continue;
        }
        plan.providerDetails.push(read(rowsOf(rows, origin, diagnostics, form), origin, [uuid.toLowerCase()]));
      }
    };
    perProvider('inventories', INVENTORY_LIST, inventoryRows);
    perProvider('usages', USAGE_SHOW, usageRows);
    perProvider('traits', TRAIT_LIST, traitRows);
    perProvider('aggregates', AGGREGATE_LIST, aggregateRows);
    return plan;
  },
};
