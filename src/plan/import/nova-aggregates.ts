// Host aggregates: the compute API's `{"aggregates": [{name, uuid, hosts, metadata,
// availability_zone}]}` and `{"aggregate": {…}}` (nova api-ref, "Host Aggregates"; uuid
// from 2.41), and openstackclient's `aggregate show -f json` and `aggregate list --long
// -f json` (openstackclient/compute/v2/aggregate.py), whose metadata is `properties`.
// Hosts are compute service hosts; the uuid is the one Placement's aggregates carry.
import { isFields } from '../fields.ts';
import { allHave, extraSpecsOf, oneOrMany, rowsOf, rowsUnder, rowUnder, showRows, type Row } from './cells.ts';
import { EXPORT_COMMANDS } from './commands.ts';
import { emptyPartialPlan, originOf, type Diagnostics, type ExportForm, type PartialPlan } from './partial-plan.ts';

function readAggregates(rows: Row[], diagnostics: Diagnostics, keys: { name: string; hosts: string; zone: string; metadata: string; uuid: string }): PartialPlan {
  const plan = emptyPartialPlan();
  for (const row of rows) {
    const name = row.text(keys.name);
    if (name === null) continue;
    const hosts = row.fields[keys.hosts];
    if (!(keys.hosts in row.fields)) {
      diagnostics.warn(row.origin, [], `aggregate \`${name}\` lists no hosts in this export, so it labels none: export \`${EXPORT_COMMANDS.aggregateShow}\``);
    }
    const metadata = extraSpecsOf(row.fields[keys.metadata], row, keys.metadata, diagnostics) ?? {};
    plan.aggregates.push({
      origin: row.origin,
      name,
      uuid: row.text(keys.uuid, false),
      hosts: Array.isArray(hosts) ? hosts.map(String) : typeof hosts === 'string' && hosts !== '' ? hosts.split(/,\s*/) : [],
      availabilityZone: row.text(keys.zone, false) ?? metadata.availability_zone ?? null,
      metadata,
    });
  }
  return plan;
}

const API_KEYS = { name: 'name', hosts: 'hosts', zone: 'availability_zone', metadata: 'metadata', uuid: 'uuid' };
const isApiAggregate = (value: unknown) => isFields(value) && 'name' in value && 'hosts' in value && 'metadata' in value;

export const novaAggregateList: ExportForm = {
  name: 'GET /os-aggregates',
  recognise: (value) => isFields(value) && Array.isArray(value.aggregates) && value.aggregates.length > 0 && value.aggregates.every(isApiAggregate),
  read: (document, diagnostics) =>
    readAggregates(rowsUnder(document, 'aggregates', diagnostics, 'GET /os-aggregates'), diagnostics, API_KEYS),
};

export const novaAggregateShow: ExportForm = {
  name: 'GET /os-aggregates/{aggregate_id}',
  recognise: (value) => isFields(value) && isApiAggregate(value.aggregate),
  read: (document, diagnostics) =>
    readAggregates([rowUnder(document, 'aggregate', diagnostics, 'GET /os-aggregates/{aggregate_id}')], diagnostics, API_KEYS),
};

const SHOW = 'openstack aggregate show -f json';
const isOscShow = (value: unknown) => isFields(value) && 'name' in value && 'hosts' in value && 'properties' in value;

export const oscAggregateShow: ExportForm = {
  name: `${SHOW} (one, or several as a list)`,
  recognise: oneOrMany(isOscShow),
  read: (document, diagnostics) =>
    readAggregates(showRows(document, diagnostics, SHOW), diagnostics, { name: 'name', hosts: 'hosts', zone: 'availability_zone', metadata: 'properties', uuid: 'uuid' }),
};

const LIST = 'openstack aggregate list --long -f json';

export const oscAggregateList: ExportForm = {
  name: LIST,
  recognise: (value) => allHave(value, ['Name', 'Availability Zone']),
  read: (document, diagnostics) =>
    readAggregates(rowsOf(document.value as unknown[], originOf(document), diagnostics, LIST), diagnostics, {
      name: 'Name',
      hosts: 'Hosts',
      zone: 'Availability Zone',
      metadata: 'Properties',
      uuid: 'UUID',
    }),
};
