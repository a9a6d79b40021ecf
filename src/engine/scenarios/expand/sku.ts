// What `expand` buys (docs/semantics.md, "Expand"): the SKUs, new empty hosts copied
// from one, and an empty host of each SKU asked once about each kind of build — whether
// it takes it, why not, and how much of the host one instance fills — which both the
// replay at a count (replay-at-count.ts) and the bounds (bounds.ts) go by.
import { CloudState } from '../../core/cloud-state.ts';
import type { BuildRequest, Cloud, Decision, HostSpec, HostUsage } from '../../core/model.ts';

/** A kind of host that can be bought: a host of the plan, a host group, or a `host_templates:` entry. */
export interface Sku {
  /** what `--add` called it */
  name: string;
  /** everything a new host of this kind has; its name, instances and usage are not used */
  prototype: HostSpec;
  /** what one host costs, when the template says; null when it does not */
  cost: number | null;
  /** the name of the n-th host added, counting from 1 */
  hostName(n: number): string;
}

/** Where added hosts go in the host list, which is the scheduler's tie-breaker (docs/semantics.md, "Expand"). */
export type Position = 'first' | 'last';

/** New, empty hardware: the SKU's figures and settings, no instances, no usage. */
function addedHosts(sku: Sku, count: number): HostSpec[] {
  const hosts: HostSpec[] = [];
  for (let n = 1; n <= count; n++) {
    hosts.push({ ...structuredClone(sku.prototype), name: sku.hostName(n), instances: [], used: { memory_mb: 0, local_gb: 0, vcpus: 0, running_vms: 0 } });
  }
  return hosts;
}

/** The cloud with `counts[i]` hosts of `skus[i]` added, before or after the plan's own. */
export function cloudWithAdded(cloud: Cloud, skus: readonly Sku[], counts: readonly number[], position: Position): Cloud {
  const added = skus.flatMap((sku, index) => addedHosts(sku, counts[index] ?? 0));
  return { ...cloud, hosts: position === 'first' ? [...added, ...cloud.hosts] : [...cloud.hosts, ...added] };
}

/**
 * Why no added host can take a build, so that it does not count toward the target:
 * the build names a host; the API refuses it before any scheduling; no SKU carries the
 * aggregate it asks for; an empty host of each SKU refuses it (Nova's reasons from the
 * first SKU); or its affinity server group keeps it on its members' hosts.
 */
export type BeyondReason =
  | { kind: 'named host'; host: string }
  | { kind: 'refused by the API' }
  | { kind: 'aggregate'; aggregate: string }
  | { kind: 'fits no empty host'; sku: string; reasons: string[] }
  | { kind: 'affinity'; group: string };

/** What a build asked for beyond its flavor, kept while it lives, to say later whether an added host could take it back. */
export interface Asked {
  aggregate: string | null;
  bootFromVolume: boolean;
  availability_zone: string | null;
  project: string | null;
  image: string | null;
}

/** What an empty host of one SKU says to one kind of build. */
export interface ProbeFit {
  takes: boolean;
  /** why not, when it does not */
  beyond: BeyondReason | null;
  /**
   * An upper bound on the share of an empty host one instance takes: 1 / how many fit on
   * an empty host, or 1 for a NUMA or PCI flavor, whose claims do not simply add up.
   */
  weight: number;
}

/** Past this many instances of one flavor on an empty host the weight stays 1/PROBE_LIMIT, which only loosens the upper bound. */
const PROBE_LIMIT = 1000;
const QUIET = { audit: false, explain: false };

/** Asks an empty host of each SKU about each kind of build, once. */
export class SkuProbe {
  private readonly empty: CloudState[];
  private readonly answers = new Map<string, ProbeFit[]>();

  constructor(
    cloud: Cloud,
    readonly skus: readonly Sku[],
  ) {
    this.empty = skus.map((sku) => CloudState.start({ ...cloud, hosts: addedHosts(sku, 1), server_groups: [] }));
  }

  /** The empty host's usage: what one added host offers. */
  usage(index: number): HostUsage {
    return this.empty[index].hostUsages()[0];
  }

  fits(flavor: string, asked: Asked): ProbeFit[] {
    const { aggregate, bootFromVolume, availability_zone, project, image } = asked;
    const key = `${flavor}\u0000${aggregate ?? ''}\u0000${bootFromVolume}\u0000${availability_zone ?? ''}\u0000${project ?? ''}\u0000${image ?? ''}`;
    let fits = this.answers.get(key);
    if (!fits) this.answers.set(key, (fits = this.skus.map((sku, index) => this.probe(index, sku, flavor, asked))));
    return fits;
  }

  /**
   * Why an empty host of the SKU refuses a build: the API's words (a zone no host is in),
   * a filter's, or the claim's own, as a build sent to that host would get them.
   */
  private refusal(index: number, sku: Sku, scheduled: Decision, named: BuildRequest, asked: Asked): string[] {
    if (scheduled.causes === null) return scheduled.reasons;
    const empty = this.empty[index].clone();
    const filtered = empty.filterRefusal(empty.requestSpec(named.flavor, asked.bootFromVolume), empty.nodeNamed(sku.hostName(1)), asked);
    return filtered === null ? empty.decide(named, 1, QUIET).reasons : [filtered];
  }

  private probe(index: number, sku: Sku, flavor: string, asked: Asked): ProbeFit {
    const { aggregate, bootFromVolume, availability_zone, project, image } = asked;
    if (aggregate !== null && !sku.prototype.aggregates.includes(aggregate)) return { takes: false, beyond: { kind: 'aggregate', aggregate }, weight: 1 };
    const state = this.empty[index].clone();
    const build = (n: number, host: string | null): BuildRequest => ({
      op: 'build',
      instance: `probe-${n}`,
      flavor,
      host,
      aggregate,
      expect: null,
      ...(bootFromVolume ? { boot_from_volume: true } : {}),
      ...(availability_zone === null ? {} : { availability_zone }),
      ...(project === null ? {} : { project }),
      ...(image === null ? {} : { image }),
    });
    let count = 0;
    let first: Decision | null = null;
    for (; count < PROBE_LIMIT; count++) {
      const decision = state.decide(build(count + 1, null), count + 1, QUIET);
      first ??= decision;
      if (decision.result !== 'claimed') break;
    }
    if (count === 0) return { takes: false, beyond: { kind: 'fits no empty host', sku: sku.name, reasons: this.refusal(index, sku, first!, build(1, sku.hostName(1)), asked) }, weight: 1 };
    const { topology } = state.requestSpec(flavor, bootFromVolume);
    return { takes: true, beyond: null, weight: topology.numa !== null || topology.pci.length > 0 ? 1 : 1 / count };
  }
}
