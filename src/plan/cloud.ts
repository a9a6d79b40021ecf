// Merging plan documents into one cloud (docs/plan-format.md): settings key by key, later
// files winning; hosts, flavors and PCI aliases concatenated, a name defined twice being
// an error at its second definition; then the checks that need the whole cloud in view.
// What Nova accepts but a planner should hear about (an alias no host has, a flavor
// naming an alias nova.conf lacks) is a warning, located like an error: the plan replays
// (docs/plan-format.md, "What is not an error").
import {
  DEFAULT_CLOUD_SETTINGS,
  type Cloud,
  type CloudSettings,
  type AggregateSpec,
  type Flavor,
  type HostSpec,
  type ImageSpec,
  type PciAlias,
  type ServerGroup,
  type ServerGroupPolicy,
} from '../engine/core/model.ts';
import { childProviderSpecs } from '../engine/models/placement/provider.ts';
import { topologyRequestFor } from '../engine/topology/host-topology.ts';
import { aliasMatchesAnyPool } from '../engine/topology/pci.ts';
import { didYouMean } from './did-you-mean.ts';
import { aggregateExtraSpecKey } from '../engine/scheduler/filters/aggregate-instance-extra-specs.ts';
import { isNumericRequirement, pythonFloat } from '../engine/scheduler/filters/extra-specs-ops.ts';
import { formatPlanError, type PlanError } from './errors.ts';
import { fieldsOf, integerOf, isFields, listOf, stringOf } from './fields.ts';
import { readHostTemplate, type HostTemplate } from './host-templates.ts';
import { pciId, readHostItem, type HostItem } from './hosts.ts';
import type { PathSegment } from './path.ts';
import { filterNameProblem, filterNameWarning, settingsIn, weigherNameProblem } from './settings.ts';
import { errorIn, type Origin, type PlanDocument } from './source.ts';
import { LIMITS } from './limits.ts';

const PCI_ALIAS_SPEC = 'pci_passthrough:alias';

/** A located remark on a plan that is valid as Nova sees it: the same shape as a PlanError. */
export type PlanWarning = PlanError;

/** `FILE:LINE:COL  PATH  warning: message`, as formatPlanError lays out an error. */
export function formatPlanWarning(warning: PlanWarning): string {
  return formatPlanError({ ...warning, message: `warning: ${warning.message}` });
}

interface Named<T> {
  value: T;
  origin: Origin;
}

function where(origin: Origin): string {
  const { line, column } = origin.source.locate([...origin.path, 'name'], 'value');
  return `${origin.source.file}:${line}:${column}`;
}

/** Nova keeps extra spec values as strings; YAML's `1` and `true` are what the CLI would send as "1" and "true". */
function extraSpecsOf(value: unknown): Record<string, string> {
  const specs: Record<string, string> = {};
  for (const [key, spec] of Object.entries(fieldsOf(value))) {
    if (typeof spec === 'string' || typeof spec === 'number' || typeof spec === 'boolean') specs[key] = String(spec);
  }
  return specs;
}

function readFlavor(value: unknown): Flavor | null {
  const flavor = fieldsOf(value);
  const name = stringOf(flavor.name);
  if (name === null) return null;
  const vcpus = integerOf(flavor.vcpus, 1, 1);
  return {
    name,
    // A count the schema refused reads as absent, so the NUMA checks never judge it (docs/limits.md).
    vcpus: vcpus <= LIMITS.integer ? vcpus : 1,
    memory_mb: integerOf(flavor.memory_mb, 1, 1),
    root_gb: integerOf(flavor.root_gb, 0),
    ephemeral_gb: integerOf(flavor.ephemeral_gb, 0),
    swap: integerOf(flavor.swap, 0),
    extra_specs: extraSpecsOf(flavor.extra_specs),
  };
}

function readAggregate(value: unknown): AggregateSpec | null {
  const aggregate = fieldsOf(value);
  const name = stringOf(aggregate.name);
  if (name === null) return null;
  const hosts = listOf(aggregate.hosts).filter((host): host is string => typeof host === 'string');
  return { name, availability_zone: stringOf(aggregate.availability_zone), hosts, metadata: extraSpecsOf(aggregate.metadata) };
}

function readImage(value: unknown): ImageSpec | null {
  const image = fieldsOf(value);
  const name = stringOf(image.name);
  return name === null ? null : { name, properties: extraSpecsOf(image.properties) };
}

function readAlias(value: unknown): PciAlias | null {
  const alias = fieldsOf(value);
  const name = stringOf(alias.name);
  if (name === null) return null;
  return {
    name,
    vendor_id: pciId(alias.vendor_id),
    product_id: pciId(alias.product_id),
    device_type: stringOf(alias.device_type) ?? '',
    numa_policy: stringOf(alias.numa_policy) ?? 'legacy',
  };
}

/**
 * A server group; `rules` belong to anti-affinity alone, as Nova's API refuses them for
 * any other policy (nova/api/openstack/compute/schemas/server_groups.py).
 */
function readServerGroup(value: unknown, origin: Origin, errors: PlanError[]): ServerGroup | null {
  const group = fieldsOf(value);
  const name = stringOf(group.name);
  const policy = group.policy;
  if (name === null || !SERVER_GROUP_POLICIES.includes(policy as ServerGroupPolicy)) return null;
  const rules = fieldsOf(group.rules);
  if (group.rules !== undefined && policy !== 'anti-affinity') {
    errors.push(errorIn(origin, ['rules'], `apply only to an anti-affinity group, not ${policy}`));
  }
  return { name, policy: policy as ServerGroupPolicy, max_server_per_host: integerOf(rules.max_server_per_host, 1, 1) };
}

const SERVER_GROUP_POLICIES: readonly ServerGroupPolicy[] = ['affinity', 'anti-affinity', 'soft-affinity', 'soft-anti-affinity'];

/** The alias names in `pci_passthrough:alias` ("a100:1,t4:2"), as nova.pci.request splits and strips them. */
function aliasNamesIn(spec: string): string[] {
  return spec.split(',').map((entry) => entry.split(':')[0].trim());
}

/** "`gpu`" or "`gpu` and `nic`": backquoted names in a sentence. */
function quotedList(names: string[]): string {
  const quoted = names.map((name) => `\`${name}\``);
  return quoted.length === 1 ? quoted[0] : `${quoted.slice(0, -1).join(', ')} and ${quoted[quoted.length - 1]}`;
}

export class CloudBuilder {
  private readonly settings: CloudSettings = {
    ...DEFAULT_CLOUD_SETTINGS,
    enabled_filters: [...DEFAULT_CLOUD_SETTINGS.enabled_filters],
    weight_classes: [...DEFAULT_CLOUD_SETTINGS.weight_classes],
  };
  private readonly hostItems: HostItem[] = [];
  private readonly hosts = new Map<string, Named<HostSpec>>();
  /** each child provider's name and whose it is */
  private readonly childProviders = new Map<string, string>();
  private readonly flavors = new Map<string, Named<Flavor>>();
  /** every entry, in order: nova.conf may give one name several specs, which Nova ORs */
  private readonly aliases: Named<PciAlias>[] = [];
  private readonly instances = new Map<string, Origin>();
  private readonly groups = new Map<string, Named<ServerGroup>>();
  private readonly aggregates = new Map<string, Named<AggregateSpec>>();
  private readonly images = new Map<string, Named<ImageSpec>>();
  /** `host_templates:`, which only `expand` uses */
  private readonly templates = new Map<string, HostTemplate>();
  /** whether a plan's `cloud:` names enabled_filters: without, the Placement model takes Zed's default list */
  filtersNamed = false;
    /** filled by finish(); sortPlanErrors orders them as it orders errors */
  readonly warnings: PlanWarning[] = [];

  constructor(private readonly errors: PlanError[]) {}

  addDocument({ source, value }: PlanDocument): void {
    const plan = fieldsOf(value);
    const at = (...path: PathSegment[]): Origin => ({ source, path });
    const cloud = fieldsOf(plan.cloud);
    Object.assign(this.settings, settingsIn(cloud));
    this.filtersNamed ||= 'enabled_filters' in cloud;
    this.checkFilterNames(cloud, at('cloud'));
    listOf(plan.hosts).forEach((host, index) => this.addHostItem(host, at('hosts', index)));
    listOf(plan.flavors).forEach((raw, index) => {
      const flavor = readFlavor(raw);
      if (flavor) this.define('flavor', this.flavors, flavor.name, flavor, at('flavors', index));
    });
    listOf(plan.pci_aliases).forEach((raw, index) => {
      const alias = readAlias(raw);
      if (alias) this.aliases.push({ value: alias, origin: at('pci_aliases', index) });
    });
    listOf(plan.server_groups).forEach((raw, index) => {
      const group = readServerGroup(raw, at('server_groups', index), this.errors);
      if (group) this.define('server group', this.groups, group.name, group, at('server_groups', index));
    });
    listOf(plan.aggregates).forEach((raw, index) => {
      const aggregate = readAggregate(raw);
      if (aggregate) this.define('aggregate', this.aggregates, aggregate.name, aggregate, at('aggregates', index));
    });
    listOf(plan.images).forEach((raw, index) => {
      const image = readImage(raw);
      if (image) this.define('image', this.images, image.name, image, at('images', index));
    });
    listOf(plan.host_templates).forEach((raw, index) => {
      this.checkFilterNames(fieldsOf(raw), at('host_templates', index));
      const template = readHostTemplate(raw, at('host_templates', index), this.errors);
      if (!template) return;
      const earlier = this.templates.get(template.name);
      if (earlier) this.errors.push(errorIn(template.origin, ['name'], `host template \`${template.name}\` is already defined at ${where(earlier.origin)}`));
      else this.templates.set(template.name, template);
    });
  }

  /** The plan's host templates, in the order they are defined. */
  hostTemplates(): HostTemplate[] {
    return [...this.templates.values()];
  }

  /** `expand --add NAME` looks for a template first: one named like a host would hide that host. */
  private checkTemplateNames(): void {
    const groups = new Set(this.hostItems.flatMap((item) => item.specs.flatMap((spec) => (spec.group ? [spec.group] : []))));
    for (const template of this.templates.values()) {
      const host = this.hosts.get(template.name);
      if (host) this.errors.push(errorIn(template.origin, ['name'], `host template \`${template.name}\` has the name of the host defined at ${where(host.origin)}`));
      else if (groups.has(template.name)) this.errors.push(errorIn(template.origin, ['name'], `host template \`${template.name}\` has the name of a host group`));
    }
  }

  /**
   * Placement names every provider once (its name column is unique): a child's name may be
   * no other provider's, a host's or another child's (docs/plan-format.md, "Nested resource providers").
   */
  private checkProviderNames(specs: readonly HostSpec[], origin: Origin, key: string): void {
    for (const spec of specs) {
      if (!spec.providers) continue;
      for (const child of childProviderSpecs(spec)) {
        const taken = this.childProviders.get(child.name) ?? (this.hosts.has(child.name) ? `host \`${child.name}\`` : undefined);
        if (taken) this.errors.push(errorIn(origin, [key], `provider \`${child.name}\` of host \`${spec.name}\` has the name of ${taken}: Placement names each provider once`));
        else this.childProviders.set(child.name, `the provider of host \`${spec.name}\``);
      }
    }
  }

  private addHostItem(value: unknown, origin: Origin): void {
    this.checkFilterNames(fieldsOf(value), origin);
    const item = readHostItem(value, origin, this.errors);
    this.hostItems.push(item);
    const duplicates = item.specs.filter((spec) => this.hosts.has(spec.name));
    if (duplicates.length > 0) {
      const [first] = duplicates;
      const more = duplicates.length > 1 ? ` (and ${duplicates.length - 1} more of this group)` : '';
      const message = `host \`${first.name}\`${more} is already defined at ${where(this.hosts.get(first.name)!.origin)}`;
      this.errors.push(errorIn(origin, ['name'], message));
    }
    for (const spec of item.specs) if (!this.hosts.has(spec.name)) this.hosts.set(spec.name, { value: spec, origin });
    this.checkProviderNames(item.specs, origin, 'providers' in fieldsOf(value) ? 'providers' : 'mdev');
    item.instanceOrigins.forEach((instanceOrigin, index) => {
      const clashes = item.specs.map((spec) => spec.instances[index].name).filter((name) => this.instances.has(name));
      if (clashes.length > 0) {
        const [first] = clashes;
        const more = clashes.length > 1 ? ` (and ${clashes.length - 1} more of this group)` : '';
        const message = `instance \`${first}\`${more} is already on a host at ${where(this.instances.get(first)!)}`;
        this.errors.push(errorIn(instanceOrigin, ['name'], message));
      }
      for (const spec of item.specs) {
        const { name } = spec.instances[index];
        if (!this.instances.has(name)) this.instances.set(name, instanceOrigin);
      }
    });
  }

  private define<T>(kind: string, names: Map<string, Named<T>>, name: string, value: T, origin: Origin): void {
    const earlier = names.get(name);
    if (earlier) this.errors.push(errorIn(origin, ['name'], `${kind} \`${name}\` is already defined at ${where(earlier.origin)}`));
    else names.set(name, { value, origin });
  }

  /** Filter names one slip from a known filter, and weight_classes entries that name no weigher of Zed's. */
  private checkFilterNames(settings: Record<string, unknown>, origin: Origin): void {
    listOf(settings.enabled_filters).forEach((name, index) => {
      const problem = typeof name === 'string' ? filterNameProblem(name) : null;
      if (problem) this.errors.push(errorIn(origin, ['enabled_filters', index], problem));
      const warning = typeof name === 'string' ? filterNameWarning(name) : null;
      if (warning) this.warnings.push(errorIn(origin, ['enabled_filters', index], warning));
    });
    listOf(settings.weight_classes).forEach((name, index) => {
      const problem = typeof name === 'string' ? weigherNameProblem(name) : null;
      if (problem) this.errors.push(errorIn(origin, ['weight_classes', index], problem));
    });
  }

  /** The merged cloud, after the checks that need every file read. */
  finish(): Cloud {
    this.checkInstanceFlavors();
    this.checkTemplateNames();
    this.checkFlavorAliases();
    this.checkAliasesMatchPools();
    this.joinAggregates();
    this.checkNumericExtraSpecs();
    return {
      settings: this.settings,
      hosts: this.hostItems.flatMap((item) => item.specs),
      flavors: [...this.flavors.values()].map(({ value }) => value),
      pci_aliases: this.aliases.map(({ value }) => value),
      ...(this.groups.size > 0 ? { server_groups: [...this.groups.values()].map(({ value }) => value) } : {}),
      ...(this.aggregates.size > 0 ? { aggregates: [...this.aggregates.values()].map(({ value }) => value) } : {}),
      ...(this.images.size > 0 ? { images: [...this.images.values()].map(({ value }) => value) } : {}),
    };
  }

  /**
   * A numeric operator (`>= 2`) comparing aggregate metadata that float() refuses makes
   * AggregateInstanceExtraSpecsFilter raise ValueError in Nova, failing every build of the
   * flavor: a plan error at the metadata value (docs/plan-format.md, "Aggregates").
   */
  private checkNumericExtraSpecs(): void {
    if (!this.settings.enabled_filters.includes('AggregateInstanceExtraSpecsFilter')) return;
    for (const { value: flavor, origin: flavorOrigin } of this.flavors.values()) {
      for (const [key, requirement] of Object.entries(flavor.extra_specs)) {
        const asked = aggregateExtraSpecKey(key);
        if (asked === null || !isNumericRequirement(requirement)) continue;
        const operand = requirement.trim().split(/\s+/)[1];
        if (operand !== undefined && pythonFloat(operand) === null) {
          this.errors.push(errorIn(flavorOrigin, ['extra_specs', key], `compares \`${operand}\` as a number, which it is not`));
          continue;
        }
        for (const { value: aggregate, origin } of this.aggregates.values()) {
          const value = aggregate.metadata[asked];
          if (value === undefined || value.split(',').every((part) => pythonFloat(part) !== null)) continue;
          const message = `\`${value}\` is not a number, which flavor \`${flavor.name}\` compares as one (\`${key}: ${requirement}\`); Nova's AggregateInstanceExtraSpecsFilter would fail its builds`;
          this.errors.push(errorIn(origin, ['metadata', asked], message));
        }
      }
    }
  }

  /**
   * An aggregate's `hosts:` join it as if they listed its name; a host in two zones is an
   * error, as Nova's aggregate API refuses to add it (nova/compute/api.py
   * `_check_az_for_host`), and so is a member no host has.
   */
  private joinAggregates(): void {
    for (const { value: aggregate, origin } of this.aggregates.values()) {
      aggregate.hosts.forEach((name, index) => {
        const host = this.hosts.get(name);
        if (!host) this.errors.push(errorIn(origin, ['hosts', index], `unknown host \`${name}\`${didYouMean(name, this.hosts.keys())}`));
        else if (!host.value.aggregates.includes(aggregate.name)) host.value.aggregates = [...host.value.aggregates, aggregate.name];
      });
    }
    for (const { value: host, origin } of this.hosts.values()) {
      const zones = [...new Set(host.aggregates.flatMap((name) => this.aggregates.get(name)?.value.availability_zone ?? []))];
      if (zones.length > 1) this.errors.push(errorIn(origin, ['aggregates'], `host \`${host.name}\` would be in zones ${quotedList(zones)}; Nova keeps a host in one zone`));
    }
  }

  private checkInstanceFlavors(): void {
    for (const item of this.hostItems) {
      item.instanceOrigins.forEach((origin, index) => {
        const { flavor } = item.specs[0].instances[index];
        if (!this.flavors.has(flavor)) {
          this.errors.push(errorIn(origin, ['flavor'], `unknown flavor \`${flavor}\`${didYouMean(flavor, this.flavors.keys())}`));
        }
      });
    }
  }

  /**
   * A flavor Nova refuses is an error; one naming an alias that nova.conf lacks is valid
   * (Nova's extra-spec validator checks only `$alias:$count`), its builds refused one by
   * one at the API, so it is a warning.
   */
  private checkFlavorAliases(): void {
    const aliases = this.aliases.map(({ value }) => value);
    const defined = new Set(aliases.map((alias) => alias.name.trim()));
    for (const { value: flavor, origin } of this.flavors.values()) {
      const request = topologyRequestFor(flavor, aliases);
      if (!request.ok) {
        this.errors.push(errorIn(origin, ['extra_specs'], request.error));
        continue;
      }
      if (request.value.refusal === null) continue;
      const names = [...new Set(aliasNamesIn(flavor.extra_specs[PCI_ALIAS_SPEC]).filter((name) => !defined.has(name)))];
      const plural = names.length > 1 ? 'es' : '';
      const suggestion = names.length === 1 ? didYouMean(names[0], defined) : '';
      const message =
        `names PCI alias${plural} ${quotedList(names)}, which pci_aliases does not define; ` +
        `Nova refuses each build of this flavor: ${request.value.refusal}${suggestion}`;
      this.warnings.push(errorIn(origin, ['extra_specs', PCI_ALIAS_SPEC], message));
    }
  }

  /**
   * Nova accepts an alias that no device matches; a build asking for it fails the PCI
   * claim on a named host and finds no host when scheduled. Worth a warning: usually a
   * typo in an id or a host whose pools were left out.
   */
  private checkAliasesMatchPools(): void {
    const pools = [...this.hosts.values()].flatMap(({ value: host }) => host.pci);
    for (const { value: alias, origin } of this.aliases) {
      if (aliasMatchesAnyPool(alias, pools)) continue;
      const ids = `${alias.vendor_id}:${alias.product_id}${alias.device_type ? `, ${alias.device_type}` : ''}`;
      const message = `alias \`${alias.name}\` (${ids}) matches no PCI pool on any host; builds asking for it will fail the PCI claim`;
      this.warnings.push(errorIn(origin, [], message));
    }
  }

  /** What the request checks need to know about the cloud. */
  index(): CloudIndex {
    const aggregatesOf = new Map<string, readonly string[]>();
    const aggregates = new Set<string>();
    for (const { value: host } of this.hosts.values()) {
      aggregatesOf.set(host.name, host.aggregates);
      for (const label of host.aggregates) aggregates.add(label);
    }
    return {
      flavors: new Set(this.flavors.keys()),
      aggregatesOf,
      aggregates,
      instances: new Set(this.instances.keys()),
      groups: new Set(this.groups.keys()),
      images: new Set(this.images.keys()),
    };
  }
}

export interface CloudIndex {
  flavors: ReadonlySet<string>;
  /** each host's aggregate labels, by host name */
  aggregatesOf: ReadonlyMap<string, readonly string[]>;
  aggregates: ReadonlySet<string>;
  /** instances already on hosts, live from the start */
  instances: ReadonlySet<string>;
  /** server group names */
  groups: ReadonlySet<string>;
  images: ReadonlySet<string>;
}

/** Requests come inline or from NDJSON trace files named by `requests: {file: …}`. */
export function isTraceReference(requests: unknown): requests is { file: string } {
  return isFields(requests) && typeof requests.file === 'string';
}
