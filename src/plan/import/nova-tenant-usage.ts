// Nova's usage audit (nova/api/openstack/compute/simple_tenant_usage.py): `GET
// /os-simple-tenant-usage?detailed=1` gives `{"tenant_usages": [{tenant_id, …,
// "server_usages": [...]}]}`, and `GET /os-simple-tenant-usage/{tenant_id}` one
// `{"tenant_usage": {…}}`. Each server usage has `name`, `instance_id`, `flavor` (its name;
// empty when the flavor is gone), `started_at` (launched_at), `ended_at` (terminated_at,
// null while it runs), `state`, `tenant_id`, `hours`, `memory_mb`, `local_gb`, `vcpus` and
// `uptime`, times in UTC without an offset. A forecast's history, never a plan: `import`
// recognises the body and says so.
import { isFields, listOf, type Fields } from '../fields.ts';
import type { PathSegment } from '../path.ts';
import type { Source } from '../source.ts';
import { refused, type ExportForm } from './partial-plan.ts';

const NAME = 'GET /os-simple-tenant-usage?detailed=1';

export const novaTenantUsage: ExportForm = {
  name: NAME,
  recognise: (value) => isFields(value) && (Array.isArray(value.tenant_usages) || isFields(value.tenant_usage)),
  read: refused([], `is \`${NAME}\`, the history of the cloud's instances: give it to \`claimplan forecast --history\`, not to import`),
};

/**
 * Each server usage as a lifecycle: named by `name`, as `import` names the instances of
 * `GET /servers/detail`, so that the plan's instances are the history's. An instance that
 * never launched (`started_at` null) never held a host and is left out; one that several
 * pages or tenants list twice (by `instance_id`) counts once.
 */
/** Where the lifecycles read go (history.ts's HistoryCollector): each a server usage's fields, under the names it gives the lifecycle's. */
export interface LifecycleSink {
  addFrom(fields: Fields, source: Source, base: readonly PathSegment[], keys: Readonly<Record<'instance' | 'flavor' | 'start' | 'end' | 'project', string>>): void;
}

export function tenantUsageLifecycles(body: Fields, source: Source, collector: LifecycleSink): void {
  const tenants: [PathSegment[], unknown][] = Array.isArray(body.tenant_usages)
    ? body.tenant_usages.map((tenant, index) => [['tenant_usages', index], tenant])
    : [[['tenant_usage'], body.tenant_usage]];
  const seen = new Set<string>();
  for (const [tenantPath, tenant] of tenants) {
    listOf(isFields(tenant) ? tenant.server_usages : undefined).forEach((usage, index) => {
      if (!isFields(usage) || usage.started_at === null) return;
      if (typeof usage.instance_id === 'string') {
        if (seen.has(usage.instance_id)) return;
        seen.add(usage.instance_id);
      }
      collector.addFrom(usage, source, [...tenantPath, 'server_usages', index], { instance: 'name', flavor: 'flavor', start: 'started_at', end: 'ended_at', project: 'tenant_id' });
    });
  }
}
