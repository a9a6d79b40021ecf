// The cloud as the ResourceTracker and the scheduler see it while a plan replays: every
// compute node's usage, the instances each holds, and the indexes the scheduler searches.
// Deciding a request is the only way to change it (docs/semantics.md).
import { claimMessage, requestedResources, testClaim, type ClaimTest, type FlavorRequest } from './claim.ts';
import { ComputeNode } from './compute-node.ts';
import type { Attempt, BuildRequest, ClaimAudit, Cloud, Decision, DeleteRequest, Expectation, HostUsage, RejectionCause, Request, Resources } from './model.ts';
import { NoValidHostExplainer } from './no-valid-host.ts';
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

/** Where a build would land and the claim test that passed there, or why nowhere. */
interface BuildOutcome {
  node: ComputeNode | null;
  test: ClaimTest | null;
  reasons: string[];
  /** the exception text a rejection raises */
  message: string;
  causes: RejectionCause[] | null;
  attempts: Attempt[] | null;
  audit: ClaimAudit[];
}

export class CloudState {
  private readonly everyHost: HostIndex;
  private readonly aggregateMembers = new Map<string, ComputeNode[]>();
  /** built on first use: most plans never ask for most aggregates */
  private readonly aggregateIndexes = new Map<string, HostIndex>();
  private readonly noValidHost: NoValidHostExplainer;

  private constructor(
    readonly cloud: Cloud,
    private readonly nodes: ComputeNode[],
    private readonly nodesByName: Map<string, ComputeNode>,
    private readonly flavorRequests: Map<string, FlavorRequest>,
    private readonly live: Map<string, LiveInstance>,
  ) {
    this.everyHost = new HostIndex(nodes, cloud.settings.weigher);
    this.noValidHost = new NoValidHostExplainer(nodes.length);
    for (const node of nodes) {
      for (const label of node.spec.aggregates) {
        const members = this.aggregateMembers.get(label) ?? [];
        members.push(node);
        this.aggregateMembers.set(label, members);
      }
    }
  }

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
        const topologyClaim = node.topology.addExisting(request.topology, node.settings.packing_host_numa_cells_allocation_strategy);
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
    return new CloudState(this.cloud, nodes, new Map(nodes.map((node) => [node.name, node])), this.flavorRequests, live);
  }

  /** The node behind a name, for questions asked of one host (fit). */
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

  decide(request: Request, seq: number, options: ReplayOptions): Decision {
    return request.op === 'build' ? this.decideBuild(request, seq, options) : this.decideDelete(request, seq);
  }

  private decideBuild(request: BuildRequest, seq: number, options: ReplayOptions): Decision {
    const flavorRequest = lookup(this.flavorRequests, request.flavor, 'flavor');
    const { refusal } = flavorRequest.topology;
    const outcome =
      refusal !== null
        ? refusedByApi(refusal)
        : request.host === null
          ? this.schedule(flavorRequest, request.aggregate, options)
          : this.claimOnNamedHost(lookup(this.nodesByName, request.host, 'host'), flavorRequest, options.audit);
    const claimed = outcome.node !== null && outcome.reasons.length === 0;
    if (claimed) this.takeClaim(request.instance, request.flavor, outcome.node!, outcome.test!);
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
      message: claimed ? null : outcome.message,
      requested: outcome.test?.requested ?? nominalResources(flavorRequest),
      ...expectation(request.expect, result),
      causes: outcome.causes,
      attempts: outcome.attempts,
      numa: placement?.numa ?? null,
      pci: placement?.pci ?? null,
      audit: options.audit ? outcome.audit : null,
    };
  }

  private decideDelete(request: DeleteRequest, seq: number): Decision {
    const released = this.releaseInstance(request.instance);
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
  private claimOnNamedHost(node: ComputeNode, request: FlavorRequest, withAudit: boolean): BuildOutcome {
    const test = testClaim(node, request, withAudit);
    const audit = test.audit ? [{ host: node.name, lines: test.audit }] : [];
    return { node, test, reasons: test.reasons, message: claimMessage(test.reasons), causes: null, attempts: null, audit };
  }

  /**
   * The scheduler: the index proposes the best-weighted host with room in memory, disk
   * and vcpus; the full claim test (NUMA, PCI) decides, and a refused host is set aside
   * until the index proposes another or none is left.
   */
  private schedule(request: FlavorRequest, aggregate: string | null, options: ReplayOptions): BuildOutcome {
    const index = this.indexFor(aggregate);
    const demand = nominalResources(request);
    const attempts: Attempt[] | null = options.explain ? [] : null;
    const audit: ClaimAudit[] = [];
    const refused: ComputeNode[] = [];
    let chosen: { node: ComputeNode; test: ClaimTest } | null = null;
    for (let node = index.best(demand); node !== null; node = index.best(demand)) {
      const test = testClaim(node, request, options.audit);
      if (test.audit) audit.push({ host: node.name, lines: test.audit });
      attempts?.push({ host: node.name, reasons: test.reasons });
      if (test.reasons.length === 0) {
        chosen = { node, test };
        break;
      }
      refused.push(node);
      index.exclude(node);
    }
    for (const node of refused) index.update(node);
    if (chosen) return { node: chosen.node, test: chosen.test, reasons: [], message: '', causes: null, attempts, audit };
    return {
      node: null,
      test: null,
      reasons: [NO_VALID_HOST],
      message: NO_VALID_HOST,
      causes: this.noValidHost.causes(index, request, aggregate),
      attempts: options.explain ? this.noValidHost.attempts(index, request) : null,
      audit,
    };
  }

  private takeClaim(instance: string, flavor: string, node: ComputeNode, test: ClaimTest): void {
    node.updateUsage(test.requested, 1);
    if (test.topologyClaim) node.topology.apply(test.topologyClaim);
    this.reindex(node);
    this.live.set(instance, { node, flavor, resources: test.requested, topologyClaim: test.topologyClaim });
  }

  /** Gives back what the instance holds; null when it holds nothing (never built, or its build was rejected). */
  private releaseInstance(instance: string): LiveInstance | null {
    const held = this.live.get(instance);
    if (!held) return null;
    this.live.delete(instance);
    held.node.updateUsage(held.resources, -1);
    if (held.topologyClaim) held.node.topology.release(held.topologyClaim);
    this.reindex(held.node);
    return held;
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
}

/**
 * A build the API refuses before any host is looked at (Nova's compute API raising, e.g.
 * PciRequestAliasNotDefined for an alias nova.conf lacks): no host, no claim.
 */
function refusedByApi(refusal: string): BuildOutcome {
  return { node: null, test: null, reasons: [refusal], message: refusal, causes: null, attempts: null, audit: [] };
}

/** What the flavor asks for before any host's overhead: shown when no host took the claim. */
function nominalResources({ flavor }: FlavorRequest): Resources {
  return { memory_mb: flavor.memory_mb, disk_gb: flavor.root_gb + flavor.ephemeral_gb, vcpus: flavor.vcpus };
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
