// ComputeCapabilitiesFilter (nova/scheduler/filters/compute_capabilities_filter.py): each
// flavor extra spec `capabilities:ATTR` — or a bare key naming a HostState attribute — must
// match the host's attribute through Nova's operators (extra-specs-ops.ts). claimplan knows
// a host's hypervisor, name and totals; a key reaching further into HostState (`cpu_info`,
// stats) finds nothing, and Nova then refuses the host (docs/semantics.md, "Filters").
import type { ComputeNode } from '../../core/compute-node.ts';
import { extraSpecMatches } from './extra-specs-ops.ts';
import type { HostFilter } from './host-filter.ts';

export const DEFAULT_HYPERVISOR_TYPE = 'QEMU';
export const DEFAULT_HYPERVISOR_VERSION = 7002000;

/** The HostState attributes claimplan models, as str() prints them. */
const CAPABILITIES: Record<string, (node: ComputeNode) => string> = {
  host: (node) => node.name,
  nodename: (node) => node.name,
  hypervisor_hostname: (node) => node.name,
  hypervisor_type: (node) => node.spec.hypervisor_type ?? DEFAULT_HYPERVISOR_TYPE,
  hypervisor_version: (node) => String(node.spec.hypervisor_version ?? DEFAULT_HYPERVISOR_VERSION),
  vcpus_total: (node) => String(node.spec.vcpus),
  total_usable_ram_mb: (node) => String(node.spec.memory_mb),
  total_usable_disk_gb: (node) => String(node.spec.local_gb),
};

/** Whether a flavor extra spec is one the filter reads: `capabilities:…`, or a bare key naming a modelled attribute. */
function isCapabilityKey(key: string): boolean {
  return key.startsWith('capabilities:') || (!key.includes(':') && Object.hasOwn(CAPABILITIES, key));
}

export const COMPUTE_CAPABILITIES_FILTER: HostFilter = {
  name: 'ComputeCapabilitiesFilter',
  readsUsage: false,
  refusal({ node }, { flavor }) {
    for (const [key, requirement] of Object.entries(flavor.extra_specs)) {
      if (!isCapabilityKey(key)) continue;
      const scope = key.includes(':') ? key.split(':').slice(1) : [key];
      // One level: an attribute; deeper scopes read into a JSON or object claimplan does not model.
      const capability = scope.length === 1 && Object.hasOwn(CAPABILITIES, scope[0]) ? CAPABILITIES[scope[0]](node) : null;
      if (capability === null) return `the host has no capability ${scope.join(':')} (ComputeCapabilitiesFilter)`;
      if (!extraSpecMatches(capability, requirement)) return `${key} '${requirement}' does not match '${capability}' (ComputeCapabilitiesFilter)`;
    }
    return null;
  },
};
