// The compute API's flavor bodies (nova api-ref, "Flavors"): detail `{"flavors": […]}`
// and show `{"flavor": {…}}`. The ephemeral disk is `OS-FLV-EXT-DATA:ephemeral`; swap is
// `""` for none before 2.75 and 0 from it; `extra_specs` is inline from 2.61 on. The
// plain list (`GET /flavors`) and `os-extra_specs` bodies name no figures or no flavor.
import { isFields } from '../fields.ts';
import { allHave, extraSpecsOf, rowsUnder, rowUnder, type Row } from './cells.ts';
import { EXPORT_COMMANDS } from './commands.ts';
import { emptyPartialPlan, refused, type Diagnostics, type ExportForm, type FlavorExport, type PartialPlan } from './partial-plan.ts';

const DETAIL = 'GET /flavors/detail';
const SHOW = 'GET /flavors/{flavor_id}';

/**
 * A flavor in the API's field names (id, name, vcpus, ram, disk, OS-FLV-EXT-DATA:ephemeral,
 * swap), its extra specs under `specsKey`: `flavor show` calls them properties.
 */
export function flavorOf(row: Row, diagnostics: Diagnostics, specsKey = 'extra_specs'): FlavorExport | null {
  const name = row.text('name');
  const specs = specsKey in row.fields ? extraSpecsOf(row.fields[specsKey], row, specsKey, diagnostics) : null;
  const flavor = {
    origin: row.origin,
    id: row.text('id', false),
    name: name ?? '',
    vcpus: row.count('vcpus') ?? 0,
    memory_mb: row.count('ram') ?? 0,
    root_gb: row.count('disk') ?? 0,
    ephemeral_gb: row.count('OS-FLV-EXT-DATA:ephemeral', false) ?? 0,
    swap: row.count('swap', false) ?? 0,
    extra_specs: specs,
  };
  return name === null ? null : flavor;
}

function readFlavors(rows: Row[], diagnostics: Diagnostics): PartialPlan {
  const plan = emptyPartialPlan();
  for (const row of rows) {
    const flavor = flavorOf(row, diagnostics);
    if (flavor) plan.flavors.push(flavor);
  }
  return plan;
}

export const novaFlavorDetail: ExportForm = {
  name: DETAIL,
  recognise: (value) => isFields(value) && allHave(value.flavors, ['name', 'ram']),
  read: (document, diagnostics) => readFlavors(rowsUnder(document, 'flavors', diagnostics, DETAIL), diagnostics),
};

export const novaFlavorShow: ExportForm = {
  name: SHOW,
  recognise: (value) => isFields(value) && isFields(value.flavor) && 'ram' in value.flavor,
  read: (document, diagnostics) => readFlavors([rowUnder(document, 'flavor', diagnostics, SHOW)], diagnostics),
};

/** `GET /flavors` gives ids and names only. */
export const novaFlavorList: ExportForm = {
  name: 'GET /flavors',
  recognise: (value) => isFields(value) && allHave(value.flavors, ['id', 'name']),
  read: refused(['flavors'], `is \`GET /flavors\`, which lists names only: export \`${EXPORT_COMMANDS.flavorDetail}\` (or \`${EXPORT_COMMANDS.flavorList}\`)`),
};

/** `GET /flavors/{flavor_id}/os-extra_specs` does not say whose specs they are. */
export const novaFlavorExtraSpecs: ExportForm = {
  name: 'GET /flavors/{flavor_id}/os-extra_specs',
  recognise: (value) => isFields(value) && Object.keys(value).length === 1 && isFields(value.extra_specs),
  read: refused(
    ['extra_specs'],
    `is \`GET /flavors/{flavor_id}/os-extra_specs\`, which does not name its flavor: export the flavors with their extra specs, \`${EXPORT_COMMANDS.flavorDetail}\` (or \`${EXPORT_COMMANDS.flavorList}\`)`,
  ),
};
