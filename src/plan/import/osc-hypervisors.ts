// openstackclient's hypervisor commands in `-f json` or `-f yaml`
// (openstackclient/compute/v2/hypervisor.py): `hypervisor show` is the API's hypervisor
// with `service` split into service_id and service_host and the aggregates' names added
// (several shows gathered with `jq -s` make a list); `hypervisor list --long` has
// vCPU and memory columns below compute API 2.88, and never disk.
import { isFields } from '../fields.ts';
import { allHave, oneOrMany, rowsOf, showRows } from './cells.ts';
import { EXPORT_COMMANDS, FIGURES_ELSEWHERE } from './commands.ts';
import { hypervisorOf } from './nova-hypervisors.ts';
import { emptyPartialPlan, originOf, refused, type Diagnostics, type ExportDocument, type ExportForm, type PartialPlan } from './partial-plan.ts';

const SHOW = 'openstack hypervisor show -f json';
/** Every column `hypervisor show` has printed, from the novaclient-based clients to the SDK-based ones. */
const SHOW_COLUMNS = [
  'aggregates', 'cpu_info', 'current_workload', 'disk_available_least', 'free_disk_gb', 'free_ram_mb', 'host_ip', 'host_time',
  'hypervisor_hostname', 'hypervisor_type', 'hypervisor_version', 'id', 'load_average', 'local_gb', 'local_gb_used', 'memory_mb',
  'memory_mb_used', 'running_vms', 'servers', 'service_host', 'service_id', 'state', 'status', 'uptime', 'users', 'vcpus', 'vcpus_used',
];

const LIST = 'openstack hypervisor list --long -f json';
const LIST_COLUMNS = ['ID', 'Hypervisor Hostname', 'Hypervisor Type', 'Host IP', 'State', 'vCPUs Used', 'vCPUs', 'Memory MB Used', 'Memory MB'];

/** A show of a hypervisor: an object with its hostname and no `service` object (the API's). */
const isShow = (value: unknown) => isFields(value) && 'hypervisor_hostname' in value && !isFields(value.service);

function readShows(document: ExportDocument, diagnostics: Diagnostics): PartialPlan {
  const plan = emptyPartialPlan();
  for (const row of showRows(document, diagnostics, SHOW)) {
    row.warnUnknownColumns(SHOW_COLUMNS);
    const aggregates = row.fields.aggregates;
    const hypervisor = hypervisorOf(row, row.text('service_host', false), Array.isArray(aggregates) ? aggregates.map(String) : []);
    if (hypervisor) plan.hypervisors.push(hypervisor);
  }
  return plan;
}

export const oscHypervisorShow: ExportForm = {
  name: `${SHOW} (one, or several as a list)`,
  recognise: oneOrMany(isShow),
  read: readShows,
};

export const oscHypervisorList: ExportForm = {
  name: LIST,
  recognise: (value) => allHave(value, ['Hypervisor Hostname']),
  read(document, diagnostics) {
    const plan = emptyPartialPlan();
    for (const row of rowsOf(document.value as unknown[], originOf(document), diagnostics, LIST)) {
      row.warnUnknownColumns(LIST_COLUMNS);
      const name = row.text('Hypervisor Hostname');
      if (name === null) continue;
      const long = row.has('vCPUs') || row.has('Memory MB');
      plan.hypervisors.push({
        origin: row.origin,
        name,
        id: row.text('ID', false),
        serviceHost: null,
        figures: long
          ? { vcpus: row.count('vCPUs') ?? 0, vcpus_used: row.count('vCPUs Used') ?? 0, memory_mb: row.count('Memory MB') ?? 0, memory_mb_used: row.count('Memory MB Used') ?? 0 }
          : null,
        aggregates: [],
        down: row.text('State', false) === 'down',
        disabled: false,
        hypervisorType: row.text('Hypervisor Type', false),
        hypervisorVersion: null,
        lacking: long
          ? `\`hypervisor list --long\` has no disk figures: export \`${EXPORT_COMMANDS.hypervisorShow}\` for each hypervisor, or give Placement's`
          : `has no vCPU, memory or disk figures (\`hypervisor list\` without --long, or compute API 2.88 and later): ${FIGURES_ELSEWHERE}`,
      });
    }
    return plan;
  },
};

/** `hypervisor stats show`: cloud-wide totals, refused with what to export instead. */
export const oscHypervisorStats: ExportForm = {
  name: 'openstack hypervisor stats show -f json',
  recognise: (value) => isFields(value) && 'count' in value && 'vcpus' in value && 'memory_mb' in value && !('hypervisor_hostname' in value),
  read: refused(
    [],
    'is `openstack hypervisor stats show`: cloud-wide totals, which cannot say what each host has; ' +
      `export each hypervisor with \`${EXPORT_COMMANDS.hypervisorShow}\` (several gathered with \`jq -s .\`)`,
  ),
};
