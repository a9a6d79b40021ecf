// The compute API's os-hypervisors bodies, every microversion (nova api-ref,
// "Hypervisors"): show `{"hypervisor": {…}}`, detail and list `{"hypervisors": […]}`.
// Below 2.88 a hypervisor carries the compute node's figures; from 2.88 on it does not,
// and Placement has them. `service` is an object whose `host` names the compute service;
// ids are integers before 2.53 and the compute node's UUID (its provider's) from 2.53.
import { isFields } from '../fields.ts';
import { allHave, rowsUnder, rowUnder, type Row } from './cells.ts';
import { EXPORT_COMMANDS, FIGURES_ELSEWHERE } from './commands.ts';
import { emptyPartialPlan, refused, type ExportForm, type HypervisorExport, type HypervisorFigures, type PartialPlan } from './partial-plan.ts';

/** The figures of a hypervisor row in the API's field names (which `hypervisor show` keeps). */
function figuresOf(row: Row): HypervisorFigures | null {
  if (!row.has('vcpus') && !row.has('memory_mb')) return null;
  return {
    vcpus: row.count('vcpus') ?? 0,
    vcpus_used: row.count('vcpus_used') ?? 0,
    memory_mb: row.count('memory_mb') ?? 0,
    memory_mb_used: row.count('memory_mb_used') ?? 0,
    local_gb: row.count('local_gb') ?? 0,
    local_gb_used: row.count('local_gb_used') ?? 0,
    running_vms: row.count('running_vms') ?? 0,
  };
}

const NO_FIGURES = `has no vCPU, memory or disk figures (compute API 2.88 and later leave them out): ${FIGURES_ELSEWHERE}`;

/** A hypervisor row in the API's field names; the clients give the service host and aggregates apart. */
export function hypervisorOf(row: Row, serviceHost: string | null, aggregates: string[] = []): HypervisorExport | null {
  const name = row.text('hypervisor_hostname');
  if (name === null) return null;
  const figures = figuresOf(row);
  return {
    origin: row.origin,
    name,
    id: row.text('id', false),
    serviceHost,
    figures,
    aggregates,
    lacking: figures === null ? NO_FIGURES : null,
    down: row.text('state', false) === 'down',
    disabled: row.text('status', false) === 'disabled',
    hypervisorType: row.text('hypervisor_type', false),
    hypervisorVersion: row.count('hypervisor_version', false),
  };
}

function readHypervisors(rows: Row[]): PartialPlan {
  const plan = emptyPartialPlan();
  for (const row of rows) {
    const service = row.fields.service;
    const hypervisor = hypervisorOf(row, isFields(service) && typeof service.host === 'string' ? service.host : null);
    if (hypervisor) plan.hypervisors.push(hypervisor);
  }
  return plan;
}

const SHOW = 'GET /os-hypervisors/{id}';
const DETAIL = 'GET /os-hypervisors/detail';

export const novaHypervisorShow: ExportForm = {
  name: SHOW,
  recognise: (value) => isFields(value) && isFields(value.hypervisor) && 'hypervisor_hostname' in value.hypervisor,
  read: (document, diagnostics) => readHypervisors([rowUnder(document, 'hypervisor', diagnostics, SHOW)]),
};

export const novaHypervisorDetail: ExportForm = {
  name: `${DETAIL} (or GET /os-hypervisors)`,
  recognise: (value) => isFields(value) && allHave(value.hypervisors, ['hypervisor_hostname']),
  read: (document, diagnostics) => readHypervisors(rowsUnder(document, 'hypervisors', diagnostics, DETAIL)),
};

/** Cloud-wide totals cannot say which host has what: refused, with what to export instead. */
export const novaHypervisorStatistics: ExportForm = {
  name: 'GET /os-hypervisors/statistics',
  recognise: (value) => isFields(value) && isFields(value.hypervisor_statistics),
  read: refused(
    ['hypervisor_statistics'],
    'is `GET /os-hypervisors/statistics`: cloud-wide totals, which cannot say what each host has; ' +
      `export each hypervisor with \`${EXPORT_COMMANDS.hypervisorDetail}\` (or \`${EXPORT_COMMANDS.hypervisorShow}\`)`,
  ),
};
