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
  HostStateRequest,
  HostUsage,
  RejectionCause,
  Request,
  ResourceAmounts,
  Resources,
  ServerGroup,
} from './model.ts';
import { LiveInstances } from './live-instances.ts';
import { NoValidHostExplainer, SERVICE_DOWN_ATTEMPT } from './no-valid-host.ts';
import { PLACEMENT_MODEL } from './placement/placement-model.ts';
import { placementCatalog, type PlacementCatalog } from './placement/provider.ts';
import { requestSpecFor, type RequestSpec } from './request-spec.ts';
import { HostIndex, outweighs } from './scheduler.ts';
import { ServerGroupMembers } from './server-groups.ts';
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
  /** the node's place in the inventory: a clone shares these records and reads its own nodes */
  nodeIndex: number;
  flavor: string;
  held: Held;
  /** what an evacuation asks the scheduler for again: the build's aggregate, root disk and server group */
  aggregate: string | null;
  bootFromVolume: boolean;
  group: string | null;
}

/** An instance on a host, as `nova host-evacuate` lists it. */
export interface HostedInstance {
  instance: string;
  flavor: string;
  host: string;
}

/** Where an evacuated instance was rebuilt, or why nowhere. */
export interface Evacuation {
  instance: string;
  flavor: string;
  from: string;
  /** null when the scheduler found no host */
  to: string | null;
  reasons: string[];
  causes: RejectionCause[] | null;
  /** what the instance asks for: the flavor's own amounts when no host took it */
  requested: Resources;
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
    private readonly live: LiveInstances<LiveInstance>,
    private readonly groups: ServerGroupMembers,
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
    const state = new CloudState(cloud, nodes, new Map(nodes.map((node) => [node.name, node])), topologies, catalog, new LiveInstances(), ServerGroupMembers.of(cloud.server_groups ?? []));
    for (const node of nodes) {
      for (const existing of node.spec.instances) {
        const held = state.modelOf(node).addExisting(node, state.requestSpec(existing.flavor, false));
        state.live.set(existing.name, { nodeIndex: node.index, flavor: existing.flavor, held, aggregate: null, bootFromVolume: false, group: null });
      }
    }
    return state;
  }

  /** An independent copy, for questions like "how many more fit" that must not change this state. */
  clone(): CloudState {
    const nodes = this.nodes.map((node) => node.clone());
    return new CloudState(this.cloud, nodes, new Map(nodes.map((node) => [node.name, node])), this.topologies, this.catalog, this.live.fork(), this.groups.clone());
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

  /** Every live instance and its host. */
  hostedInstances(): HostedInstance[] {
    return [...this.live.entries()].map(([instance, { flavor, nodeIndex }]) => ({ instance, flavor, host: this.nodes[nodeIndex].name }));
  }

  /** The memory a flavor asks for, by which evacuation orders the instances it moves. */
  flavorMemory(flavor: string): number {
    return this.requestSpec(flavor, false).flavor.memory_mb;
  }

  /**
   * Rebuilds the instance on another host, as `nova evacuate` does without a target: the
   * scheduler chooses among the hosts that are up, within the aggregate the build asked
   * for; a host the build named is not kept, since Nova resets a forced destination on
   * evacuation (nova/compute/api.py `evacuate`). The source host keeps what the instance
   * held there until it comes back and cleans up, as nova-compute does on restart
   * (`_destroy_evacuated_instances`), so only the destination's usage changes.
   */
  evacuate(instance: string, options: ReplayOptions): Evacuation {
    const live = this.live.get(instance);
    // Failover evacuates only the instances this state lists; reaching here is a bug.
    if (live === undefined) throw new Error(`unknown instance ${JSON.stringify(instance)}`);
    const spec = this.requestSpec(live.flavor, live.bootFromVolume);
    const source = this.nodes[live.nodeIndex];
    // Nova's group filters and weighers run on evacuation, the group's hosts still counting the source.
    const outcome = this.scheduleBuild(spec, live.aggregate, live.group === null ? null : this.groups.group(live.group), options);
    if (outcome.node !== null && outcome.test !== null) {
      if (live.group !== null) this.groups.leave(live.group, instance, source);
      this.takeClaim(instance, live, outcome.node, outcome.test);
    }
    return {
      instance,
      flavor: live.flavor,
      from: source.name,
      to: outcome.node?.name ?? null,
      reasons: outcome.reasons,
      causes: outcome.causes,
      requested: outcome.test?.requested ?? nominalResources(spec),
    };
  }

  decide(request: Request, seq: number, options: ReplayOptions): Decision {
    switch (request.op) {
      case 'build':
        return this.decideBuild(request, seq, options);
      case 'delete':
        return this.decideDelete(request, seq);
      default:
        return this.decideHostState(request, seq);
    }
  }

  private decideBuild(request: BuildRequest, seq: number, options: ReplayOptions): Decision {
    const spec = this.requestSpec(request.flavor, request.boot_from_volume ?? false);
    const { refusal } = spec.topology;
    const group = request.group === undefined ? null : this.groups.group(request.group);
    const outcome =
      refusal !== null
        ? refusedByApi(refusal)
        : request.host === null
          ? this.scheduleBuild(spec, request.aggregate, group, options)
          : this.claimOnNamedHost(lookup(this.nodesByName, request.host, 'host'), spec, request.instance, group, options.audit);
    const claimed = outcome.node !== null && outcome.reasons.length === 0;
    if (claimed) {
      const live = { flavor: request.flavor, aggregate: request.aggregate, bootFromVolume: request.boot_from_volume ?? false, group: request.group ?? null };
      this.takeClaim(request.instance, live, outcome.node!, outcome.test!);
    }
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
      host: released ? this.nodes[released.nodeIndex].name : null,
      result: 'released',
      requested: released?.held.requested ?? null,
      ...untestedFields(),
    };
    if (released?.held.allocation) decision.resources = released.held.allocation;
    return decision;
  }

  /** A compute service going down or up: the host's instances and usage stay as they are. */
  private decideHostState(request: HostStateRequest, seq: number): Decision {
    this.setServiceDown(lookup(this.nodesByName, request.host, 'host'), request.op === 'down');
    return {
      seq,
      op: request.op,
      instance: null,
      flavor: null,
      host: request.host,
      result: request.op,
      requested: null,
      ...untestedFields(),
    };
  }

  private setServiceDown(node: ComputeNode, down: boolean): void {
    node.setServiceDown(down);
    this.reindex(node);
  }

  /**
   * The compute manager building on the node it was told to use: no scheduler, no
   * alternates. A down compute service takes no build: Nova's compute API refuses with
   * ComputeServiceUnavailable (nova/exception.py).
   */
  private claimOnNamedHost(node: ComputeNode, spec: RequestSpec, instance: string, group: ServerGroup | null, withAudit: boolean): BuildOutcome {
    if (node.serviceDown) return refusedOnHost(node, `Compute service of ${node.name} is unavailable at this time.`);
    const test = this.modelOf(node).claimOnNamedHost(node, spec, instance, withAudit);
    const audit = test.audit ? [{ host: node.name, lines: test.audit }] : [];
    // The compute manager checks a hard group's policy once the claim is made
    // (nova/compute/manager.py `_validate_instance_group_policy`), raising GroupAffinityViolation.
    if (test.reasons.length === 0 && group !== null && this.groups.refusal(group, node) !== null) {
      return { ...refusedOnHost(node, `${group.policy === 'affinity' ? 'Affinity' : 'Anti-affinity'} instance group policy was violated`), audit };
    }
    return { node, test, reasons: test.reasons, message: test.message ?? '', causes: null, attempts: null, audit };
  }

  /** The scheduler, through the group's filters and weighers when the build is in a server group. */
  private scheduleBuild(spec: RequestSpec, aggregate: string | null, group: ServerGroup | null, options: ReplayOptions): BuildOutcome {
    return group === null ? this.schedule(spec, aggregate, options) : this.scheduleInGroup(spec, aggregate, group, options);
  }

  /**
   * A build in a server group. Every host in scope is tested, since Nova normalises each
   * weigher's weights over all the hosts that passed the filters (nova/weights.py
   * `normalize`): the RAM weigher's, and the soft policies' (nova/scheduler/weights/affinity.py);
   * the hard policies filter (nova/scheduler/filters/affinity_filter.py). Ties go to the
   * host listed first.
   */
  private scheduleInGroup(spec: RequestSpec, aggregate: string | null, group: ServerGroup, options: ReplayOptions): BuildOutcome {
    const scope = this.scope(aggregate);
    const attempts: Attempt[] | null = options.explain ? [] : null;
    const passed: { node: ComputeNode; test: HostTest }[] = [];
    let candidateFound = false;
    let refusedByGroup = 0;
    for (const node of scope) {
      if (node.serviceDown) {
        attempts?.push({ host: node.name, reasons: [SERVICE_DOWN_ATTEMPT] });
        continue;
      }
      const test = this.modelOf(node).testForScheduler(node, spec, false);
      candidateFound ||= test.candidate;
      const refusal = this.groups.refusal(group, node);
      if (refusal !== null) refusedByGroup++;
      attempts?.push({ host: node.name, reasons: refusal === null ? test.reasons : [...test.reasons, refusal] });
      if (test.reasons.length === 0 && refusal === null) passed.push({ node, test });
    }
    const chosen = this.groups.weighed(group, passed, this.cloud.settings.weigher);
    if (chosen) {
      const audit: ClaimAudit[] = [];
      if (options.audit) {
        const model = this.modelOf(chosen.node);
        const lines = [...(model.testForScheduler(chosen.node, spec, true).audit ?? []), ...model.claimAudit(chosen.node, chosen.test)];
        if (lines.length > 0) audit.push({ host: chosen.node.name, lines });
      }
      return { node: chosen.node, test: chosen.test, reasons: [], message: '', causes: null, attempts, audit };
    }
    const reason = this.cloud.settings.capacity_model === 'placement' && !candidateFound ? NO_ALLOCATION_CANDIDATES : NO_VALID_HOST;
    const causes = this.noValidHost.causes(scope, aggregate, spec);
    if (refusedByGroup > 0) {
      const before = causes.findIndex((cause) => cause.cause === 'down' || cause.cause === 'aggregate');
      const server_group = { name: group.name, policy: group.policy };
      causes.splice(before < 0 ? causes.length : before, 0, { cause: 'group', hosts: refusedByGroup, closest: null, server_group });
    }
    return { node: null, test: null, reasons: [reason], message: reason, causes, attempts, audit: [] };
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
  private takeClaim(instance: string, live: Omit<LiveInstance, 'nodeIndex' | 'held'>, node: ComputeNode, test: HostTest): void {
    this.modelOf(node).commit(node, test);
    this.reindex(node);
    this.live.set(instance, { ...live, nodeIndex: node.index, held: test });
    if (live.group !== null) this.groups.join(live.group, instance, node);
  }

  /** Gives back what the instance holds; null when it holds nothing (never built, or its build was rejected). */
  private releaseInstance(instance: string): LiveInstance | null {
    const held = this.live.get(instance);
    if (!held) return null;
    this.live.delete(instance);
    const node = this.nodes[held.nodeIndex];
    if (held.group !== null) this.groups.leave(held.group, instance, node);
    this.modelOf(node).release(node, held.held);
    this.reindex(node);
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

/** What a decision that tests no claim (a delete, a host going down or up) leaves empty. */
function untestedFields(): Pick<Decision, 'reasons' | 'message' | 'expect' | 'expectation_met' | 'causes' | 'attempts' | 'numa' | 'pci' | 'audit'> {
  return { reasons: [], message: null, expect: null, expectation_met: null, causes: null, attempts: null, numa: null, pci: null, audit: null };
}

/** A build the named node refuses before or after its claim: the reason is the whole message. */
function refusedOnHost(node: ComputeNode, reason: string): BuildOutcome {
  return { node, test: null, reasons: [reason], message: reason, causes: null, attempts: null, audit: [] };
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
