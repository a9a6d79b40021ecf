// ImagePropertiesFilter (nova/scheduler/filters/image_props_filter.py): an image asking for
// an architecture, hypervisor type or VM mode passes the hosts whose supported_instances
// offer all it asks for in one triple, after Nova's canonical names (nova/objects/fields.py
// `canonicalize`). `img_hv_requested_version` is not modelled (docs/semantics.md, "Filters").
import type { ComputeNode } from '../../core/compute-node.ts';
import type { HostFilter } from './host-filter.ts';

export const DEFAULT_SUPPORTED_INSTANCES: readonly (readonly string[])[] = [['x86_64', 'kvm', 'hvm']];

/** Architecture.canonicalize's aliases. */
export function architecture(name: string): string {
  const lower = name.toLowerCase();
  if (['i386', 'i486', 'i586', 'x86_32', 'x86_32p'].includes(lower)) return 'i686';
  return lower === 'amd64' ? 'x86_64' : lower;
}

/** HVType.canonicalize's alias. */
export function hypervisorType(name: string): string {
  const lower = name.toLowerCase();
  return lower === 'xapi' ? 'xen' : lower;
}

/** VMMode.canonicalize's aliases from before Folsom. */
export function vmMode(name: string): string {
  const lower = name.toLowerCase();
  if (lower === 'pv') return 'xen';
  return lower === 'hv' || lower === 'baremetal' ? 'hvm' : lower;
}

/** The host's triples as Nova's HVSpec objects hold them: canonical names. */
function supportedInstances(node: ComputeNode): readonly (readonly string[])[] {
  const triples = node.spec.supported_instances;
  return triples === undefined ? DEFAULT_SUPPORTED_INSTANCES : triples.map(([arch, type, mode]) => [architecture(arch), hypervisorType(type), vmMode(mode)]);
}

export const IMAGE_PROPERTIES_FILTER: HostFilter = {
  name: 'ImagePropertiesFilter',
  readsUsage: false,
  refusal({ node }, { image }) {
    const properties = image?.properties ?? {};
    const wanted = [
      properties.hw_architecture === undefined ? null : architecture(properties.hw_architecture),
      properties.img_hv_type === undefined ? null : hypervisorType(properties.img_hv_type),
      properties.hw_vm_mode === undefined ? null : vmMode(properties.hw_vm_mode),
    ];
    // Nova tests truthiness: an empty string asks for nothing.
    if (!wanted.some(Boolean)) return null;
    const offered = supportedInstances(node);
    if (offered.some((triple) => wanted.every((part) => !part || triple.includes(part)))) return null;
    return `the image asks for ${wanted.filter(Boolean).join(', ')}, which no supported_instances triple offers (ImagePropertiesFilter)`;
  },
};
