// What a build asks Placement for: Zed's nova/scheduler/utils.py
// `ResourceRequest.from_request_spec`, for a flavor and an empty image (docs/semantics.md,
// "The Placement model"). The flavor has passed numa_get_constraints when the plan was
// loaded, so its CPU policies are ones Nova accepts.
import type { Flavor } from '../../core/model.ts';
import { pythonInt } from '../../topology/cpu-spec.ts';
import type { TopologyRequest } from '../../topology/host-topology.ts';
import { pciNumaPolicyOf } from '../../topology/pci.ts';
import { megabytesToCeilGigabytes } from './inventory.ts';
import { STANDARD_RESOURCE_CLASSES } from './standard-names.ts';

/** One RequestGroup: the unsuffixed one (`resources:`) or a granular one (`resources1:`). */
export interface RequestGroup {
  /** '' for the unsuffixed group */
  suffix: string;
  /** amounts per class, in the order first asked (a dict keeps a key's place when it is set again) */
  resources: Map<string, number>;
  required: Set<string>;
  forbidden: Set<string>;
}

export interface ResourceRequest {
  /** the groups in the order Nova made them, zero amounts and empty groups stripped */
  groups: RequestGroup[];
  /** merged_resources(): each class summed over the groups, in the order first asked */
  resources: Map<string, number>;
  /** `group_policy` as Nova passes it on: 'none', 'isolate', or null when not (validly) given */
  groupPolicy: string | null;
}

/** The requests a build makes: a pinned flavor asks a second time with VCPU instead of PCPU. */
export interface PlacementRequest {
  primary: ResourceRequest;
  /**
   * nova/scheduler/manager.py `select_destinations`: with `hw:cpu_policy=dedicated` and
   * `[workarounds] disable_fallback_pcpu_query` left False, Nova also asks without the
   * pinning translation and merges the candidates, the first query's ahead.
   */
  fallback: ResourceRequest | null;
}

/** ResourceRequest.XS_KEYPAT */
const EXTRA_SPEC_KEY = /^(resources|trait)([a-zA-Z0-9_-]{1,64})?:(.*)$/s;

function isResourceClassNova(name: string): boolean {
  return name.startsWith('CUSTOM_') || STANDARD_RESOURCE_CLASSES.includes(name);
}

class RequestBuilder {
  readonly groups = new Map<string, RequestGroup>();
  groupPolicy: string | null = null;

  /** get_request_group: a group is made the first time it is named. */
  group(suffix: string): RequestGroup {
    let group = this.groups.get(suffix);
    if (!group) this.groups.set(suffix, (group = { suffix, resources: new Map(), required: new Set(), forbidden: new Set() }));
    return group;
  }

  /** RequestGroup.add_resource: an unknown class or an amount int() cannot read (or below 0) is skipped, with Nova's warning. */
  addResource(resourceClass: string, amount: string | number, suffix = ''): void {
    if (!isResourceClassNova(resourceClass)) return;
    const value = typeof amount === 'number' ? amount : pythonInt(amount);
    if (value === null || value < 0) return;
    this.group(suffix).resources.set(resourceClass, value);
  }

  /** RequestGroup.add_trait: only `required` and `forbidden` count. */
  addTrait(trait: string, kind: string, suffix = ''): void {
    if (kind === 'required') this.group(suffix).required.add(trait);
    else if (kind === 'forbidden') this.group(suffix).forbidden.add(trait);
  }

  merged(): Map<string, number> {
    const merged = new Map<string, number>();
    for (const group of this.groups.values()) {
      for (const [resourceClass, amount] of group.resources) merged.set(resourceClass, (merged.get(resourceClass) ?? 0) + amount);
    }
    return merged;
  }
}

/** _process_extra_specs, in the flavor's order. */
function processExtraSpecs(builder: RequestBuilder, flavor: Flavor): void {
  for (const [key, value] of Object.entries(flavor.extra_specs)) {
    if (key === 'group_policy') {
      if (value === 'none' || value === 'isolate') builder.groupPolicy = value;
      continue;
    }
    const match = EXTRA_SPEC_KEY.exec(key);
    if (!match) continue;
    const [, prefix, suffix = '', name] = match;
    if (prefix === 'resources') builder.addResource(name, value, suffix);
    else builder.addTrait(name, value, suffix);
  }
}

/**
 * _translate_pinning_policies: dedicated CPUs become PCPU (a mixed flavor splits its CPUs
 * between VCPU and PCPU by its dedicated mask, here the dedicated guest CPUs
 * numa_get_constraints counted), one more for isolated emulator threads, and the thread
 * policy becomes the HW_CPU_HYPERTHREADING trait.
 */
function translatePinningPolicies(builder: RequestBuilder, flavor: Flavor, topology: TopologyRequest): void {
  const specs = flavor.extra_specs;
  const cpuPolicy = specs['hw:cpu_policy'];
  let pcpus = 0;
  if (cpuPolicy === 'dedicated') pcpus = flavor.vcpus;
  if (cpuPolicy === 'mixed') {
    pcpus = (topology.numa?.cells ?? []).reduce((sum, cell) => sum + cell.pcpuset.length, 0);
    builder.addResource('VCPU', flavor.vcpus - pcpus);
  }
  if (cpuPolicy === 'dedicated' || cpuPolicy === 'mixed') {
    if (specs['hw:emulator_threads_policy'] === 'isolate') pcpus += 1;
    builder.addResource('PCPU', pcpus);
  }
  const threadPolicy = specs['hw:cpu_thread_policy'];
  if (threadPolicy === 'isolate') builder.addTrait('HW_CPU_HYPERTHREADING', 'forbidden');
  if (threadPolicy === 'require') builder.addTrait('HW_CPU_HYPERTHREADING', 'required');
}

function resourceRequest(flavor: Flavor, topology: TopologyRequest, bootFromVolume: boolean, translatePinning: boolean): ResourceRequest {
  const builder = new RequestBuilder();
  processExtraSpecs(builder, flavor);
  if (translatePinning) translatePinningPolicies(builder, flavor, topology);
  // The flavor's own figures, where the extra specs did not already ask for the class.
  const merged = builder.merged();
  if (!merged.has('VCPU') && !merged.has('PCPU')) builder.addResource('VCPU', flavor.vcpus);
  if (!merged.has('MEMORY_MB')) builder.addResource('MEMORY_MB', flavor.memory_mb);
  if (!merged.has('DISK_GB')) {
    const disk = flavor.ephemeral_gb + megabytesToCeilGigabytes(flavor.swap) + (bootFromVolume ? 0 : flavor.root_gb);
    if (disk) builder.addResource('DISK_GB', disk);
  }
  // _translate_pci_numa_affinity_policy: only the socket policy has a trait.
  const pciNumaPolicy = pciNumaPolicyOf(flavor.extra_specs);
  if (pciNumaPolicy.ok && pciNumaPolicy.value === 'socket') builder.addTrait('COMPUTE_SOCKET_PCI_NUMA_AFFINITY', 'required');
  // strip_zeros, then the empty groups go; they hold no amounts, so the merged resources are the kept groups'.
  const groups: RequestGroup[] = [];
  for (const group of builder.groups.values()) {
    for (const [resourceClass, amount] of group.resources) if (amount === 0) group.resources.delete(resourceClass);
    if (group.resources.size > 0 || group.required.size > 0 || group.forbidden.size > 0) groups.push(group);
  }
  return { groups, resources: builder.merged(), groupPolicy: builder.groupPolicy };
}

/**
 * The build's request, and under a dedicated CPU policy the fallback that asks for VCPU.
 * hw:mem_encryption, hw:pmem, hw:tpm_* and os:secure_boot translations are not modelled
 * (docs/semantics.md, "The Placement model").
 */
export function placementRequestFor(flavor: Flavor, topology: TopologyRequest, bootFromVolume: boolean): PlacementRequest {
  const primary = resourceRequest(flavor, topology, bootFromVolume, true);
  const fallback = flavor.extra_specs['hw:cpu_policy'] === 'dedicated' ? resourceRequest(flavor, topology, bootFromVolume, false) : null;
  return { primary, fallback };
}

/** The traits a request names, required or forbidden, over all its groups. */
export function traitsOf(request: ResourceRequest): { required: string[]; forbidden: string[] } {
  const required = new Set<string>();
  const forbidden = new Set<string>();
  for (const group of request.groups) {
    for (const trait of group.required) required.add(trait);
    for (const trait of group.forbidden) forbidden.add(trait);
  }
  return { required: [...required], forbidden: [...forbidden] };
}
