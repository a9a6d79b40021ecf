// The compute API's server bodies (nova api-ref, "Servers"): detail `{"servers": […]}`
// and show `{"server": {…}}`, read for the instances each compute node holds. An admin
// sees `OS-EXT-SRV-ATTR:host` and `OS-EXT-SRV-ATTR:hypervisor_hostname`; from 2.47 on the
// server embeds its flavor (original_name, vcpus, ram, disk, ephemeral, swap,
// extra_specs), before it names the flavor's id only.
import { isFields } from '../fields.ts';
import { allHave, extraSpecsOf, Row, rowsUnder, rowUnder } from './cells.ts';
import { EXPORT_COMMANDS } from './commands.ts';
import { emptyPartialPlan, refused, type Diagnostics, type ExportForm, type PartialPlan, type ServerFlavor } from './partial-plan.ts';

const DETAIL = 'GET /servers/detail';
const HOST = 'OS-EXT-SRV-ATTR:host';
const HYPERVISOR = 'OS-EXT-SRV-ATTR:hypervisor_hostname';

function flavorOfServer(row: Row, diagnostics: Diagnostics): ServerFlavor {
  const flavor = row.fields.flavor;
  if (!isFields(flavor)) {
    diagnostics.error(row.origin, ['flavor'], 'must be an object with the flavor\'s id or, from compute API 2.47 on, its figures');
    return { id: null, name: null, embedded: null };
  }
  const cells = new Row(flavor, { source: row.origin.source, path: [...row.origin.path, 'flavor'] }, diagnostics, DETAIL);
  if (!('original_name' in flavor)) return { id: cells.text('id'), name: null, embedded: null };
  return {
    id: null,
    name: cells.text('original_name'),
    embedded: {
      vcpus: cells.count('vcpus') ?? 0,
      memory_mb: cells.count('ram') ?? 0,
      root_gb: cells.count('disk') ?? 0,
      ephemeral_gb: cells.count('ephemeral', false) ?? 0,
      swap: cells.count('swap', false) ?? 0,
      extra_specs: extraSpecsOf(flavor.extra_specs, cells, 'extra_specs', diagnostics) ?? {},
    },
  };
}

function readServers(rows: Row[], diagnostics: Diagnostics): PartialPlan {
  const plan = emptyPartialPlan();
  let hostsHidden = 0;
  for (const row of rows) {
    const id = row.text('id');
    const name = row.text('name');
    if (id === null || name === null) continue;
    if (!(HOST in row.fields)) hostsHidden++;
    plan.servers.push({
      origin: row.origin,
      id,
      name,
      status: row.text('status', false),
      host: row.text(HOST, false),
      hypervisorHostname: row.text(HYPERVISOR, false),
      flavor: flavorOfServer(row, diagnostics),
    });
  }
  if (hostsHidden > 0) {
    diagnostics.warn(
      rows[0].origin,
      [],
      `${hostsHidden} server${hostsHidden === 1 ? ' has' : 's have'} no \`${HOST}\` (only administrators see it), so no host holds them: ` +
        `export \`${EXPORT_COMMANDS.serverDetail}\` as an administrator`,
    );
  }
  return plan;
}

export const novaServerDetail: ExportForm = {
  name: DETAIL,
  recognise: (value) => isFields(value) && allHave(value.servers, ['id', 'flavor']),
  read: (document, diagnostics) => readServers(rowsUnder(document, 'servers', diagnostics, DETAIL), diagnostics),
};

export const novaServerShow: ExportForm = {
  name: 'GET /servers/{server_id}',
  recognise: (value) => isFields(value) && isFields(value.server) && 'flavor' in value.server,
  read: (document, diagnostics) => readServers([rowUnder(document, 'server', diagnostics, DETAIL)], diagnostics),
};

/** `GET /servers` gives ids and names only. */
export const novaServerList: ExportForm = {
  name: 'GET /servers',
  recognise: (value) => isFields(value) && allHave(value.servers, ['id', 'name']),
  read: refused(['servers'], `is \`GET /servers\`, which lists names only: export \`${EXPORT_COMMANDS.serverDetail}\` (or \`${EXPORT_COMMANDS.serverList}\`)`),
};
