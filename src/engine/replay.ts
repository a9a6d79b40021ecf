// Replaying builds and deletes through the tracker, one request at a time. The work per
// request depends on the cloud, never on how many requests came before (SPEC §5): live
// instances are kept in a map and hosts in the scheduler's index.
import { claimMessage, requestedResources, testClaim, type ClaimTest, type FlavorRequest } from './claim.ts';
import { ComputeNode } from './compute-node.ts';
import type {
  Attempt,
  BuildRequest,
  ClaimAudit,
  Cloud,
  Decision,
  DeleteRequest,
  Expectation,
  HostUsage,
  ReplaySummary,
  Request,
  Resources,
} from './model.ts';
import { HostIndex } from './scheduler.ts';
import { topologyRequestFor, type TopologyClaim } from './topology/index.ts';

export const NO_VALID_HOST = 'No valid host was found. There are not enough hosts available.';

export interface ReplayOptions {
  /** collect Nova's audit lines for every claim (docs/output.md, "--verbose") */
  audit: boolean;
  /** list every host tried, with its reasons, on scheduled builds (`--explain`) */
  explain: boolean;
}

/** What a claim took, so that a delete gives back exactly that. */
interface LiveInstance {
  node: ComputeNode;
  flavor: string;
  resources: Resources;
  topologyClaim: TopologyClaim | null;
}

interface Placement {
  node: ComputeNode;
  test: ClaimTest;
}

/** The outcome of one build on the current state, before it becomes a Decision. */
export interface BuildOutcome {
  node: ComputeNode | null;
  test: ClaimTest | null;
  reasons: string[];
  attempts: Attempt[] | null;
  audit: ClaimAudit[];
}

export class CloudState {
  private constructor(
    readonly cloud: Cloud,
    private readonly nodes: ComputeNode[],
    private readonly nodesByName: Map<string, ComputeNode>,
    private readonly flavorRequests: Map<string, FlavorRequest>,
    private readonly live: Map<string, LiveInstance>,
  ) {
    this.everyHost = new HostIndex(nodes, cloud.settings.weigher);
    for (const node of nodes) {
      for (const label of node.spec.aggregates) {
        const members = this.aggregateMembers.get(label) ?? [];
        members.push(node);
        this.aggregateMembers.set(label, members);
      }
    }
  }

  private readonly everyHost: HostIndex;
  private readonly aggregateMembers = new Map<string, ComputeNode[]>();
  /** built on first use: most plans never ask for most aggregates */
  private readonly aggregateIndexes = new Map<string, HostIndex>();
  private readonly explanations = new Map<HostIndex, Map<string, { versions: Float64Array; attempts: Attempt[] }>>();

  /** The cloud as the periodic audit finds it: reserved amounts, usage totals and existing instances. */
  static start(cloud: Cloud): CloudState {
    const flavorRequests = new Map<string, FlavorRequest>();
    for (const flavor of cloud.flavors) {
      const topology = topologyRequestFor(flavor, cloud.pci_aliases);
      // The plan loader reports these as located input errors; reaching here is a bug.
      if ('error' in topology) throw new Error(`flavor ${flavor.name}: ${topology.error}`);
      flavorRequests.set(flavor.name, { flavor, topology });
    }
    const nodes = cloud.hosts.map((spec, index) => ComputeNode.fromSpec(index, spec, cloud.settings));
    const live = new Map<string, LiveInstance>();
    for (const node of nodes) {
      for (const existing of node.spec.instances) {
        const request = lookup(flavorRequests, existing.flavor, 'flavor');
        const resources = requestedResources(request.flavor, node);
        node.updateUsage(resources, 1);
        const topologyClaim = node.topology.addExisting(
          request.topology,
          node.settings.packing_host_numa_cells_allocation_strategy,
        );
        live.set(existing.name, { node, flavor: existing.flavor, resources, topologyClaim });
      }
    }
    return new CloudState(cloud, nodes, new Map(nodes.map((node) => [node.name, node])), flavorRequests, live);
  }

  /** An independent copy, for questions like "how many more fit" that must not change this state. */
  clone(): CloudState {
    const nodes = this.nodes.map((node) => node.clone());
    const live = new Map<string, LiveInstance>();
    for (const [name, instance] of this.live) live.set(name, { ...instance, node: nodes[instance.node.index] });
    return new CloudState(
      this.cloud,
      nodes,
      new Map(nodes.map((node) => [node.name, node])),
      this.flavorRequests,
      live,
    );
  }

  /** The node and flavor request behind a name, for questions asked of one host (fit). */
  nodeNamed(host: string): ComputeNode {
    return lookup(this.nodesByName, host, 'host');
  }

  flavorRequest(flavor: string): FlavorRequest {
    return lookup(this.flavorRequests, flavor, 'flavor');
  }

  hostUsages(): HostUsage[] {
    return this.nodes.map((node) => node.usage());
  }

  hostNames(aggregate: string | null = null): string[] {
    const nodes = aggregate === null ? this.nodes : this.aggregateMembers.get(aggregate) ?? [];
    return nodes.map((node) => node.name);
  }

  /** Tests and, when it passes, takes a claim for `flavor`, on `host` or wherever the scheduler picks. */
  build(flavor: string, host: string | null, aggregate: string | null, withAudit: boolean): BuildOutcome {
    const request = lookup(this.flavorRequests, flavor, 'flavor');
    return host === null
      ? this.schedule(request, aggregate, withAudit)
      : this.claimOn(lookup(this.nodesByName, host, 'host'), request, withAudit);
  }

  /** Takes the claim an outcome found; kept apart so callers that only ask can skip it. */
  commit(instance: string, flavor: string, outcome: BuildOutcome): void {
    const { node, test } = outcome;
    if (node === null || test === null || test.reasons.length > 0) return;
    node.updateUsage(test.requested, 1);
    if (test.topologyClaim) node.topology.apply(test.topologyClaim);
    this.reindex(node);
    this.live.set(instance, { node, flavor, resources: test.requested, topologyClaim: test.topologyClaim });
  }

  /** Gives back what the instance holds; null when it holds nothing (never built, or its build was rejected). */
  delete(instance: string): LiveInstance | null {
    const held = this.live.get(instance);
    if (!held) return null;
    this.live.delete(instance);
    held.node.updateUsage(held.resources, -1);
    if (held.topologyClaim) held.node.topology.release(held.topologyClaim);
    this.reindex(held.node);
    return held;
  }

  decide(request: Request, seq: number, options: ReplayOptions): Decision {
    return request.op === 'build' ? this.decideBuild(request, seq, options) : this.decideDelete(request, seq);
  }

  private decideBuild(request: BuildRequest, seq: number, options: ReplayOptions): Decision {
    const outcome = this.build(request.flavor, request.host, request.aggregate, options.audit);
    this.commit(request.instance, request.flavor, outcome);
    const claimed = outcome.node !== null && outcome.reasons.length === 0;
    const result = claimed ? 'claimed' : 'rejected';
    const placement = claimed ? outcome.test?.topologyClaim ?? null : null;
    return {
      seq,
      op: 'build',
      instance: request.instance,
      flavor: request.flavor,
      host: outcome.node?.name ?? null,
      result,
      reasons: outcome.reasons,
      message: claimed ? null : outcome.node === null ? NO_VALID_HOST : claimMessage(outcome.reasons),
      requested: outcome.test?.requested ?? this.nominalResources(request.flavor),
      ...expectation(request.expect, result),
      causes: null,
      attempts: outcome.attempts,
      numa: placement?.numa ?? null,
      pci: placement?.pci ?? null,
      audit: options.audit ? outcome.audit : null,
    };
  }

  private decideDelete(request: DeleteRequest, seq: number): Decision {
    const released = this.delete(request.instance);
    return {
      seq,
      op: 'delete',
      instance: request.instance,
      flavor: released?.flavor ?? null,
      host: released?.node.name ?? null,
      result: 'released',
      reasons: [],
      message: null,
      requested: released?.resources ?? null,
      expect: null,
      expectation_met: null,
      causes: null,
      attempts: null,
      numa: null,
      pci: null,
      audit: null,
    };
  }

  /** The compute manager claiming on the node it was told to use: no scheduler, no alternates. */
  private claimOn(node: ComputeNode, request: FlavorRequest, withAudit: boolean): BuildOutcome {
    const test = testClaim(node, request, withAudit);
    return {
      node,
      test,
      reasons: test.reasons,
      attempts: null,
      audit: test.audit ? [{ host: node.name, lines: test.audit }] : [],
    };
  }

  private schedule(request: FlavorRequest, aggregate: string | null, withAudit: boolean): BuildOutcome {
    const index = this.indexFor(aggregate);
    const { flavor } = request;
    const demand = { memory_mb: flavor.memory_mb, disk_gb: flavor.root_gb + flavor.ephemeral_gb, vcpus: flavor.vcpus };
    const attempts: Attempt[] = [];
    const audit: ClaimAudit[] = [];
    const refused: ComputeNode[] = [];
    let chosen: Placement | null = null;
    for (let node = index.best(demand); node !== null; node = index.best(demand)) {
      const test = testClaim(node, request, withAudit);
      if (test.audit) audit.push({ host: node.name, lines: test.audit });
      attempts.push({ host: node.name, reasons: test.reasons });
      if (test.reasons.length === 0) {
        chosen = { node, test };
        break;
      }
      refused.push(node);
      index.exclude(node);
    }
    for (const node of refused) index.update(node);
    if (chosen) return { node: chosen.node, test: chosen.test, reasons: [], attempts, audit };
    return { node: null, test: null, reasons: [NO_VALID_HOST], attempts: this.explainNoValidHost(index, request), audit };
  }

  /**
   * NoValidHost lists every candidate's own reasons. A cloud that is full rejects many
   * builds in a row while few hosts change between them, so each host's reasons are
   * kept per flavor and recomputed only for hosts whose usage changed since.
   */
  private explainNoValidHost(index: HostIndex, request: FlavorRequest): Attempt[] {
    let byFlavor = this.explanations.get(index);
    if (!byFlavor) this.explanations.set(index, (byFlavor = new Map()));
    let cached = byFlavor.get(request.flavor.name);
    if (!cached) {
      cached = { versions: new Float64Array(index.nodes.length).fill(-1), attempts: [] };
      byFlavor.set(request.flavor.name, cached);
    }
    let attempts = cached.attempts;
    index.nodes.forEach((node, position) => {
      if (cached.versions[position] === node.version) return;
      if (attempts === cached.attempts) attempts = [...cached.attempts];
      attempts[position] = { host: node.name, reasons: testClaim(node, request, false).reasons };
      cached.versions[position] = node.version;
    });
    cached.attempts = attempts;
    return attempts;
  }

  private indexFor(aggregate: string | null): HostIndex {
    if (aggregate === null) return this.everyHost;
    let index = this.aggregateIndexes.get(aggregate);
    if (!index) {
      index = new HostIndex(this.aggregateMembers.get(aggregate) ?? [], this.cloud.settings.weigher);
      this.aggregateIndexes.set(aggregate, index);
    }
    return index;
  }

  private reindex(node: ComputeNode): void {
    this.everyHost.update(node);
    for (const label of node.spec.aggregates) this.aggregateIndexes.get(label)?.update(node);
  }

  /** What the flavor asks for before any host's overhead: shown when no host took the claim. */
  private nominalResources(flavor: string): Resources {
    const { flavor: spec } = lookup(this.flavorRequests, flavor, 'flavor');
    return { memory_mb: spec.memory_mb, disk_gb: spec.root_gb + spec.ephemeral_gb, vcpus: spec.vcpus };
  }
}

function expectation(expect: Expectation | null, result: Decision['result']): Pick<Decision, 'expect' | 'expectation_met'> {
  return { expect, expectation_met: expect === null ? null : expect === result };
}

function lookup<T>(map: Map<string, T>, name: string, what: string): T {
  const found = map.get(name);
  // The plan loader rejects unknown names with a located error; reaching here is a bug.
  if (found === undefined) throw new Error(`unknown ${what} ${JSON.stringify(name)}`);
  return found;
}

/** Counts decisions as they pass, for the summary line every output ends with. */
export class SummaryCounter {
  readonly summary: ReplaySummary = {
    requests: 0,
    builds: 0,
    deletes: 0,
    claimed: 0,
    rejected: 0,
    released: 0,
    expectations: 0,
    expectations_failed: 0,
  };

  count(decision: Decision): void {
    const { summary } = this;
    summary.requests++;
    if (decision.op === 'build') summary.builds++;
    else summary.deletes++;
    summary[decision.result]++;
    if (decision.expectation_met !== null) {
      summary.expectations++;
      if (!decision.expectation_met) summary.expectations_failed++;
    }
  }
}

/** Decides each request in order, lazily, so a million-request trace streams. */
export function* replay(
  state: CloudState,
  requests: Iterable<Request>,
  options: ReplayOptions,
  counter: SummaryCounter = new SummaryCounter(),
): Generator<Decision> {
  let seq = 0;
  for (const request of requests) {
    const decision = state.decide(request, ++seq, options);
    counter.count(decision);
    yield decision;
  }
}
