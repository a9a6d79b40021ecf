// openstackclient's flavor commands in `-f json` or `-f yaml`
// (openstackclient/compute/v2/flavor.py): `flavor list --long` rows with title-case
// columns and the extra specs under Properties, and `flavor show`, the API's flavor with
// `extra_specs` renamed `properties` (several shows gathered with `jq -s` make a list).
import { isFields } from '../fields.ts';
import { allHave, extraSpecsOf, oneOrMany, rowsOf, showRows } from './cells.ts';
import { flavorOf } from './nova-flavors.ts';
import { emptyPartialPlan, originOf, type ExportDocument, type ExportForm, type Diagnostics, type PartialPlan } from './partial-plan.ts';

const LIST = 'openstack flavor list --long -f json';
const LIST_COLUMNS = ['ID', 'Name', 'RAM', 'Disk', 'Ephemeral', 'VCPUs', 'Is Public', 'Swap', 'RXTX Factor', 'Properties', 'Description'];

const SHOW = 'openstack flavor show -f json';
const SHOW_COLUMNS = [
  'OS-FLV-DISABLED:disabled', 'OS-FLV-EXT-DATA:ephemeral', 'access_project_ids', 'description', 'disk', 'id', 'links', 'name',
  'os-flavor-access:is_public', 'properties', 'ram', 'rxtx_factor', 'swap', 'vcpus',
];

export const oscFlavorList: ExportForm = {
  name: LIST,
  recognise: (value) => allHave(value, ['Name', 'RAM']),
  read(document, diagnostics) {
    const plan = emptyPartialPlan();
    for (const row of rowsOf(document.value as unknown[], originOf(document), diagnostics, LIST)) {
      row.warnUnknownColumns(LIST_COLUMNS);
      const name = row.text('Name');
      if (name === null) continue;
      plan.flavors.push({
        origin: row.origin,
        id: row.text('ID', false),
        name,
        vcpus: row.count('VCPUs') ?? 0,
        memory_mb: row.count('RAM') ?? 0,
        root_gb: row.count('Disk') ?? 0,
        ephemeral_gb: row.count('Ephemeral', false) ?? 0,
        swap: row.count('Swap', false) ?? 0,
        // Without --long the list has no Properties column, so the specs are unknown, not none.
        extra_specs: 'Properties' in row.fields ? extraSpecsOf(row.fields.Properties, row, 'Properties', diagnostics) : null,
      });
    }
    return plan;
  },
};

const isShow = (value: unknown) => isFields(value) && 'name' in value && 'ram' in value && 'vcpus' in value && ('properties' in value || 'OS-FLV-EXT-DATA:ephemeral' in value);

function readShows(document: ExportDocument, diagnostics: Diagnostics): PartialPlan {
  const plan = emptyPartialPlan();
  for (const row of showRows(document, diagnostics, SHOW)) {
    row.warnUnknownColumns(SHOW_COLUMNS);
    const flavor = flavorOf(row, diagnostics, 'properties');
    if (flavor) plan.flavors.push(flavor);
  }
  return plan;
}

export const oscFlavorShow: ExportForm = {
  name: `${SHOW} (one, or several as a list)`,
  recognise: oneOrMany(isShow),
  read: readShows,
};
