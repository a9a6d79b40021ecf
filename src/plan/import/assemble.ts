// The partial plans of every export, put together into one plan: hypervisors matched to
// their resource providers (by UUID, then name), Placement's inventories, usages, traits
// and aggregates onto those hosts, servers onto the hosts they run on as instances, flavors
// kept whole. Whatever a plan cannot hold, and every assumption, is a warning naming the
// host or flavor (docs/import.md, "What is kept, and what is said").
import { INVENTORY_DEFAULTS, refusesInventory } from '../../engine/models/placement/inventory.ts';
import { nominalResources } from '../../engine/core/compute-node.ts';
import { existingAllocation } from '../../engine/models/placement/placement-model.ts';
import { placementRequestFor } from '../../engine/models/placement/resource-request.ts';
import { topologyRequestFor } from '../../engine/topology/host-topology.ts';
import { isResourceClassName, isTraitName } from '../placement-keys.ts';
import { EXPORT_COMMANDS } from './commands.ts';
import type {
  AggregateExport,
  Diagnostics,
  FlavorExport,
  FlavorFigures,
  HypervisorExport,
  InventoryRecord,
  PartialPlan,
  ProviderExport,
  ServerExport,
  ServiceExport,
} from './partial-plan.ts';
import type { Origin } from '../source.ts';

type PlanFields = Record<string, unknown>;

/** The flavor as a plan writes it (docs/plan-format.md, "Flavors"). */
interface PlanFlavor extends FlavorFigures {
  name: string;
  extra_specs: Record<string, string>;
}

interface ProviderFacts {
  provider: ProviderExport;
  inventories: Map<string, { record: InventoryRecord; origin: Origin }>;
  usages: Map<string, number> | null;
  traits: Set<string>;
  aggregates: Set<string>;
}

interface HostDraft {
  name: string;
  origin: Origin;
  hypervisor: HypervisorExport | null;
  /** the host's root provider and its descendants, root first */
  providers: ProviderFacts[];
  instances: { name: string; flavor: PlanFlavor }[];
  aggregates: Set<string>;
  /** its compute service is down, or disabled, by its hypervisor's export or a service listing */
  down: boolean;
  disabled: boolean;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const RATIO_SETTINGS: Record<string, string> = { VCPU: 'cpu_allocation_ratio', MEMORY_MB: 'ram_allocation_ratio', DISK_GB: 'disk_allocation_ratio' };

/** `{n}` in a plan name is a placeholder (docs/plan-format.md, "Instance names"): braces in a real name become parentheses. */
function planName(name: string, what: string, origin: Origin, diagnostics: Diagnostics): string {
  if (!/[{}]/.test(name)) return name;
  const renamed = name.replace(/\{/g, '(').replace(/\}/g, ')');
  diagnostics.warn(origin, [], `${what} \`${name}\` is named \`${renamed}\` in the plan, where braces number copies`);
  return renamed;
}

function mostCommon(values: number[]): number | undefined {
  const counts = new Map<number, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0]?.[0];
}

const sameFigures = (a: FlavorFigures, b: FlavorFigures) =>
  a.vcpus === b.vcpus && a.memory_mb === b.memory_mb && a.root_gb === b.root_gb && a.ephemeral_gb === b.ephemeral_gb && a.swap === b.swap;
const sameSpecs = (a: Record<string, string>, b: Record<string, string>) =>
  Object.keys(a).length === Object.keys(b).length && Object.entries(a).every(([key, value]) => b[key] === value);

class FlavorCatalogue {
  readonly byName = new Map<string, PlanFlavor>();
  /** where each flavor was read, for warnings about it later */
  readonly origins = new Map<string, Origin>();
  private readonly byId = new Map<string, PlanFlavor>();

  constructor(private readonly diagnostics: Diagnostics) {}

  /** Nova refuses some extra specs outright; a flavor an older cloud kept with them loses its NUMA and PCI specs, said. */
  private checked(flavor: PlanFlavor, origin: Origin): PlanFlavor {
    const request = topologyRequestFor(flavor, []);
    if (request.ok) return flavor;
    const dropped = Object.keys(flavor.extra_specs).filter((key) => key.startsWith('hw:') || key.startsWith('pci_passthrough:'));
    this.diagnostics.warn(origin, [], `flavor \`${flavor.name}\` has extra specs Nova refuses today (${request.error}): imported without ${dropped.map((key) => `\`${key}\``).join(', ')}`);
    const kept = Object.fromEntries(Object.entries(flavor.extra_specs).filter(([key]) => !dropped.includes(key)));
    return { ...flavor, extra_specs: kept };
  }

  add(exported: FlavorExport): void {
    const { origin } = exported;
    if (exported.vcpus < 1 || exported.memory_mb < 1) {
      this.diagnostics.warn(origin, [], `flavor \`${exported.name}\` has ${exported.vcpus} vCPUs and ${exported.memory_mb} MB of memory, which no build can use: left out`);
      return;
    }
    const name = planName(exported.name, 'flavor', origin, this.diagnostics);
    const earlier = this.byName.get(name);
    if (earlier) {
      if (!sameFigures(earlier, exported)) this.diagnostics.warn(origin, [], `flavor \`${name}\` is exported twice with different figures: the first is kept`);
      else if (exported.extra_specs && Object.keys(earlier.extra_specs).length === 0) earlier.extra_specs = exported.extra_specs;
      if (exported.id !== null && !this.byId.has(exported.id)) this.byId.set(exported.id, earlier);
      return;
    }
    if (exported.extra_specs === null) {
      this.diagnostics.warn(origin, [], `flavor \`${name}\`'s extra specs are not in this export: imported without any (export \`${EXPORT_COMMANDS.flavorList}\`, or the API from compute 2.61 on)`);
    }
    const { vcpus, memory_mb, root_gb, ephemeral_gb, swap } = exported;
    const flavor = this.checked({ name, vcpus, memory_mb, root_gb, ephemeral_gb, swap, extra_specs: exported.extra_specs ?? {} }, origin);
    this.byName.set(name, flavor);
    this.origins.set(name, origin);
    if (exported.id !== null) this.byId.set(exported.id, flavor);
  }

  /** The flavor a server was built with: the listed one when it is the same, else the server's own copy, added. */
  ofServer(server: ServerExport): PlanFlavor | null {
    const { flavor } = server;
    if (flavor.embedded === null) {
      const found = (flavor.id !== null ? this.byId.get(flavor.id) : undefined) ?? (flavor.name !== null ? this.byName.get(flavor.name) : undefined);
      if (!found) {
        const which = flavor.name !== null ? `\`${flavor.name}\`` : `id \`${flavor.id}\``;
        this.diagnostics.warn(server.origin, [], `server \`${server.name}\`'s flavor ${which} is in no flavor export: not an instance in the plan (its usage stays in its host's)`);
      }
      return found ?? null;
    }
    const name = flavor.name ?? flavor.id ?? server.id;
    const listed = this.byName.get(name);
    if (listed && sameFigures(listed, flavor.embedded) && sameSpecs(listed.extra_specs, flavor.embedded.extra_specs)) return listed;
    // The flavor was changed or deleted after the server was built: the server's copy is what it holds.
    let copyName = name;
    for (let n = 2; this.byName.has(copyName); n++) {
      const copy = this.byName.get(copyName)!;
      if (copyName !== name && sameFigures(copy, flavor.embedded) && sameSpecs(copy.extra_specs, flavor.embedded.extra_specs)) return copy;
      copyName = `${name}~${n}`;
    }
    const why = listed ? `differs from the flavor \`${name}\` listed now` : 'is in no flavor export (deleted, or private to another project)';
    this.diagnostics.warn(server.origin, ['flavor'], `server \`${server.name}\`'s flavor ${why}: its own copy is added as flavor \`${copyName}\``);
    const copy = this.checked({ name: copyName, ...flavor.embedded }, server.origin);
    this.byName.set(copyName, copy);
    this.origins.set(copyName, server.origin);
    return copy;
  }
}

/** Placement facts by provider, the details attached to the provider their path names. */
function providerFacts(partial: PartialPlan, hypervisors: HypervisorExport[], diagnostics: Diagnostics): Map<string, ProviderFacts> {
  const facts = new Map<string, ProviderFacts>();
  const byName = new Map<string, ProviderFacts>();
  const add = (provider: ProviderExport) => {
    const entry: ProviderFacts = { provider, inventories: new Map(), usages: null, traits: new Set(), aggregates: new Set() };
    facts.set(provider.uuid, entry);
    byName.set(provider.name, entry);
    return entry;
  };
  for (const provider of partial.providers) {
    const earlier = facts.get(provider.uuid);
    if (!earlier) add(provider);
    else if (earlier.provider.name !== provider.name) diagnostics.warn(provider.origin, [], `resource provider ${provider.uuid} is named \`${earlier.provider.name}\` elsewhere: that name is kept`);
  }
  const hasFacts = (detail: PartialPlan['providerDetails'][number]) =>
    Object.keys(detail.inventories ?? {}).length + Object.keys(detail.usages ?? {}).length + (detail.traits?.length ?? 0) + (detail.aggregates?.length ?? 0) > 0;
  // An empty listing (a provider without traits) says nothing, whichever provider it is for.
  for (const detail of partial.providerDetails.filter(hasFacts)) {
    let entry = detail.provider.map((key) => facts.get(key) ?? byName.get(key)).find((found) => found !== undefined);
    const uuid = detail.provider.find((key) => UUID.test(key));
    if (!entry && uuid) {
      // No provider list named it: a hypervisor from compute API 2.53 on has the same UUID.
      const hypervisor = hypervisors.find((candidate) => candidate.id?.toLowerCase() === uuid);
      if (!hypervisor) diagnostics.warn(detail.origin, [], `resource provider ${uuid} is in no provider list and no hypervisor has its UUID: it is named by its UUID`);
      entry = add({ origin: detail.origin, uuid, name: hypervisor?.name ?? uuid, parentUuid: null, rootUuid: null });
    }
    if (!entry) {
      diagnostics.error(
        detail.origin,
        [],
        `cannot tell which resource provider this listing is for: save it in a folder (or file) named after the provider's UUID, e.g. \`${EXPORT_COMMANDS.inventoryList}\``,
      );
      continue;
    }
    for (const [resourceClass, record] of Object.entries(detail.inventories ?? {})) entry.inventories.set(resourceClass, { record, origin: detail.origin });
    if (detail.usages) entry.usages = new Map([...(entry.usages ?? []), ...Object.entries(detail.usages)]);
    for (const trait of detail.traits ?? []) entry.traits.add(trait);
    for (const aggregate of detail.aggregates ?? []) entry.aggregates.add(aggregate);
  }
  return facts;
}

/** The root of a provider's tree, or the provider itself when its parent is not in the exports (said). */
function rootOf(entry: ProviderFacts, facts: Map<string, ProviderFacts>, diagnostics: Diagnostics): ProviderFacts {
  const seen = new Set<string>();
  let current = entry;
  for (;;) {
    const parentUuid = current.provider.rootUuid !== null && current.provider.rootUuid !== current.provider.uuid ? current.provider.rootUuid : current.provider.parentUuid;
    if (parentUuid === null || parentUuid === current.provider.uuid || seen.has(parentUuid)) return current;
    const parent = facts.get(parentUuid);
    if (!parent) {
      diagnostics.warn(current.provider.origin, [], `resource provider \`${current.provider.name}\` belongs to provider ${parentUuid}, which no export lists: imported as a host of its own`);
      return current;
    }
    seen.add(current.provider.uuid);
    current = parent;
  }
}

/** Hypervisors exported twice (a list and a show) are one: the figures, service host, state, type and aggregates of either. */
function mergedHypervisors(hypervisors: HypervisorExport[]): HypervisorExport[] {
  const byName = new Map<string, HypervisorExport>();
  for (const hypervisor of hypervisors) {
    const earlier = byName.get(hypervisor.name);
    if (!earlier) {
      byName.set(hypervisor.name, { ...hypervisor, aggregates: [...hypervisor.aggregates] });
      continue;
    }
    if ((earlier.figures === null || earlier.lacking !== null) && hypervisor.figures !== null && hypervisor.lacking === null) {
      Object.assign(earlier, { figures: hypervisor.figures, lacking: null, origin: hypervisor.origin });
    }
    earlier.id ??= hypervisor.id;
    earlier.serviceHost ??= hypervisor.serviceHost;
    earlier.down ||= hypervisor.down;
    earlier.disabled ||= hypervisor.disabled;
    earlier.hypervisorType ??= hypervisor.hypervisorType;
    earlier.hypervisorVersion ??= hypervisor.hypervisorVersion;
    for (const aggregate of hypervisor.aggregates) if (!earlier.aggregates.includes(aggregate)) earlier.aggregates.push(aggregate);
  }
  return [...byName.values()];
}

/** The host's own provider's classes: a child's stay the child's (docs/plan-format.md, "Nested resource providers"). */
function rootInventories(host: HostDraft): Map<string, InventoryRecord> {
  return new Map([...(host.providers[0]?.inventories ?? [])].map(([resourceClass, { record }]) => [resourceClass, { ...record }]));
}

/** Classes a plan can hold: names Placement 8.0 knows, inventories it would store; the rest left out, said. */
function keptInventories(owner: string, inventories: Iterable<[string, InventoryRecord]>, origin: Origin, diagnostics: Diagnostics): [string, InventoryRecord][] {
  return [...inventories].filter(([resourceClass, record]) => {
    if (!isResourceClassName(resourceClass)) {
      diagnostics.warn(origin, [], `${owner}'s resource class ${resourceClass} is not one Placement 8.0 knows (nor CUSTOM_…): left out`);
      return false;
    }
    if (refusesInventory(record)) {
      diagnostics.warn(origin, [], `${owner}'s ${resourceClass} reserves more than its total: left out, as Placement would refuse it`);
      return false;
    }
    return true;
  });
}

function keptTraits(owner: string, traits: Iterable<string>, origin: Origin, diagnostics: Diagnostics): string[] {
  return [...new Set(traits)].sort().filter((trait) => {
    if (isTraitName(trait)) return true;
    diagnostics.warn(origin, [], `${owner}'s trait ${trait} is not one os-traits of Placement 8.0 knows (nor CUSTOM_…): left out`);
    return false;
  });
}

/**
 * The host's child providers as Placement reports the tree (`GET /resource_providers?in_tree=`):
 * each below its parent, in the order the exports list them, with its own inventories and traits.
 */
function childProviderFields(host: HostDraft, diagnostics: Diagnostics): PlanFields[] {
  const [root, ...descendants] = host.providers;
  const childrenOf = (parentUuid: string): PlanFields[] =>
    descendants
      .filter((entry) => (entry.provider.parentUuid ?? entry.provider.rootUuid) === parentUuid)
      .map((entry) => {
        const owner = `provider \`${entry.provider.name}\``;
        const records = [...entry.inventories].map(([resourceClass, { record }]): [string, InventoryRecord] => [resourceClass, record]);
        const inventories = keptInventories(owner, records, entry.provider.origin, diagnostics);
        const traits = keptTraits(owner, entry.traits, entry.provider.origin, diagnostics);
        const fields: PlanFields = { name: entry.provider.name };
        if (inventories.length > 0) fields.inventories = Object.fromEntries(inventories.map(([resourceClass, record]) => [resourceClass, inventoryFields(record)]));
        if (traits.length > 0) fields.traits = traits;
        const below = childrenOf(entry.provider.uuid);
        if (below.length > 0) fields.providers = below;
        return fields;
      });
  return root ? childrenOf(root.provider.uuid) : [];
}

/** A class's record as the plan writes it: Placement's field names, its API defaults left out. */
function inventoryFields(record: InventoryRecord): PlanFields {
  const fields: PlanFields = { total: record.total };
  for (const key of Object.keys(INVENTORY_DEFAULTS) as (keyof typeof INVENTORY_DEFAULTS)[]) {
    if (record[key] !== INVENTORY_DEFAULTS[key]) fields[key] = record[key];
  }
  return fields;
}

type InstanceClaim = { memory_mb: number; local_gb: number; vcpus: number };

/** What the legacy claim counts for an instance of `flavor` on an imported host (no driver overhead). */
function legacyClaim(flavor: PlanFlavor): InstanceClaim {
  const { memory_mb, disk_gb, vcpus } = nominalResources({ flavor });
  return { memory_mb, local_gb: disk_gb, vcpus };
}

/**
 * What an instance of `flavor` holds in Placement on a host with these classes, as the
 * Placement model will count it: swap rounded up to whole GB in DISK_GB, the extra specs'
 * resources and CPU pinning translated (docs/semantics.md, "The Placement model").
 */
function placementClaim(flavor: PlanFlavor, classes: ReadonlySet<string>): InstanceClaim {
  const topology = topologyRequestFor(flavor, []);
  // The catalogue keeps only flavors whose NUMA and PCI request Nova accepts.
  if (!topology.ok) throw new Error(`flavor ${flavor.name} was catalogued with a refused request: ${topology.error}`);
  const allocation = existingAllocation(placementRequestFor(flavor, topology.value, false), (resourceClass) => classes.has(resourceClass));
  return { memory_mb: allocation.MEMORY_MB ?? 0, local_gb: allocation.DISK_GB ?? 0, vcpus: allocation.VCPU ?? 0 };
}

export function assemblePlan(partial: PartialPlan, diagnostics: Diagnostics): PlanFields {
  const hypervisors = mergedHypervisors(partial.hypervisors);
  const facts = providerFacts(partial, hypervisors, diagnostics);
  const flavors = new FlavorCatalogue(diagnostics);
  for (const flavor of partial.flavors) flavors.add(flavor);

  // Hosts: every hypervisor, then every provider tree no hypervisor claimed that is a compute node.
  const treeOf = new Map<string, ProviderFacts[]>();
  /** each provider's tree, by the provider's UUID */
  const treeHolding = new Map<string, ProviderFacts[]>();
  for (const entry of facts.values()) {
    const root = rootOf(entry, facts, diagnostics);
    const tree = treeOf.get(root.provider.uuid) ?? [root];
    treeHolding.set(entry.provider.uuid, tree);
    if (entry !== root) tree.push(entry);
    treeOf.set(root.provider.uuid, tree);
  }
  const rootByName = new Map([...treeOf.values()].map((tree) => [tree[0].provider.name, tree]));
  const claimed = new Set<string>();
  const hosts: HostDraft[] = [];
  const hostNames = new Set<string>();
  const addHost = (name: string, origin: Origin, hypervisor: HypervisorExport | null, providers: ProviderFacts[]) => {
    let unique = planName(name, 'host', origin, diagnostics);
    if (hostNames.has(unique)) {
      diagnostics.warn(origin, [], `host \`${unique}\` is exported twice: the second is named \`${unique}~2\``);
      unique = `${unique}~2`;
    }
    hostNames.add(unique);
    hosts.push({ name: unique, origin, hypervisor, providers, instances: [], aggregates: new Set(hypervisor?.aggregates ?? []), down: hypervisor?.down ?? false, disabled: hypervisor?.disabled ?? false });
  };
  for (const hypervisor of hypervisors) {
    const tree = (hypervisor.id !== null ? treeHolding.get(hypervisor.id.toLowerCase()) : undefined) ?? rootByName.get(hypervisor.name);
    if (tree) claimed.add(tree[0].provider.uuid);
    addHost(hypervisor.name, hypervisor.origin, hypervisor, tree ?? []);
  }
  for (const tree of treeOf.values()) {
    const root = tree[0];
    if (claimed.has(root.provider.uuid)) continue;
    const classes = tree.flatMap((entry) => [...entry.inventories.keys()]);
    if (!classes.some((resourceClass) => ['VCPU', 'PCPU', 'MEMORY_MB'].includes(resourceClass))) {
      const what = classes.length === 0 ? 'has no inventory in the exports' : `holds no VCPU, PCPU or MEMORY_MB (only ${[...new Set(classes)].join(', ')})`;
      const sharing = root.traits.has('MISC_SHARES_VIA_AGGREGATE') ? '; a provider shared through aggregates has no place in a plan' : '';
      diagnostics.warn(root.provider.origin, [], `resource provider \`${root.provider.name}\` ${what}, so it is no compute node: left out${sharing}`);
      continue;
    }
    if (hypervisors.length > 0) diagnostics.warn(root.provider.origin, [], `no hypervisor export names \`${root.provider.name}\`: it is imported from Placement alone`);
    addHost(root.provider.name, root.provider.origin, null, tree);
  }

  placeServers(partial.servers, hosts, flavors, diagnostics);
  warnOfTopology(flavors, diagnostics);
  applyServices(partial.services, hosts, diagnostics);
  labelAggregates(partial.aggregates, hosts, diagnostics);

  const aggregates = aggregateFields(partial.aggregates, hosts);
  const planHosts = hosts.map((host) => hostFields(host, diagnostics)).filter((fields): fields is PlanFields => fields !== null);
  if (facts.size === 0 && planHosts.length > 0) {
    diagnostics.warn(
      hosts[0].origin,
      [],
      'no Placement data: the plan keeps Nova\'s legacy default `enabled_filters`, which have no CoreFilter, so vCPUs are not limited ' +
        '(set `enabled_filters` as the cloud\'s nova.conf does, or give Placement\'s exports, whose VCPU inventory is enforced)',
    );
  }
  return {
    version: 1,
    cloud: cloudSettings(planHosts, facts.size > 0),
    ...(aggregates.length > 0 ? { aggregates } : {}),
    hosts: planHosts,
    flavors: [...flavors.byName.values()].map(flavorFields),
    requests: [],
  };
}

/** The hosts an aggregate's member names: by the compute service's host, or the compute node's name. */
function membersOf(member: string, hosts: HostDraft[]): HostDraft[] {
  return hosts.filter((host) => host.hypervisor?.serviceHost === member || host.name === member);
}

/** A nova-compute service's state joins its hosts' (docs/import.md, "Services"). */
function applyServices(services: ServiceExport[], hosts: HostDraft[], diagnostics: Diagnostics): void {
  for (const service of services) {
    const found = membersOf(service.host, hosts);
    if (found.length === 0) diagnostics.warn(service.origin, [], `compute service host \`${service.host}\` is no host of the exports: its state is left out`);
    for (const host of found) {
      host.down ||= service.down;
      host.disabled ||= service.disabled;
    }
  }
}

/**
 * Nova's aggregates as the plan's `aggregates:`, in the plan's shape (docs/plan-format.md, "Aggregates"): the zone, the member
 * hosts by their plan names, and the metadata as strings (the zone, which Nova keeps in
 * the metadata too, only as `availability_zone`). An aggregate exported twice (a list
 * and a show) is one. A host whose own export names the aggregate (`hypervisor show`'s
 * `aggregates`) is a member, listed there rather than labelled.
 */
function aggregateFields(aggregates: AggregateExport[], hosts: HostDraft[]): PlanFields[] {
  const byName = new Map<string, { zone: string | null; hosts: Set<string>; metadata: Record<string, string> }>();
  for (const aggregate of aggregates) {
    const entry = byName.get(aggregate.name) ?? { zone: null, hosts: new Set<string>(), metadata: {} };
    entry.zone ??= aggregate.availabilityZone;
    for (const member of aggregate.hosts) for (const host of membersOf(member, hosts)) entry.hosts.add(host.name);
    for (const [key, value] of Object.entries(aggregate.metadata)) if (key !== 'availability_zone') entry.metadata[key] = value;
    byName.set(aggregate.name, entry);
  }
  for (const host of hosts) {
    for (const [name, entry] of byName) {
      if (host.aggregates.delete(name)) entry.hosts.add(host.name);
    }
  }
  return [...byName].map(([name, entry]) => ({
    name,
    ...(entry.zone !== null ? { availability_zone: entry.zone } : {}),
    hosts: [...entry.hosts],
    ...(Object.keys(entry.metadata).length > 0 ? { metadata: entry.metadata } : {}),
  }));
}

/**
 * No API gives a host's NUMA cells or PCI devices, nor nova.conf's PCI aliases: flavors
 * that ask for them replay as Nova would only once the plan describes them.
 */
function warnOfTopology(flavors: FlavorCatalogue, diagnostics: Diagnostics): void {
  const asking = [...flavors.byName.values()].filter((flavor) => {
    const request = topologyRequestFor(flavor, []);
    return request.ok && (request.value.numa !== null || request.value.refusal !== null);
  });
  if (asking.length === 0) return;
  const names = asking.map((flavor) => `\`${flavor.name}\``).join(', ');
  diagnostics.warn(
    flavors.origins.get(asking[0].name)!,
    [],
    `flavor${asking.length === 1 ? '' : 's'} ${names} ask${asking.length === 1 ? 's' : ''} for NUMA placement or PCI devices, and no export or API gives hosts' NUMA cells or PCI devices, ` +
      'nor nova.conf\'s PCI aliases: add `numa:` and `pci:` to the hosts and `pci_aliases` to the plan (docs/plan-format.md), or their builds replay without them',
  );
}

function flavorFields(flavor: PlanFlavor): PlanFields {
  const { extra_specs, ...figures } = flavor;
  return Object.keys(extra_specs).length > 0 ? { ...figures, extra_specs } : figures;
}

/** Servers become their host's instances; the rest are said, grouped, never dropped unsaid. */
function placeServers(servers: ServerExport[], hosts: HostDraft[], flavors: FlavorCatalogue, diagnostics: Diagnostics): void {
  const byNode = new Map(hosts.map((host) => [host.hypervisor?.name ?? host.name, host]));
  const byService = new Map<string, HostDraft[]>();
  for (const host of hosts) {
    const service = host.hypervisor?.serviceHost;
    if (service) byService.set(service, [...(byService.get(service) ?? []), host]);
  }
  const nameCount = new Map<string, number>();
  for (const server of servers) nameCount.set(server.name, (nameCount.get(server.name) ?? 0) + 1);
  const used = new Set<string>();
  const hostless = new Map<string, ServerExport[]>();
  for (const server of servers) {
    const host =
      (server.hypervisorHostname !== null ? byNode.get(server.hypervisorHostname) : undefined) ??
      (server.host !== null ? (byService.get(server.host)?.length === 1 ? byService.get(server.host)![0] : byNode.get(server.host)) : undefined);
    if (!host) {
      if (server.host === null && server.hypervisorHostname === null) {
        const status = server.status ?? 'UNKNOWN';
        hostless.set(status, [...(hostless.get(status) ?? []), server]);
      } else {
        diagnostics.warn(server.origin, [], `server \`${server.name}\` runs on \`${server.hypervisorHostname ?? server.host}\`, which no hypervisor or provider export names: left out`);
      }
      continue;
    }
    const flavor = flavors.ofServer(server);
    if (!flavor) continue;
    let name = planName(server.name, 'server', server.origin, diagnostics);
    // Nova's server names need not be unique; a plan's instance names must.
    if (nameCount.get(server.name)! > 1 || used.has(name)) {
      const short = `${name}@${server.id.slice(0, 8)}`;
      const unique = used.has(short) ? `${name}@${server.id}` : short;
      diagnostics.warn(server.origin, [], `server name \`${name}\` is shared by ${nameCount.get(server.name)} servers: this one is \`${unique}\``);
      name = unique;
    }
    used.add(name);
    host.instances.push({ name, flavor });
  }
  for (const [status, unplaced] of hostless) {
    const count = unplaced.length;
    const which = `${count} server${count === 1 ? '' : 's'} in status ${status}`;
    const holds = count === 1 ? 'has no host (never scheduled, or shelved offloaded): it holds nothing and is left out' : 'have no host (never scheduled, or shelved offloaded): they hold nothing and are left out';
    diagnostics.warn(unplaced[0].origin, [], `${which} ${holds}`);
  }
}

/**
 * Aggregate labels: Placement's aggregate UUIDs by name, and, when the plan has no
 * `aggregates:` to hold them, Nova's aggregates and their zones by service host.
 */
function labelAggregates(aggregates: AggregateExport[], hosts: HostDraft[], diagnostics: Diagnostics): void {
  const nameOfUuid = new Map(aggregates.flatMap((aggregate) => (aggregate.uuid ? [[aggregate.uuid.toLowerCase(), aggregate.name] as const] : [])));
  for (const aggregate of aggregates) {
    for (const member of aggregate.hosts) {
      if (membersOf(member, hosts).length === 0) diagnostics.warn(aggregate.origin, ['hosts'], `aggregate \`${aggregate.name}\` lists host \`${member}\`, which no hypervisor export names`);
    }
  }
  const unnamed = new Set<string>();
  for (const host of hosts) {
    for (const entry of host.providers) {
      for (const uuid of entry.aggregates) {
        const name = nameOfUuid.get(uuid);
        host.aggregates.add(name ?? uuid);
        if (name === undefined && !unnamed.has(uuid)) {
          unnamed.add(uuid);
          diagnostics.warn(entry.provider.origin, [], `Placement aggregate ${uuid} has no name in the exports: hosts are labelled with its UUID (export \`openstack aggregate list --long -f json\` to name it)`);
        }
      }
    }
  }
}

/** One host as the plan writes it, its usage less what its instances claim. */
/** A host's usage as the plan's `used:` counts it. */
type Usage = { memory_mb: number; local_gb: number; vcpus: number; running_vms: number };

/** A host's figures and usage, and what each instance on it holds of them, from one source. */
interface HostFigures {
  fields: PlanFields;
  usage: Usage;
  claimOf: (flavor: PlanFlavor) => InstanceClaim;
}

function hostFields(host: HostDraft, diagnostics: Diagnostics): PlanFields | null {
  const figures = placementFigures(host, diagnostics) ?? hypervisorFigures(host);
  if (figures === null) {
    diagnostics.error(host.origin, [], host.hypervisor?.lacking ?? `has no inventory: export \`${EXPORT_COMMANDS.inventoryList}\``);
    return null;
  }
  const fields: PlanFields = { name: host.name };
  if (host.hypervisor?.hypervisorType) fields.hypervisor_type = host.hypervisor.hypervisorType;
  if (host.hypervisor?.hypervisorVersion !== null && host.hypervisor?.hypervisorVersion !== undefined) fields.hypervisor_version = host.hypervisor.hypervisorVersion;
  Object.assign(fields, figures.fields);
  serviceState(host, fields, diagnostics);
  if (host.aggregates.size > 0) fields.aggregates = [...host.aggregates];
  const usage = host.instances.length > 0 ? usageBesideInstances(host, figures, diagnostics) : figures.usage;
  if (host.instances.length > 0) fields.instances = host.instances.map((instance) => ({ name: instance.name, flavor: instance.flavor.name }));
  if (Object.values(usage).some((amount) => amount > 0)) fields.used = usage;
  return fields;
}

/**
 * Placement's totals, reservations and ratios, which the scheduler enforces; null when no
 * provider of the host reports an inventory. Under the Placement model Placement's
 * allocations are the truth: an instance's share of them is what its build allocated,
 * not what the legacy claim counts.
 */
function placementFigures(host: HostDraft, diagnostics: Diagnostics): HostFigures | null {
  const inventories = rootInventories(host);
  if (inventories.size === 0) return null;
  const fields: PlanFields = {
    vcpus: inventories.get('VCPU')?.total ?? 0,
    memory_mb: inventories.get('MEMORY_MB')?.total ?? 0,
    local_gb: inventories.get('DISK_GB')?.total ?? 0,
    reserved_host_memory_mb: inventories.get('MEMORY_MB')?.reserved ?? 0,
    reserved_host_disk_mb: (inventories.get('DISK_GB')?.reserved ?? 0) * 1024,
  };
  for (const [resourceClass, setting] of Object.entries(RATIO_SETTINGS)) {
    const record = inventories.get(resourceClass);
    if (record) fields[setting] = record.allocation_ratio;
  }
  const root = host.providers[0];
  const origin = root.provider.origin;
  // The host's own usage fills `used`; the children's is held only by the servers on them.
  if (root.usages === null) {
    const counted = host.instances.length > 0 ? `counted from the ${host.instances.length} servers on it` : 'counted as 0';
    diagnostics.warn(origin, [], `no usage given for host \`${host.name}\`: ${counted} (export \`${EXPORT_COMMANDS.usageShow}\`)`);
  }
  const usage: Usage = {
    memory_mb: root.usages?.get('MEMORY_MB') ?? 0,
    local_gb: root.usages?.get('DISK_GB') ?? 0,
    vcpus: root.usages?.get('VCPU') ?? 0,
    running_vms: host.hypervisor?.figures?.running_vms ?? host.instances.length,
  };
  // A name newer than the Placement release claimplan models (os-traits and os-resource-classes of Placement 8.0) is one a plan refuses.
  const kept = keptInventories(`host \`${host.name}\``, inventories, origin, diagnostics);
  fields.inventories = Object.fromEntries(kept.map(([resourceClass, record]) => [resourceClass, inventoryFields(record)]));
  const classes = new Set(kept.map(([resourceClass]) => resourceClass));
  const traits = keptTraits(`host \`${host.name}\``, root.traits, origin, diagnostics);
  if (traits.length > 0) fields.traits = traits;
  const children = childProviderFields(host, diagnostics);
  if (children.length > 0) fields.providers = children;
  warnOfUsageOnlyServersHold(host, diagnostics);
  return { fields, usage, claimOf: (flavor) => placementClaim(flavor, classes) };
}

/** Other classes than memory, disk and vCPU, the children's too, are held only by the servers on the host. */
function warnOfUsageOnlyServersHold(host: HostDraft, diagnostics: Diagnostics): void {
  if (host.instances.length > 0) return;
  const unheld = new Map<string, number>();
  for (const entry of host.providers) {
    for (const [resourceClass, amount] of entry.usages ?? []) {
      if (amount > 0 && !['MEMORY_MB', 'DISK_GB', 'VCPU'].includes(resourceClass)) unheld.set(resourceClass, (unheld.get(resourceClass) ?? 0) + amount);
    }
  }
  if (unheld.size === 0) return;
  const listed = [...unheld].map(([resourceClass, amount]) => `${resourceClass} ${amount}`).join(', ');
  diagnostics.warn(host.providers[0].provider.origin, [], `host \`${host.name}\` uses ${listed}, which a plan's \`used\` cannot hold: give the servers on it to count them as instances`);
}

/** The hypervisor's own figures, before compute API 2.88; null when it has none. */
function hypervisorFigures(host: HostDraft): HostFigures | null {
  const hypervisor = host.hypervisor;
  if (!hypervisor?.figures || hypervisor.lacking !== null) return null;
  const { figures } = hypervisor;
  return {
    // The hypervisor's *_used figures already include what the host reserves, so the plan
    // counts them as usage and reserves nothing on top.
    fields: { vcpus: figures.vcpus, memory_mb: figures.memory_mb, local_gb: figures.local_gb ?? 0, reserved_host_memory_mb: 0, reserved_host_disk_mb: 0 },
    usage: { memory_mb: figures.memory_mb_used, local_gb: figures.local_gb_used ?? 0, vcpus: figures.vcpus_used, running_vms: figures.running_vms ?? 0 },
    claimOf: legacyClaim,
  };
}

/** What the host's usage holds beyond its servers' own claims, which the plan counts as instances. */
function usageBesideInstances(host: HostDraft, { usage, claimOf }: HostFigures, diagnostics: Diagnostics): Usage {
  const claimed: Usage = { memory_mb: 0, local_gb: 0, vcpus: 0, running_vms: host.instances.length };
  for (const instance of host.instances) {
    const claim = claimOf(instance.flavor);
    claimed.memory_mb += claim.memory_mb;
    claimed.local_gb += claim.local_gb;
    claimed.vcpus += claim.vcpus;
  }
  const rest = { ...usage };
  for (const key of Object.keys(rest) as (keyof Usage)[]) {
    const left = usage[key] - claimed[key];
    if (left < 0 && key !== 'running_vms' && usage[key] > 0) {
      diagnostics.warn(host.origin, [], `the servers on host \`${host.name}\` add up to ${claimed[key]} ${key} where its usage is ${usage[key]} (boot-from-volume servers hold no local disk): the plan counts the servers' flavors`);
    }
    rest[key] = Math.max(0, left);
  }
  return rest;
}

const DISABLED_TRAIT = 'COMPUTE_STATUS_DISABLED';

/**
 * A compute service that is down or disabled takes no build (ComputeFilter, and under
 * Placement Zed's compute_status_filter, which forbids the COMPUTE_STATUS_DISABLED trait
 * Nova puts on a disabled service's provider): the host comes in as such, said.
 */
function serviceState(host: HostDraft, fields: PlanFields, diagnostics: Diagnostics): void {
  if (host.down) {
    fields.down = true;
    diagnostics.warn(host.origin, [], `host \`${host.name}\`'s compute service is down: imported with \`down: true\`, so it takes no build while its instances stay counted (an \`up:\` request brings it back)`);
  }
  const trait = host.providers.some((entry) => entry.traits.has(DISABLED_TRAIT));
  if (host.disabled || trait) {
    fields.disabled = true;
    const why = host.disabled ? 'is disabled' : `is disabled (its provider has ${DISABLED_TRAIT})`;
    diagnostics.warn(host.origin, [], `host \`${host.name}\`'s compute service ${why}: imported with \`disabled: true\`, so the scheduler passes over it while its instances stay counted`);
  }
}

/** Settings most hosts share become the cloud's; a host that differs keeps its own. */
function cloudSettings(hosts: PlanFields[], fromPlacement: boolean): PlanFields {
  const cloud: PlanFields = {};
  for (const setting of ['reserved_host_memory_mb', 'reserved_host_disk_mb', ...Object.values(RATIO_SETTINGS)]) {
    const common = mostCommon(hosts.flatMap((host) => (typeof host[setting] === 'number' ? [host[setting] as number] : [])));
    if (common === undefined) continue;
    cloud[setting] = common;
    for (const host of hosts) if (host[setting] === common) delete host[setting];
  }
  if (fromPlacement) {
    // Claims run as Placement allocates (docs/plan-format.md, "The Placement model"); under the
    // legacy model, the filters that enforce memory, disk and vCPUs as Placement does.
    cloud.capacity_model = 'placement';
    cloud.enabled_filters = ['RamFilter', 'DiskFilter', 'CoreFilter'];
  }
  return cloud;
}
