// Compute services: the compute API's `{"services": [{binary, host, state, status, …}]}`
// (nova api-ref, "Compute services"; `forced_down` from 2.11, uuid ids from 2.53) and
// openstackclient's `compute service list -f json` (openstackclient/compute/v2/service.py).
// Only nova-compute services carry hosts' state: a disabled one takes no build
// (ComputeFilter, and Zed's compute_status_filter), a down one neither.
import { isFields } from '../fields.ts';
import { allHave, rowsOf, rowsUnder, type Row } from './cells.ts';
import { emptyPartialPlan, originOf, type ExportForm, type PartialPlan } from './partial-plan.ts';

function readServices(rows: Row[], keys: { binary: string; host: string; state: string; status: string }): PartialPlan {
  const plan = emptyPartialPlan();
  for (const row of rows) {
    if (row.text(keys.binary, false) !== 'nova-compute') continue;
    const host = row.text(keys.host);
    if (host === null) continue;
    plan.services.push({ origin: row.origin, host, down: row.text(keys.state, false) === 'down', disabled: row.text(keys.status, false) === 'disabled' });
  }
  return plan;
}

const API = 'GET /os-services';

export const novaServiceList: ExportForm = {
  name: API,
  recognise: (value) => isFields(value) && allHave(value.services, ['binary', 'host', 'state', 'status']),
  read: (document, diagnostics) => readServices(rowsUnder(document, 'services', diagnostics, API), { binary: 'binary', host: 'host', state: 'state', status: 'status' }),
};

const LIST = 'openstack compute service list -f json';

export const oscServiceList: ExportForm = {
  name: LIST,
  recognise: (value) => allHave(value, ['Binary', 'Host', 'State', 'Status']),
  read: (document, diagnostics) => readServices(rowsOf(document.value as unknown[], originOf(document), diagnostics, LIST), { binary: 'Binary', host: 'Host', state: 'State', status: 'Status' }),
};
