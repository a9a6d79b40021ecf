// Kinds of host `claimplan expand --add` may buy: a plan's `host_templates:` entries
// (docs/plan-format.md, "Host templates"), or any host or host group of the plan, each
// read as the engine's Sku: a prototype host and the names its added copies take.
import type { Sku } from '../engine/scenarios/expand/sku.ts';
import type { HostSpec } from '../engine/core/model.ts';
import { failure, success, type Result } from '../engine/core/result.ts';
import { didYouMean } from './did-you-mean.ts';
import type { PlanError } from './errors.ts';
import { fieldsOf, stringOf } from './fields.ts';
import { readHostItem } from './hosts.ts';
import { expandName, parseNameTemplate } from './name-templates.ts';
import type { Origin } from './source.ts';

/** A `host_templates:` entry: a host in every respect, but never in the plan's inventory. */
export interface HostTemplate {
  name: string;
  spec: HostSpec;
  /** what one host costs; null when the template does not say */
  cost: number | null;
  origin: Origin;
}

/** One entry, with the checks a host gets (its NUMA cells, PCI pools, traits, inventories); null when it has no usable name. */
export function readHostTemplate(value: unknown, origin: Origin, errors: PlanError[]): HostTemplate | null {
  const fields = fieldsOf(value);
  const name = stringOf(fields.name);
  if (name === null) return null;
  // Read as a host of its own: a name with `{n}` is a single host's name here, numbered 1.
  const [spec] = readHostItem({ ...fields, count: 1 }, origin, errors).specs;
  if (spec === undefined) return null;
  const cost = typeof fields.cost === 'number' && fields.cost >= 0 ? fields.cost : null;
  return { name, spec: { ...spec, name }, cost, origin };
}

/** What `--add` reads of a template: all but where it was written, so that it can be posted to a thread. */
export type SkuTemplate = Pick<HostTemplate, 'name' | 'spec' | 'cost'>;

/** The n-th added host of a template: its own `{n}` numbering when its name has one, else `NAME-new-{n}`. */
function templateNamer(name: string): (n: number) => string {
  const parsed = parseNameTemplate(name);
  return parsed.ok && parsed.value.numbered ? (n) => expandName(parsed.value, n) : (n) => `${name}-new-${n}`;
}

/**
 * What `--add NAME` names: a host template first, then a host group's template (its added
 * hosts continue the group's numbering, as `sweep --vary hosts.G.count` does), then a host
 * (added copies are `HOST-new-{n}`); `NAME@AGGREGATE` adds them to an aggregate of the plan.
 * The problem is a usage error's text.
 */
export function skuNamed(name: string, hosts: readonly HostSpec[], templates: readonly SkuTemplate[], aggregates: readonly string[] = []): Result<Sku> {
  // `r640@rack-a`: the SKU's hosts join the aggregate, with its zone and metadata (docs/semantics.md, "Expand").
  const at = name.lastIndexOf('@');
  if (at > 0) {
    const aggregate = name.slice(at + 1);
    const known = new Set([...aggregates, ...hosts.flatMap((host) => host.aggregates)]);
    if (!known.has(aggregate)) return failure(`--add ${name}: the plan has no aggregate named ${aggregate}${didYouMean(aggregate, known)}`);
    const base = skuNamed(name.slice(0, at), hosts, templates);
    if (!base.ok) return base;
    const { prototype } = base.value;
    const joined = prototype.aggregates.includes(aggregate) ? prototype.aggregates : [...prototype.aggregates, aggregate];
    return success({ ...base.value, name, prototype: { ...prototype, aggregates: joined } });
  }
  const template = templates.find((candidate) => candidate.name === name);
  if (template) return success({ name, prototype: template.spec, cost: template.cost, hostName: templateNamer(name) });
  const members = hosts.filter((host) => host.group === name);
  if (members.length > 0) {
    const parsed = parseNameTemplate(name);
    if (parsed.ok) return success({ name, prototype: members[0], cost: null, hostName: (n) => expandName(parsed.value, members.length + n) });
  }
  const host = hosts.find((candidate) => candidate.name === name);
  if (host) return success({ name, prototype: host, cost: null, hostName: (n) => `${name}-new-${n}` });
  const known = [...templates.map((candidate) => candidate.name), ...new Set(hosts.flatMap((candidate) => (candidate.group ? [candidate.group] : []))), ...hosts.map((candidate) => candidate.name)];
  return failure(`--add ${name}: the plan has no host template, host group or host named ${name}${didYouMean(name, known)}`);
}
