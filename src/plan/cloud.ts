// Merging plan documents into one cloud (SPEC §1): settings key by key, later files
// winning; hosts, flavors and PCI aliases concatenated, a name defined twice being an
// error at its second definition; then the checks that need the whole cloud in view.
import {
  DEFAULT_CLOUD_SETTINGS,
  type Cloud,
  type CloudSettings,
  type Flavor,
  type HostSpec,
  type PciAlias,
} from '../engine/model.ts';
import { topologyRequestFor } from '../engine/topology/index.ts';
import { didYouMean } from './did-you-mean.ts';
import type { PlanError } from './errors.ts';
import { fieldsOf, integerOf, isFields, listOf, stringOf } from './fields.ts';
import { errorIn, pciId, readHostItem, type HostItem, type Origin } from './hosts.ts';
import type { PathSegment } from './path.ts';
import { filterNameProblem, settingsIn } from './settings.ts';
import type { PlanDocument } from './source.ts';

const PCI_ALIAS_SPEC = 'pci_passthrough:alias';

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
  return {
    name,
    vcpus: integerOf(flavor.vcpus, 1, 1),
    memory_mb: integerOf(flavor.memory_mb, 1, 1),
    root_gb: integerOf(flavor.root_gb, 0),
    ephemeral_gb: integerOf(flavor.ephemeral_gb, 0),
    swap: integerOf(flavor.swap, 0),
    extra_specs: extraSpecsOf(flavor.extra_specs),
  };
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

/** The alias names in `pci_passthrough:alias` ("a100:1,t4:2"), as nova.pci.request splits it. */
function aliasNamesIn(spec: string): string[] {
  return spec
    .split(',')
    .map((entry) => entry.split(':')[0].trim())
    .filter((name) => name !== '');
}

export class CloudBuilder {
  private readonly settings: CloudSettings = { ...DEFAULT_CLOUD_SETTINGS, enabled_filters: [...DEFAULT_CLOUD_SETTINGS.enabled_filters] };
  private readonly hostItems: HostItem[] = [];
  private readonly hosts = new Map<string, Named<HostSpec>>();
  private readonly flavors = new Map<string, Named<Flavor>>();
  private readonly aliases = new Map<string, Named<PciAlias>>();
  private readonly instances = new Map<string, Origin>();

  constructor(private readonly errors: PlanError[]) {}

  addDocument({ source, value }: PlanDocument): void {
    const plan = fieldsOf(value);
    const at = (...path: PathSegment[]): Origin => ({ source, path });
    const cloud = fieldsOf(plan.cloud);
    Object.assign(this.settings, settingsIn(cloud));
    this.checkFilterNames(cloud, at('cloud'));
    listOf(plan.hosts).forEach((host, index) => this.addHostItem(host, at('hosts', index)));
    listOf(plan.flavors).forEach((raw, index) => {
      const flavor = readFlavor(raw);
      if (flavor) this.define('flavor', this.flavors, flavor.name, flavor, at('flavors', index));
    });
    listOf(plan.pci_aliases).forEach((raw, index) => {
      const alias = readAlias(raw);
      if (alias) this.define('PCI alias', this.aliases, alias.name, alias, at('pci_aliases', index));
    });
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

  private checkFilterNames(settings: Record<string, unknown>, origin: Origin): void {
    listOf(settings.enabled_filters).forEach((name, index) => {
      const problem = typeof name === 'string' ? filterNameProblem(name) : null;
      if (problem) this.errors.push(errorIn(origin, ['enabled_filters', index], problem));
    });
  }

  /** The merged cloud, after the checks that need every file read. */
  finish(): Cloud {
    this.checkInstanceFlavors();
    this.checkFlavorAliases();
    this.checkAliasesMatchPools();
    return {
      settings: this.settings,
      hosts: this.hostItems.flatMap((item) => item.specs),
      flavors: [...this.flavors.values()].map(({ value }) => value),
      pci_aliases: [...this.aliases.values()].map(({ value }) => value),
    };
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

  private checkFlavorAliases(): void {
    const aliases = [...this.aliases.values()].map(({ value }) => value);
    for (const { value: flavor, origin } of this.flavors.values()) {
      const specs: PathSegment[] = ['extra_specs'];
      const aliasSpec = flavor.extra_specs[PCI_ALIAS_SPEC];
      const unknown = aliasSpec === undefined ? [] : aliasNamesIn(aliasSpec).filter((name) => !this.aliases.has(name));
      for (const name of unknown) {
        const message = `names PCI alias \`${name}\`, which no pci_aliases entry defines${didYouMean(name, this.aliases.keys())}`;
        this.errors.push(errorIn(origin, [...specs, PCI_ALIAS_SPEC], message));
      }
      if (unknown.length > 0) continue;
      const request = topologyRequestFor(flavor, aliases);
      if ('error' in request) this.errors.push(errorIn(origin, specs, request.error));
    }
  }

  private checkAliasesMatchPools(): void {
    const pools = new Set<string>();
    for (const { value: host } of this.hosts.values()) {
      for (const pool of host.pci) {
        pools.add(`${pool.vendor_id}:${pool.product_id}:${pool.dev_type}`);
        pools.add(`${pool.vendor_id}:${pool.product_id}:`);
      }
    }
    for (const { value: alias, origin } of this.aliases.values()) {
      if (!alias.vendor_id || !alias.product_id) continue;
      // An alias without device_type matches any type, so its key leaves the type empty.
      if (!pools.has(`${alias.vendor_id}:${alias.product_id}:${alias.device_type}`)) {
        const type = alias.device_type || 'any device type';
        const message = `matches no PCI pool on any host (vendor_id ${alias.vendor_id}, product_id ${alias.product_id}, ${type})`;
        this.errors.push(errorIn(origin, ['name'], message));
      }
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
}

/** Requests come inline or from NDJSON trace files named by `requests: {file: …}`. */
export function isTraceReference(requests: unknown): requests is { file: string } {
  return isFields(requests) && typeof requests.file === 'string';
}
