// openstackclient's `server list --all-projects --long -f json` rows
// (openstackclient/compute/v2/server.py): `Host` is the compute service, and the flavor
// is named (`Flavor Name`, or `Flavor` in clients that follow compute API 2.47) with its
// id beside it where the API still gives one.
import { allHave, rowsOf } from './cells.ts';
import { EXPORT_COMMANDS } from './commands.ts';
import { emptyPartialPlan, originOf, type ExportForm } from './partial-plan.ts';

const LIST = 'openstack server list --long -f json';
const LIST_COLUMNS = [
  'ID', 'Name', 'Status', 'Task State', 'Power State', 'Networks', 'Image Name', 'Image ID', 'Flavor Name', 'Flavor ID', 'Flavor',
  'Availability Zone', 'Host', 'Properties', 'Project ID', 'User ID', 'Created At', 'Updated At',
];

export const oscServerList: ExportForm = {
  name: LIST,
  recognise: (value) => allHave(value, ['ID', 'Name', 'Status']) && (value as Record<string, unknown>[]).some((row) => 'Flavor Name' in row || 'Flavor' in row || 'Flavor ID' in row),
  read(document, diagnostics) {
    const plan = emptyPartialPlan();
    const rows = rowsOf(document.value as unknown[], originOf(document), diagnostics, LIST);
    for (const row of rows) {
      row.warnUnknownColumns(LIST_COLUMNS);
      const id = row.text('ID');
      const name = row.text('Name');
      if (id === null || name === null) continue;
      plan.servers.push({
        origin: row.origin,
        id,
        name,
        status: row.text('Status', false),
        host: row.text('Host', false),
        hypervisorHostname: null,
        flavor: { id: row.text('Flavor ID', false), name: row.text('Flavor Name', false) ?? row.text('Flavor', false), embedded: null },
      });
    }
    if (rows.length > 0 && !rows.some((row) => 'Host' in row.fields)) {
      diagnostics.warn(rows[0].origin, [], `has no Host column, so no host holds these servers: export \`${EXPORT_COMMANDS.serverList}\` as an administrator`);
    }
    return plan;
  },
};
