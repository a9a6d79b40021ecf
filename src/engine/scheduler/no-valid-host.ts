// Why a scheduled build found no host, summarised by cause (docs/output.md, "causes"): how
// many hosts each cause ruled out — memory, disk, vCPU, NUMA and PCI under the legacy
// model; resource classes, traits, NUMA and PCI under Placement — and the host that came
// closest, as kube-scheduler summarises "0/3 nodes are available". Nova itself only says
// "No valid host was found"; the per-host reasons (`--explain`) come from the same tests.
//
// A full cloud rejects many builds in a row while few hosts change between them, so each
// host's misses are kept per request and retested only for the hosts changed since the
// request last asked, read from the cloud's change journal (core/change-journal.ts); the
// counts follow each change, and the closest miss per cause is kept in a heap
// (closest-miss.ts). A move's verdicts are the scope's kept ones with its source left out.
import type { CapacityModel, HostMiss } from '../models/capacity-model.ts';
import { ChangedNodes, type ChangeJournal } from '../core/change-journal.ts';
import { ClosestMiss } from './closest-miss.ts';
import { computeFilterRefusal } from './filters/compute.ts';
import type { ComputeNode } from '../core/compute-node.ts';
import type { Attempt, CauseName, RejectionCause } from '../core/model.ts';
import type { RequestSpec } from '../core/request-spec.ts';

const SERVICE_DOWN_MISS: HostMiss = { cause: 'down', short: null, unit: null };
/** no host left out */
const NONE = -1;

/**
 * The enabled filters that read a host's usage or the request's hints, in enabled_filters
 * order, and which of them refuses a host now (null: none); their refusals count as causes
 * under the filter's name, before the models' tests.
 */
export interface UsageCauses {
  names: readonly string[];
  refusing(node: ComputeNode): { cause: string; reason: string } | null;
}

/** One request's verdicts over the hosts in scope (the whole cloud, or an aggregate). */
class RequestVerdicts {
  private readonly changed: ChangedNodes;
  private readonly misses: HostMiss[][];
  /** per cause, how many hosts it rules out */
  private readonly failing = new Map<CauseName, number>();
  /** per measured cause, the hosts short of it by how much */
  private readonly closest = new Map<CauseName, ClosestMiss>();
  /** the hosts changed since `attempts` was last brought up to date; made on the first `--explain` */
  private explained: ChangedNodes | null = null;
  private attempts: Attempt[] | null = null;
  /** each capacity model of the hosts, in order of its first host, with the positions of its first two hosts (−1: none) */
  private readonly models: { model: CapacityModel; first: number; second: number }[] = [];
  /** the causes in the order the hosts' models report them */
  private readonly order: readonly CauseName[];

  constructor(
    private readonly nodes: readonly ComputeNode[],
    private readonly request: RequestSpec,
    private readonly modelOf: (node: ComputeNode) => CapacityModel,
    private readonly changes: ChangeJournal,
    private readonly usage: UsageCauses | null = null,
  ) {
    this.changed = new ChangedNodes(changes, nodes);
    this.misses = nodes.map(() => []);
    nodes.forEach((node, position) => {
      const model = modelOf(node);
      const seen = this.models.find((entry) => entry.model === model);
      if (seen === undefined) this.models.push({ model, first: position, second: NONE });
      else if (seen.second === NONE) seen.second = position;
    });
    this.order = this.causeOrder(this.models.map(({ model }) => model));
  }

  /** The position of a node among the hosts, or −1 when it is not one of them. */
  positionOf(node: ComputeNode): number {
    return this.changed.positionOf(node);
  }

  /**
   * The causes over the hosts, or over all but the one at position `left` (a move's source):
   * the same as verdicts over the other hosts alone.
   */
  causes(left = NONE): RejectionCause[] {
    this.changed.forEachChanged((node, position) => this.retest(node, position));
    const leftMisses = left === NONE ? [] : this.misses[left];
    const causes: RejectionCause[] = [];
    for (const cause of this.orderWithout(left)) {
      let hosts = this.failing.get(cause) ?? 0;
      for (const miss of leftMisses) if (miss.cause === cause) hosts--;
      if (hosts === 0) continue;
      const position = this.closest.get(cause)?.bestExcept(left) ?? NONE;
      const miss = position === NONE ? undefined : this.missOf(position, cause);
      const closest = miss && miss.short !== null ? { host: this.nodes[position].name, short: miss.short, unit: miss.unit! } : null;
      causes.push({ cause, hosts, closest });
    }
    return causes;
  }

  /** Every host's own reasons, in inventory order, for `--explain`; without the host at position `left`, if any. */
  explain(left = NONE): Attempt[] {
    const explained = (this.explained ??= new ChangedNodes(this.changes, this.nodes));
    const previous = this.attempts;
    let attempts = previous;
    explained.forEachChanged((node, position) => {
      // Copied on the first change: decisions already returned keep the array they had.
      if (attempts === previous) attempts = previous === null ? new Array<Attempt>(this.nodes.length) : [...previous];
      const filtered = node.serviceDown || this.usage === null ? null : this.usage.refusing(node);
      const reasons = node.serviceDown ? [computeFilterRefusal(node)!] : filtered !== null ? [filtered.reason] : this.modelOf(node).testForScheduler(node, this.request, false).reasons;
      attempts![position] = { host: node.name, reasons };
    });
    this.attempts = attempts;
    if (left !== NONE) return (attempts ?? []).filter((_, position) => position !== left);
    return attempts ?? [];
  }

  private missOf(position: number, cause: CauseName): HostMiss | undefined {
    return this.misses[position].find((miss) => miss.cause === cause);
  }

  private retest(node: ComputeNode, position: number): void {
    const before = this.misses[position];
    // ComputeFilter rules a down host out whatever its room, so that is its only miss.
    const filtered = node.serviceDown || this.usage === null ? null : this.usage.refusing(node);
    const now = node.serviceDown ? [SERVICE_DOWN_MISS] : filtered !== null ? [{ cause: filtered.cause, short: null, unit: null }] : this.modelOf(node).misses(node, this.request);
    this.misses[position] = now;
    for (const miss of before) {
      this.failing.set(miss.cause, this.failing.get(miss.cause)! - 1);
      if (!now.some((kept) => kept.cause === miss.cause)) this.closest.get(miss.cause)?.set(position, null);
    }
    for (const miss of now) {
      this.failing.set(miss.cause, (this.failing.get(miss.cause) ?? 0) + 1);
      // A host's first miss of a cause is the one its closest reads.
      if (miss !== this.missOf(position, miss.cause)) continue;
      let closest = this.closest.get(miss.cause);
      if (closest === undefined) {
        if (miss.short === null) continue;
        this.closest.set(miss.cause, (closest = new ClosestMiss(this.nodes.length)));
      }
      closest.set(position, miss.short);
    }
  }

  /** The usage filters' names, then each model's causes in the order of its first host, then `down`. */
  private causeOrder(models: readonly CapacityModel[]): CauseName[] {
    const order: CauseName[] = [];
    if (this.usage !== null) order.push(...this.usage.names);
    for (const model of models) {
      for (const cause of model.causeOrder(this.request)) if (!order.includes(cause)) order.push(cause);
    }
    order.push('down');
    return order;
  }

  /** The cause order without the host at `left`: another only when that host was its model's first. */
  private orderWithout(left: number): readonly CauseName[] {
    if (left === NONE || !this.models.some(({ first }) => first === left)) return this.order;
    const firsts = this.models.map(({ model, first, second }) => ({ model, at: first === left ? second : first }));
    return this.causeOrder(firsts.filter(({ at }) => at !== NONE).sort((a, b) => a.at - b.at).map(({ model }) => model));
  }
}

/** The explanations of every scope and request a replay has needed so far. */
export class NoValidHostExplainer {
  private readonly verdicts = new Map<string, RequestVerdicts>();

  constructor(
    private readonly modelOf: (node: ComputeNode) => CapacityModel,
    /** the cloud's: every change of a node's usage or service state */
    private readonly changes: ChangeJournal,
  ) {}

  /** Causes over the hosts in scope (`scopeKey` names the scope: the filter scheduler's Scope key). */
  causes(scope: readonly ComputeNode[], scopeKey: string, request: RequestSpec, usage: UsageCauses | null): RejectionCause[] {
    return this.verdictsFor(scope, scopeKey, request, usage).causes();
  }

  attempts(scope: readonly ComputeNode[], scopeKey: string, request: RequestSpec, usage: UsageCauses | null): Attempt[] {
    return this.verdictsFor(scope, scopeKey, request, usage).explain();
  }

  /**
   * Causes and attempts over the hosts in scope but `source`, the host a move leaves, which
   * the scheduler ignores: the scope's kept verdicts with that host left out. `sourceInScope`
   * says whether it was one of them.
   */
  withoutSource(scope: readonly ComputeNode[], scopeKey: string, request: RequestSpec, usage: UsageCauses | null, source: ComputeNode): { causes: RejectionCause[]; attempts: () => Attempt[]; sourceInScope: boolean } {
    const verdicts = this.verdictsFor(scope, scopeKey, request, usage);
    const left = verdicts.positionOf(source);
    return { causes: verdicts.causes(left), attempts: () => verdicts.explain(left), sourceInScope: left >= 0 };
  }

  /**
   * Causes and attempts over hosts asked about once and not kept: a move's named
   * destination, or a request with hints.
   */
  amongOnce(scope: readonly ComputeNode[], request: RequestSpec, usage: UsageCauses | null = null): { causes: RejectionCause[]; attempts: () => Attempt[] } {
    const verdicts = new RequestVerdicts(scope, request, this.modelOf, this.changes, usage);
    return { causes: verdicts.causes(), attempts: () => verdicts.explain() };
  }

  /** A scope's verdicts per request, kept: the filters reading usage are the same for every request without hints. */
  private verdictsFor(scope: readonly ComputeNode[], scopeKey: string, request: RequestSpec, usage: UsageCauses | null): RequestVerdicts {
    const key = `${scopeKey}\u0000${request.key}`;
    let verdicts = this.verdicts.get(key);
    if (!verdicts) this.verdicts.set(key, (verdicts = new RequestVerdicts(scope, request, this.modelOf, this.changes, usage)));
    return verdicts;
  }
}
