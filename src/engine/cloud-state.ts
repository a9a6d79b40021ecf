// The cloud as the ResourceTracker, Placement and the scheduler see it while a plan
// replays: every compute node's usage and resource provider, the instances each holds,
// and the indexes the scheduler searches. Deciding a request is the only way to change
// it (docs/semantics.md). Each host's capacity model (capacity-model.ts) answers for it.
import type { CapacityModel, Held, HostTest } from './capacity-model.ts';
import { ComputeNode, nominalResources, resolveSettings } from './compute-node.ts';
import { LEGACY_MODEL } from './legacy/legacy-model.ts';
import type {
  Attempt,
  BuildRequest,
  CapacityModelName,
  ClaimAudit,
  Cloud,
  Decision,
  DeleteRequest,
  Expectation,
  HostUsage,
  RejectionCause,
  Request,
  ResourceAmounts,
} from './model.ts';
import { NoValidHostExplainer } from './no-valid-host.ts';
import { PLACEMENT_MODEL } from './placement/placement-model.ts';
import { placementCatalog, type PlacementCatalog } from './placement/provider.ts';
import { requestSpecFor, type RequestSpec } from './request-spec.ts';
import { HostIndex, outweighs } from './scheduler.ts';
import { topologyRequestFor, type TopologyRequest } from './topology/index.ts';

export const NO_VALID_HOST = 'No valid host was found. There are not enough hosts available.';
/**
 * nova/scheduler/manager.py `select_destinations`: when Placement returns no allocation
 * candidates, Nova raises NoValidHost with an empty reason, which leaves this text.
 */
export const NO_ALLOCATION_CANDIDATES = 'No valid host was found. ';

const MODELS: Record<CapacityModelName, CapacityModel> = { legacy: LEGACY_MODEL, placement: PLACEMENT_MODEL };

export interface ReplayOptions {
  /** collect Nova's audit lines for every claim (docs/output.md, "--verbose") */
  audit: boolean;
  /** list every host tried, with its reasons, on scheduled builds (`--explain`) */
  explain: boolean;
}

/** What a build took, so that a delete gives back exactly that. */
interface LiveInstance {
  node: ComputeNode;
  flavor: string;
  held: Held;
}

/** Where a build would land and the test that passed there, or why nowhere. */
interface BuildOutcome {
  node: ComputeNode | null;
  test: HostTest | null;
  reasons: string[];
  /** the exception text a rejection raises */
  message: string;
  causes: RejectionCause[] | null;
  attempts: Attempt[] | null;
  audit: ClaimAudit[];
}

/** An index that proposes hosts, and what this request needs of each host's room. */
interface Proposer {
  index: HostIndex;
  demand: readonly number[];
}

export class CloudState {
  private readonly aggregateMembers = new Map<string, ComputeNode[]>();
  /** built on first use, per scope and index plan: most plans never ask for most aggregates */
  private readonly indexes = new Map<string, HostIndex>();
  /** per scope and request, the indexes that propose hosts, so a request costs no walk over the hosts */
  private readonly proposers = new Map<string, Proposer[]>();
  /** every built index a node is in, to update them when its usage changes */
  private readonly indexesOfNode = new Map<ComputeNode, HostIndex[]>();
  /** per flavor, the request of a build from an image and of one from a volume */
  private readonly requestSpecs = new Map<string, [RequestSpec | null, RequestSpec | null]>();
  private readonly noValidHost: NoValidHostExplainer;

  private constructor(
    readonly cloud: Cloud,
    private readonly nodes: ComputeNode[],
    private readonly nodesByName: Map<string, ComputeNode>,
    private readonly topologies: Map<string, TopologyRequest>,
    private readonly catalog: PlacementCatalog,
    private readonly live: Map<string, LiveInstance>,
  ) {
    this.noValidHost = new NoValidHostExplainer(nodes.length, (node) => this.modelOf(node));
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
    const topologies = new Map<string, TopologyRequest>();
    for (const flavor of cloud.flavors) {
      const topology = topologyRequestFor(flavor, cloud.pci_aliases);
      // The plan loader reports these as located input errors; reaching here is a bug.
      if (!topology.ok) throw new Error(`flavor ${flavor.name}: ${topology.error}`);
      topologies.set(flavor.name, topology.value);
    }
    const nodes = cloud.hosts.map((spec, index) => {
      const settings = resolveSettings(cloud.settings, spec);
      const model = MODELS[settings.capacity_model];
      return ComputeNode.start(index, spec, settings, model.limits(spec, settings), model.provider(spec, settings));
    });
    const catalog = placementCatalog(nodes.flatMap((node) => (node.provider ? [node.spec] : [])));
    const state = new CloudState(cloud, nodes, new Map(nodes.map((node) => [node.name, node])), topologies, catalog, new Map());
    for (const node of nodes) {
      for (const existing of node.spec.instances) {
        const held = state.modelOf(node).addExisting(node, state.requestSpec(existing.flavor, false));
        state.live.set(existing.name, { node, flavor: existing.flavor, held });
      }
    }
    return state;
  }

  /** An independent copy, for questions like "how many more fit" that must not change this state. */
  clone(): CloudState {
    const nodes = this.nodes.map((node) => node.clone());
    const live = new Map<string, LiveInstance>();
    for (const [name, instance] of this.live) live.set(name, { ...instance, node: nodes[instance.node.index] });
    return new CloudState(this.cloud, nodes, new Map(nodes.map((node) => [node.name, node])), this.topologies, this.catalog, live);
  }

  /** The node behind a name, for questions asked of one host (fit). */
  nodeNamed(host: string): ComputeNode {
    return lookup(this.nodesByName, host, 'host');
  }

  /** The capacity model that answers for the node: its own setting, as any per-host setting. */
  modelOf(node: ComputeNode): CapacityModel {
    return MODELS[node.settings.capacity_model];
  }

  /** The request a build of the flavor makes, its root disk on a volume or not. */
  requestSpec(flavor: string, bootFromVolume: boolean): RequestSpec {
    let specs = this.requestSpecs.get(flavor);
    if (!specs) this.requestSpecs.set(flavor, (specs = [null, null]));
    const slot = Number(bootFromVolume);
    if (specs[slot] === null) {
      const topology = lookup(this.topologies, flavor, 'flavor');
      const definition = this.cloud.flavors.find((candidate) => candidate.name === flavor)!;
      specs[slot] = requestSpecFor(definition, topology, bootFromVolume, this.catalog);
    }
    return specs[slot];
  }

  hostUsages(): HostUsage[] {
    return this.nodes.map((node) => node.usage());
  }

  hostNames(aggregate: string | null = null): string[] {
    return this.scope(aggregate).map((node) => node.name);
  }

  decide(request: Request, seq: number, options: ReplayOptions): Decision {
    return request.op === 'build' ? this.decideBuild(request, seq, options) : this.decideDelete(request, seq);
  }

  private decideBuild(request: BuildRequest, seq: number, options: ReplayOptions): Decision {
    const spec = this.requestSpec(request.flavor, request.boot_from_volume ?? false);
    const { refusal } = spec.topology;
    const outcome =
      refusal !== null
        ? refusedByApi(refusal)
        : request.host === null
          ? this.schedule(spec, request.aggregate, options)
          : this.claimOnNamedHost(lookup(this.nodesByName, request.host, 'host'), spec, request.instance, options.audit);
    const claimed = outcome.node !== null && outcome.reasons.length === 0;
    if (claimed) this.takeClaim(request.instance, request.flavor, outcome.node!, outcome.test!);
    const result = claimed ? 'claimed' : 'rejected';
    const placement = claimed ? outcome.test?.topologyClaim ?? null : null;
    const decision: Decision = {
      seq,
      op: 'build',
      instance: request.instance,
      flavor: request.flavor,
      host: outcome.node?.name ?? null,
      result,
      reasons: outcome.reasons,
      message: claimed ? null : outcome.message,
      requested: outcome.test?.requested ?? nominalResources(spec),
      ...expectation(request.expect, result),
      causes: outcome.causes,
      attempts: outcome.attempts,
      numa: placement?.numa ?? null,
      pci: placement?.pci ?? null,
      audit: options.audit ? outcome.audit : null,
    };
    const resources = this.resourcesAsked(spec, outcome);
    if (resources) decision.resources = resources;
    return decision;
  }

  /**
   * Under the Placement model, what the build asked Placement for: the allocation it got,
   * or the request it made. Absent under the legacy model.
   */
  private resourcesAsked(spec: RequestSpec, outcome: BuildOutcome): ResourceAmounts | undefined {
    const model = outcome.node ? this.modelOf(outcome.node).name : this.cloud.settings.capacity_model;
    if (model !== 'placement') return undefined;
    return outcome.test?.allocation ?? Object.fromEntries(spec.placement.primary.resources);
  }

  private decideDelete(request: DeleteRequest, seq: number): Decision {
    const released = this.releaseInstance(request.instance);
    const decision: Decision = {
      seq,
      op: 'delete',
      instance: request.instance,
      flavor: released?.flavor ?? null,
      host: released?.node.name ?? null,
      result: 'released',
      reasons: [],
      message: null,
      requested: released?.held.requested ?? null,
      expect: null,
      expectation_met: null,
      causes: null,
      attempts: null,
      numa: null,
      pci: null,
      audit: null,
    };
    if (released?.held.allocation) decision.resources = released.held.allocation;
    return decision;
  }

  /** The compute manager building on the node it was told to use: no scheduler, no alternates. */
  private claimOnNamedHost(node: ComputeNode, spec: RequestSpec, instance: string, withAudit: boolean): BuildOutcome {
    const test = this.modelOf(node).claimOnNamedHost(node, spec, instance, withAudit);
    const audit = test.audit ? [{ host: node.name, lines: test.audit }] : [];
    return { node, test, reasons: test.reasons, message: test.message ?? '', causes: null, attempts: null, audit };
  }

  /**
   * The scheduler: the indexes propose the best-weighted host with room; its model's test
   * decides, and a refused host is set aside until the indexes propose another or none is
   * left. Under Placement, a build no host was a candidate for gets Nova's empty reason.
   */
  private schedule(spec: RequestSpec, aggregate: string | null, options: ReplayOptions): BuildOutcome {
    const proposers = this.proposersFor(spec, aggregate);
    const attempts: Attempt[] | null = options.explain ? [] : null;
    const audit: ClaimAudit[] = [];
    const refused: ComputeNode[] = [];
    let candidateFound = false;
    let chosen: { node: ComputeNode; test: HostTest } | null = null;
    for (let node = best(proposers, this.cloud.settings.weigher); node !== null; node = best(proposers, this.cloud.settings.weigher)) {
      const model = this.modelOf(node);
      const test = model.testForScheduler(node, spec, options.audit);
      if (test.audit) audit.push({ host: node.name, lines: test.audit });
      attempts?.push({ host: node.name, reasons: test.reasons });
      candidateFound ||= test.candidate;
      if (test.reasons.length === 0) {
        if (options.audit) {
          const lines = model.claimAudit(node, test);
          if (lines.length > 0) audit.push({ host: node.name, lines });
        }
        chosen = { node, test };
        break;
      }
      refused.push(node);
      for (const { index } of proposers) index.exclude(node);
    }
    for (const node of refused) for (const { index } of proposers) index.update(node);
    if (chosen) return { node: chosen.node, test: chosen.test, reasons: [], message: '', causes: null, attempts, audit };
    const reason = this.cloud.settings.capacity_model === 'placement' && !candidateFound ? NO_ALLOCATION_CANDIDATES : NO_VALID_HOST;
    const scope = this.scope(aggregate);
    return {
      node: null,
      test: null,
      reasons: [reason],
      message: reason,
      causes: this.noValidHost.causes(scope, aggregate, spec),
      attempts: options.explain ? this.noValidHost.attempts(scope, aggregate, spec) : null,
      audit,
    };
  }

  /** The test that passed is what the build holds: a delete gives back its figures, cells, pools and allocation. */
  private takeClaim(instance: string, flavor: string, node: ComputeNode, test: HostTest): void {
    this.modelOf(node).commit(node, test);
    this.reindex(node);
    this.live.set(instance, { node, flavor, held: test });
  }

  /** Gives back what the instance holds; null when it holds nothing (never built, or its build was rejected). */
  private releaseInstance(instance: string): LiveInstance | null {
    const held = this.live.get(instance);
    if (!held) return null;
    this.live.delete(instance);
    this.modelOf(held.node).release(held.node, held.held);
    this.reindex(held.node);
    return held;
  }

  /** The hosts a build may land on: all of them, or the aggregate's. */
  private scope(aggregate: string | null): ComputeNode[] {
    return aggregate === null ? this.nodes : this.aggregateMembers.get(aggregate) ?? [];
  }

  /** The indexes each model in scope plans for the request, built the first time a scope needs them. */
  private proposersFor(spec: RequestSpec, aggregate: string | null): Proposer[] {
    const key = `${aggregate ?? ''}\u0000${spec.key}`;
    let proposers = this.proposers.get(key);
    if (!proposers) this.proposers.set(key, (proposers = this.planProposers(spec, aggregate)));
    return proposers;
  }

  private planProposers(spec: RequestSpec, aggregate: string | null): Proposer[] {
    const scope = this.scope(aggregate);
    const proposers: Proposer[] = [];
    for (const model of new Set(scope.map((node) => this.modelOf(node)))) {
      for (const plan of model.indexPlans(spec)) {
        const key = `${aggregate ?? ''}\u0000${model.name}\u0000${plan.key}`;
        let index = this.indexes.get(key);
        if (!index) {
          const members = scope.filter((node) => this.modelOf(node) === model && plan.member(node));
          index = new HostIndex(members, this.cloud.settings.weigher, plan.dimensions, plan.rooms);
          this.indexes.set(key, index);
          for (const node of members) {
            const indexes = this.indexesOfNode.get(node) ?? [];
            indexes.push(index);
            this.indexesOfNode.set(node, indexes);
          }
        }
        proposers.push({ index, demand: plan.demand });
      }
    }
    return proposers;
  }

  private reindex(node: ComputeNode): void {
    for (const index of this.indexesOfNode.get(node) ?? []) index.update(node);
  }
}

/** The best host any of the indexes proposes: the higher weight, ties to the host listed first. */
function best(proposers: readonly Proposer[], weigher: Cloud['settings']['weigher']): ComputeNode | null {
  if (proposers.length === 1) return proposers[0].index.best(proposers[0].demand);
  let chosen: ComputeNode | null = null;
  for (const { index, demand } of proposers) {
    const node = index.best(demand);
    if (node !== null && (chosen === null || outweighs(node, chosen, weigher))) chosen = node;
  }
  return chosen;
}

/**
 * A build the API refuses before any host is looked at (Nova's compute API raising, e.g.
 * PciRequestAliasNotDefined for an alias nova.conf lacks): no host, no claim.
 */
function refusedByApi(refusal: string): BuildOutcome {
  return { node: null, test: null, reasons: [refusal], message: refusal, causes: null, attempts: null, audit: [] };
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
