// The cloud as the ResourceTracker, Placement and the scheduler see it while a plan
// replays: every compute node's usage and resource provider, and the instances each holds.
// Deciding a request is the only way to change it (docs/semantics.md): a build, a move and
// its confirm or revert, a delete, a host going down or up, taking and giving back claims.
// Each host's capacity model (capacity-model.ts) answers for it; the filter scheduler
// (filter-scheduler.ts) chooses the host when a request names none.
import type { CapacityModel } from '../models/capacity-model.ts';
import { heldBy, type Held, type HostTest } from './host-test.ts';
import { ChangeJournal } from './change-journal.ts';
import { ComputeNode, NodeTrial, nominalResources, resolveSettings } from './compute-node.ts';
import { ANYWHERE, FilterScheduler, inAggregate, NO_ALLOCATION_CANDIDATES, NO_VALID_HOST, noHostFound, type BuildConstraints, type BuildOutcome } from '../scheduler/filter-scheduler.ts';
import { aggregatesByName, hostAggregates, settingsFromAggregates, type HostAggregate } from '../scheduler/host-aggregates.ts';
import { AGGREGATE_NUM_INSTANCES_FILTER, NUM_INSTANCES_FILTER } from '../scheduler/filters/num-instances.ts';
import { availabilityZoneRefusal, hostZone } from '../scheduler/availability-zones.ts';
import { LEGACY_MODEL } from '../models/legacy/legacy-model.ts';
import type {
  BuildRequest,
  CapacityModelName,
  Cloud,
  Decision,
  DeleteRequest,
  Expectation,
  HostStateRequest,
  HostUsage,
  MoveEndRequest,
  MoveRequest,
  ImageSpec,
  RejectionCause,
  ReplayOptions,
  SchedulerHints,
  Request,
  ResourceAmounts,
  Resources,
  ServerGroup,
} from './model.ts';
import { LiveInstances } from './live-instances.ts';
import { ACCEPTED, checkDiskResize, checkInstanceState, checkResizeFlavor, checkSameHostMove, EVACUATION_TO_OWN_HOST, mayStayOnSource, type VmState } from '../moves/api-checks.ts';
import { PLACEMENT_MODEL } from '../models/placement/placement-model.ts';
import { placementCatalog, type PlacementCatalog } from '../models/placement/provider.ts';
import { requestSpecFor, type RequestSpec } from './request-spec.ts';
import { ServerGroupMembers } from '../scheduler/server-groups.ts';
import { SeededRandom } from '../scheduler/seeded-random.ts';
import { topologyRequestFor, type TopologyRequest } from '../topology/host-topology.ts';
import { failure, type Result } from './result.ts';

const MODELS: Record<CapacityModelName, CapacityModel> = { legacy: LEGACY_MODEL, placement: PLACEMENT_MODEL };

/** What an instance holds on one host. */
interface HostHold {
  /** the node's place in the inventory: a clone shares these records and reads its own nodes */
  nodeIndex: number;
  flavor: string;
  held: Held;
}

/** What an evacuation left on its down source. */
interface LeftBehind extends HostHold {
  /**
   * Until the host starts again: nova-compute's start-up then removes the instance's own
   * allocations there and marks the evacuation completed, once
   * (nova/compute/manager.py `_destroy_evacuated_instances`).
   */
  awaitingCleanUp: boolean;
}

/** What a build asked for beyond its flavor, which its moves ask for again. */
interface BuildAsk {
  aggregate: string | null;
  /** the build's zone, project, image and hints, when it gave any */
  asked: AskedPlacement | null;
  bootFromVolume: boolean;
  group: string | null;
}

/** The asks of the builds that ask nothing beyond their flavor and root disk, as nearly all do: one object each, shared by their instances. */
const PLAIN_BUILDS: readonly [BuildAsk, BuildAsk] = [
  Object.freeze({ aggregate: null, asked: null, bootFromVolume: false, group: null }),
  Object.freeze({ aggregate: null, asked: null, bootFromVolume: true, group: null }),
];

function buildAsk(aggregate: string | null, asked: AskedPlacement | null, bootFromVolume: boolean, group: string | null): BuildAsk {
  if (aggregate === null && asked === null && group === null) return PLAIN_BUILDS[bootFromVolume ? 1 : 0];
  return { aggregate, asked, bootFromVolume, group };
}

/** One empty list for the hundreds of thousands of instances that no evacuation left anywhere. */
const NOTHING_LEFT: readonly LeftBehind[] = Object.freeze([]);

/** What a build took, so that a delete gives back exactly that. */
interface LiveInstance extends HostHold {
  /** what a move asks the scheduler for again */
  build: BuildAsk;
  /** an unconfirmed resize or cold migration: the source, which keeps its hold until confirm or revert */
  pending: HostHold | null;
  /**
   * Under the Placement model, what evacuations left behind that the unconfirmed move's
   * migration holds: the conductor hands all of the instance's allocations to the migration
   * (docs/semantics.md, "Moves after an evacuation"), so confirm frees them and revert gives them back.
   */
  carried: readonly LeftBehind[];
  /** the hosts evacuations left it on that the instance itself still holds */
  leftBehind: readonly LeftBehind[];
  /** an evacuation found no host: the conductor set the instance to ERROR on its source */
  error: boolean;
}

/** An instance on a host, as `nova host-evacuate` lists it. */
export interface HostedInstance {
  instance: string;
  flavor: string;
  host: string;
  /** its root disk on a volume: it takes no root disk on its host */
  bootFromVolume: boolean;
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

export class CloudState {
  /** per flavor, the request of a build from an image and of one from a volume */
  private readonly requestSpecs = new Map<string, [RequestSpec | null, RequestSpec | null]>();
  /** over this state's own nodes and server group members: a clone gets its own, with copies of this one's host indexes */
  private readonly scheduler: FilterScheduler;
  private readonly images: Map<string, ImageSpec>;
  /** each node's aggregates, by node index */
  private readonly aggregatesOf: HostAggregate[][];
  /** each node's availability zone, by node index */
  private readonly zones: string[];
  /** the nodes a trial changed, as they were before it */
  private readonly trialNodes = new NodeTrial();

  private constructor(
    readonly cloud: Cloud,
    private readonly nodes: ComputeNode[],
    private readonly nodesByName: Map<string, ComputeNode>,
    private readonly topologies: Map<string, TopologyRequest>,
    private readonly catalog: PlacementCatalog,
    /** a trial replaces it with a fork for the while it runs */
    private live: LiveInstances<LiveInstance>,
    private readonly groups: ServerGroupMembers,
    /** the scheduler's random draws, which a clone continues from where this state is */
    private readonly random: SeededRandom,
    /** the state this is a clone of: what depends only on the plan is shared, and its scheduler's host indexes copied */
    cloneOf: CloudState | null = null,
  ) {
    const changes = new ChangeJournal(nodes.length);
    for (const node of nodes) node.recordChangesIn(changes, this.trialNodes);
    if (cloneOf !== null) {
      this.aggregatesOf = cloneOf.aggregatesOf;
      this.images = cloneOf.images;
      this.zones = cloneOf.zones;
      this.scheduler = cloneOf.scheduler.cloneOver(nodes, groups, (node) => this.modelOf(node), random, changes);
      return;
    }
    const aggregates = aggregatesByName(cloud.aggregates);
    const aggregatesOf = nodes.map((node) => hostAggregates(node.spec, aggregates));
    this.scheduler = new FilterScheduler(nodes, cloud.settings, groups, (node) => this.modelOf(node), random, aggregatesOf, [...aggregates.values()], changes);
    this.images = new Map((cloud.images ?? []).map((image) => [image.name, image]));
    this.zones = aggregatesOf.map((own) => hostZone(own, cloud.settings));
    this.aggregatesOf = aggregatesOf;
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
    const aggregates = aggregatesByName(cloud.aggregates);
    const nodes = cloud.hosts.map((spec, index) => {
      const settings = settingsFromAggregates(resolveSettings(cloud.settings, spec), hostAggregates(spec, aggregates));
      const model = MODELS[settings.capacity_model];
      return ComputeNode.start(index, spec, settings, model.limits(spec, settings), model.provider(spec, settings));
    });
    const catalog = placementCatalog(nodes.flatMap((node) => (node.provider ? [node.spec] : [])));
    const state = new CloudState(cloud, nodes, new Map(nodes.map((node) => [node.name, node])), topologies, catalog, new LiveInstances(), ServerGroupMembers.of(cloud.server_groups ?? []), SeededRandom.seeded(cloud.seed ?? 0));
    for (const node of nodes) {
      for (const existing of node.spec.instances) {
        const held = state.modelOf(node).addExisting(node, state.requestSpec(existing.flavor, false));
        state.live.set(existing.name, liveRecord({ nodeIndex: node.index, flavor: existing.flavor, held, build: PLAIN_BUILDS[0], pending: null, carried: NOTHING_LEFT, leftBehind: NOTHING_LEFT, error: false }));
      }
    }
    return state;
  }

  /** An independent copy, for questions like "how many more fit" that must not change this state. */
  clone(): CloudState {
    const nodes = this.nodes.map((node) => node.clone());
    return new CloudState(this.cloud, nodes, new Map(nodes.map((node) => [node.name, node])), this.topologies, this.catalog, this.live.fork(), this.groups.clone(), this.random.clone(), this);
  }

  /**
   * Runs `scenario` on this state, then puts the state back as it was, as though it had run
   * on a clone: the nodes it changed (their usage, service state, NUMA cells, PCI pools and
   * allocations, each a change the scheduler and the journal follow), the instances, the
   * server groups' members and the random draws. For a scenario that changes a few hosts
   * of many, such as a failover's, this costs what it changes, where a clone costs every
   * host and the scheduler's indexes (docs/semantics.md, "Failover").
   */
  trial<T>(scenario: () => T): T {
    const { live } = this;
    const groups = this.groups.clone();
    const draws = this.random.clone();
    this.trialNodes.begin();
    this.live = live.fork();
    try {
      return scenario();
    } finally {
      this.trialNodes.end((node) => this.scheduler.reindex(node));
      this.live = live;
      this.groups.putBack(groups);
      this.random.putBack(draws);
    }
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

  /** The hosts carrying an aggregate label (all without one), in a zone when one is given. */
  hostNames(aggregate: string | null = null, zone: string | null = null): string[] {
    return this.scheduler.scope(aggregate).flatMap((node) => (zone === null || this.zones[node.index] === zone ? [node.name] : []));
  }

  /**
   * How many more instances NumInstancesFilter and AggregateNumInstancesFilter, where
   * enabled, let the host run, the stricter of the two, with the bound and the filter; null
   * when neither is enabled.
   */
  instancesAllowed(node: ComputeNode): { more: number; max: number; filter: string } | null {
    let allowed: { more: number; max: number; filter: string } | null = null;
    for (const filter of [NUM_INSTANCES_FILTER, AGGREGATE_NUM_INSTANCES_FILTER]) {
      if (!this.cloud.settings.enabled_filters.includes(filter.name)) continue;
      const max = filter.most({ node, aggregates: this.aggregatesOf[node.index] }, this.cloud.settings);
      const more = Math.max(0, max - node.running_vms);
      if (allowed === null || more < allowed.more) allowed = { more, max, filter: filter.name };
    }
    return allowed;
  }

  /**
   * Why the enabled filters that read no usage (and Zed's request filters) refuse a flavor
   * on a host, for a build in `asked`'s zone, project and image; null when they pass it.
   */
  filterRefusal(spec: RequestSpec, node: ComputeNode, asked: { availability_zone?: string | null; project?: string | null; image?: string | null }): string | null {
    const { availability_zone = null, project = null, image = null } = asked;
    const where = { ...ANYWHERE, availability_zone, project, image: image === null ? null : this.images.get(image) ?? null };
    return this.scheduler.scopeFor(spec, where).refused.get(node)?.reason ?? null;
  }

  /** Each aggregate's hosts, in inventory order, aggregates in order of first mention. */
  aggregateMembers(): Map<string, string[]> {
    return new Map(this.scheduler.aggregateNames().map((aggregate) => [aggregate, this.hostNames(aggregate)]));
  }

  /** Every live instance and its host. */
  hostedInstances(): HostedInstance[] {
    return [...this.live.entries()].map(([instance, { flavor, nodeIndex, build }]) => ({ instance, flavor, host: this.nodes[nodeIndex].name, bootFromVolume: build.bootFromVolume }));
  }

  /**
   * What the scheduler reads of a build's ask: its hints' instances resolved to the hosts
   * they are on now (a name no live instance has matches no host; a reused name, its latest
   * instance), so a move or an evacuation keeps them as they stand when it runs.
   */
  private constraints(aggregate: string | null, asked: AskedPlacement | null): BuildConstraints {
    if (asked === null) return inAggregate(aggregate);
    const hosts = (names: readonly string[] | undefined): ReadonlySet<ComputeNode> | null => {
      if (names === undefined || names.length === 0) return null;
      const found = new Set<ComputeNode>();
      for (const name of names) {
        const live = this.live.get(name);
        if (live !== undefined) found.add(this.nodes[live.nodeIndex]);
      }
      return found;
    };
    const image = asked.image === null ? null : this.images.get(asked.image) ?? null;
    return { ...ANYWHERE, aggregate, availability_zone: asked.availability_zone, project: asked.project, image, sameHost: hosts(asked.hints?.same_host), differentHost: hosts(asked.hints?.different_host) };
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
    const spec = this.requestSpec(live.flavor, live.build.bootFromVolume);
    const source = this.nodes[live.nodeIndex];
    const outcome = this.scheduleMove(spec, live, instance, null, null, options);
    if (outcome.node !== null && outcome.test !== null) this.completeMove('evacuate', instance, live, live.flavor, outcome.node, outcome.test);
    else this.setError(instance, live);
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
      case 'resize':
      case 'migrate':
      case 'live_migrate':
      case 'evacuate':
        return this.decideMove(request, seq, options);
      case 'confirm':
      case 'revert':
        return this.decideMoveEnd(request, seq);
      default:
        return this.decideHostState(request, seq);
    }
  }

  private decideBuild(request: BuildRequest, seq: number, options: ReplayOptions): Decision {
    const bootFromVolume = request.boot_from_volume ?? false;
    const spec = this.requestSpec(request.flavor, bootFromVolume);
    const { refusal } = spec.topology;
    const group = request.group === undefined ? null : this.groups.group(request.group);
    const asked = askedPlacement(request, this.cloud.settings.default_schedule_zone);
    // The API checks the zone only when no host is forced (nova/compute/api.py `_provision_instances`).
    const zoneRefusal = asked === null || request.host !== null ? null : availabilityZoneRefusal(asked.availability_zone, this.nodes, (node) => this.zones[node.index]);
    const outcome =
      refusal !== null || zoneRefusal !== null
        ? refusedByApi((refusal ?? zoneRefusal)!)
        : request.host === null
          ? this.scheduler.build(spec, this.constraints(request.aggregate, asked), group, options)
          : this.claimOnNamedHost(lookup(this.nodesByName, request.host, 'host'), spec, request.instance, group, options.audit);
    const claimed = outcome.node !== null && outcome.reasons.length === 0;
    if (claimed) {
      const node = outcome.node!;
      const held = heldBy(outcome.test!);
      this.takeClaim(request.instance, { nodeIndex: node.index, flavor: request.flavor, held, build: buildAsk(request.aggregate, asked, bootFromVolume, request.group ?? null), pending: null, carried: NOTHING_LEFT, leftBehind: NOTHING_LEFT, error: false }, node);
    }
    return this.testedDecision(seq, request, undefined, request.flavor, spec, outcome, claimed, options);
  }

  /**
   * A build's or a move's decision: where it landed and what it holds there, or why it was
   * refused; under the Placement model also what it asked Placement for.
   */
  private testedDecision(
    seq: number,
    request: BuildRequest | MoveRequest,
    from: string | null | undefined,
    flavor: string | null,
    spec: RequestSpec | null,
    outcome: BuildOutcome,
    claimed: boolean,
    options: ReplayOptions,
  ): Decision {
    const result = claimed ? 'claimed' : 'rejected';
    const placement = claimed ? outcome.test?.topologyClaim ?? null : null;
    const decision: Decision = {
      seq,
      op: request.op,
      instance: request.instance,
      flavor,
      host: outcome.node?.name ?? null,
      result,
      reasons: outcome.reasons,
      message: claimed ? null : outcome.message,
      requested: outcome.test?.requested ?? (spec === null ? null : nominalResources(spec)),
      ...expectation(request.expect, result),
      causes: outcome.causes,
      attempts: outcome.attempts,
      numa: placement?.numa ?? null,
      pci: placement?.pci ?? null,
      audit: options.audit ? outcome.audit : null,
    };
    // Set after the literal, not spread into it: a build's decision keeps one fixed shape,
    // which a million of them on the replay's hot path depend on.
    if (from !== undefined) decision.from = from;
    if (outcome.weighed !== null) decision.weighed = outcome.weighed;
    const resources = spec === null ? undefined : this.resourcesAsked(spec, outcome);
    if (resources) decision.resources = resources;
    if (outcome.test?.providers && claimed) decision.providers = outcome.test.providers;
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

  /**
   * A resize, migration, live migration or evacuation: what the API and conductor refuse
   * first, then the scheduler for a destination and the move claim there, with the new
   * flavor's NUMA and PCI fitted afresh (docs/semantics.md, "Moves").
   */
  private decideMove(request: MoveRequest, seq: number, options: ReplayOptions): Decision {
    const live = this.live.get(request.instance) ?? null;
    const flavor = request.flavor ?? live?.flavor ?? null;
    const accepted = live === null ? failure(refusalOfUnbuilt(request)) : this.checkMove(request, live);
    const outcome = accepted.ok ? this.moveOutcome(request, live!, options) : refusedByApi(accepted.error);
    const claimed = live !== null && outcome.node !== null && outcome.test !== null && outcome.reasons.length === 0;
    const from = live === null ? null : this.nodes[live.nodeIndex].name;
    if (claimed) this.completeMove(request.op, request.instance, live, flavor!, outcome.node!, outcome.test!);
    else if (accepted.ok && request.op === 'evacuate') this.setError(request.instance, live!);
    const spec = flavor === null ? null : this.requestSpec(flavor, live?.build.bootFromVolume ?? false);
    return this.testedDecision(seq, request, from, flavor, spec, outcome, claimed, options);
  }

  /**
   * What the API refuses, in Nova's order: an evacuation's destination that is the host the
   * instance is on (nova/api/openstack/compute/evacuate.py checks it first), the instance's
   * state, the source's service, the flavor, a cold move's destination that is the source.
   */
  private checkMove(request: MoveRequest, live: LiveInstance): Result<void> {
    const { op, instance } = request;
    const source = this.nodes[live.nodeIndex];
    const target = request.host === null ? null : lookup(this.nodesByName, request.host, 'host');
    if (op === 'evacuate' && target === source) return failure(EVACUATION_TO_OWN_HOST);
    const state = checkInstanceState(op, instance, vmStateOf(live));
    if (!state.ok) return state;
    // nova/compute/api.py: `evacuate` raises ComputeServiceInUse; `resize` (and cold
    // migration) is decorated check_instance_host(check_is_up=True), whose ServiceUnavailable
    // names no host; a live migration passes the API and the conductor's task raises
    // ComputeServiceUnavailable (nova/conductor/tasks/live_migrate.py `_check_host_is_up`).
    // A disabled service is still heard from (serviceUp): evacuating off it is refused, moving off it is not.
    if (op === 'evacuate') return source.serviceUp ? failure(`Compute service of ${source.name} is still in use.`) : ACCEPTED;
    if (!source.serviceUp) return failure(op === 'live_migrate' ? `Compute service of ${source.name} is unavailable at this time.` : 'Service is unavailable at this time.');
    if (op === 'resize') {
      const current = this.requestSpec(live.flavor, live.build.bootFromVolume);
      const spec = this.requestSpec(request.flavor ?? live.flavor, live.build.bootFromVolume);
      // A cold move keeps the PCI requests Nova stored; only a resize asks again from the new flavor.
      const resized = checkResizeFlavor(current.flavor, spec.flavor, live.build.bootFromVolume);
      if (!resized.ok) return resized;
      if (spec.topology.refusal !== null) return failure(spec.topology.refusal);
    }
    return target === source ? checkSameHostMove(op, this.cloud.settings.allow_resize_to_same_host) : ACCEPTED;
  }

  /** The scheduler and the move claim for a move the API let through. */
  private moveOutcome(request: MoveRequest, live: LiveInstance, options: ReplayOptions): BuildOutcome {
    const { op, instance } = request;
    const current = this.requestSpec(live.flavor, live.build.bootFromVolume);
    const spec = request.flavor === null ? current : this.requestSpec(request.flavor, live.build.bootFromVolume);
    const target = request.host === null ? null : lookup(this.nodesByName, request.host, 'host');
    const outcome = op === 'live_migrate' && spec.topology.pci.length > 0 ? this.pciLiveMigration(live, target) : this.scheduleMove(spec, live, instance, op, target, options);
    if (op !== 'resize' || outcome.test === null) return outcome;
    const resized = checkDiskResize(current.flavor, spec.flavor, live.build.bootFromVolume);
    return resized.ok ? outcome : refusedOnHost(outcome.node!, resized.error);
  }

  /**
   * The conductor skips every host the scheduler offers for an instance with flavor PCI
   * devices (MigrationPreCheckError: only VIF-related PCI requests live-migrate), until
   * none is left (nova/conductor/tasks/live_migrate.py `_check_can_migrate_pci`).
   */
  private pciLiveMigration(live: LiveInstance, target: ComputeNode | null): BuildOutcome {
    const source = this.nodes[live.nodeIndex];
    const scope = target === null ? this.scheduler.scopeFor(this.requestSpec(live.flavor, live.build.bootFromVolume), this.constraints(live.build.aggregate, live.build.asked)).nodes : [target];
    const others = scope.filter((node) => node !== source).length;
    const causes: RejectionCause[] = others > 0 ? [{ cause: 'pci', hosts: others, closest: null }] : [];
    if (others < scope.length) causes.push({ cause: 'source', hosts: 1, closest: null });
    return noHostFound(NO_VALID_HOST, causes, null, []);
  }

  /**
   * The scheduler for a move: the instance's own aggregate and server group, without the
   * host it is on (ignore_hosts) unless a resize may stay there, only on the destination
   * when one is named. An evacuation's source is down, so ComputeFilter already passes over it.
   */
  private scheduleMove(spec: RequestSpec, live: LiveInstance, instance: string, op: MoveRequest['op'] | null, target: ComputeNode | null, options: ReplayOptions): BuildOutcome {
    const source = this.nodes[live.nodeIndex];
    const ignored = op === null || op === 'evacuate' || mayStayOnSource(op, this.cloud.settings.allow_resize_to_same_host) ? null : source;
    const group = live.build.group === null ? null : this.groups.group(live.build.group);
    let outcome: BuildOutcome;
    const where = this.constraints(live.build.aggregate, live.build.asked);
    if (target === null && group === null) outcome = this.scheduler.schedule(spec, where, options, ignored);
    else {
      const scope = this.scheduler.scopeFor(spec, where);
      const candidates = target === null ? scope.nodes : scope.nodes.includes(target) ? [target] : [];
      const refused = target === null ? undefined : scope.refused.get(target);
      const excluded: RejectionCause[] =
        target === null ? scope.causes : candidates.length > 0 ? [] : [{ cause: refused === undefined ? 'aggregate' : refused.cause, hosts: 1, closest: null }];
      outcome = this.scheduler.among(candidates, excluded, spec, where, group, ignored, instance, options);
    }
    // Placement lists the ignored source among the candidates (only the host manager's
    // ignore_hosts drops it), so when it has room Nova's reason is the filters', not the
    // empty one of no candidate (nova/scheduler/manager.py `_schedule`).
    const sourceIsCandidate = ignored !== null && (target === null || target === source) && outcome.reasons[0] === NO_ALLOCATION_CANDIDATES;
    if (!sourceIsCandidate || !this.modelOf(source).testForScheduler(source, spec, false).candidate) return outcome;
    return noHostFound(NO_VALID_HOST, outcome.causes, outcome.attempts, outcome.audit);
  }

  /**
   * The instance now holds the destination. An evacuation leaves its hold on the source
   * until that host comes back up and cleans up (`_destroy_evacuated_instances`). Any other
   * move's migration first took the source's hold and, under the Placement model, what
   * evacuations left behind (nova/conductor/tasks/migrate.py `replace_allocation_with_migration`
   * moves all of the instance's allocations): a live migration gives them back as it
   * completes, a resize or cold migration when confirmed, or as it lands when the cloud
   * confirms moves so (docs/semantics.md, "Moves after an evacuation").
   */
  private completeMove(op: MoveRequest['op'], instance: string, live: LiveInstance, flavor: string, destination: ComputeNode, test: HostTest): void {
    const source: HostHold = { nodeIndex: live.nodeIndex, flavor: live.flavor, held: live.held };
    if (live.build.group !== null) this.groups.leave(live.build.group, instance, this.nodes[source.nodeIndex]);
    let pending: HostHold | null = null;
    let carried = NOTHING_LEFT;
    let leftBehind = live.leftBehind;
    if (op === 'evacuate') leftBehind = [...leftBehind, { ...source, awaitingCleanUp: true }];
    else {
      carried = leftBehind.filter((hold) => this.heldByAllocation(hold));
      leftBehind = leftBehind.filter((hold) => !this.heldByAllocation(hold));
      if (op === 'live_migrate' || this.cloud.settings.auto_confirm_moves) {
        for (const hold of [source, ...carried]) this.giveBack(hold);
        carried = NOTHING_LEFT;
      } else pending = source;
    }
    this.takeClaim(instance, liveRecord({ ...live, nodeIndex: destination.index, flavor, held: heldBy(test), pending, carried, leftBehind, error: false }), destination);
  }

  /**
   * Whether Placement holds it, as an allocation a consumer owns, rather than the legacy
   * ResourceTracker, which counts on the host only the instances and migrations it hosts.
   */
  private heldByAllocation({ nodeIndex }: HostHold): boolean {
    return this.modelOf(this.nodes[nodeIndex]).name === 'placement';
  }

  /** The conductor sets an instance whose evacuation found no host to ERROR, on its source (nova/conductor/manager.py `rebuild_instance`). */
  private setError(instance: string, live: LiveInstance): void {
    this.live.set(instance, liveRecord({ ...live, error: true }));
  }

  /**
   * Confirm gives the source's hold back; revert gives the destination's back and the
   * instance returns to its source and old flavor, whose hold was kept for it
   * (nova/compute/resource_tracker.py `drop_move_claim`).
   */
  private decideMoveEnd(request: MoveEndRequest, seq: number): Decision {
    const live = this.live.get(request.instance) ?? null;
    const state = checkInstanceState(request.op, request.instance, live === null ? 'error' : vmStateOf(live));
    if (!state.ok || live === null || live.pending === null) {
      const reason = state.ok ? '' : state.error;
      return {
        seq,
        op: request.op,
        instance: request.instance,
        from: null,
        flavor: live?.flavor ?? null,
        host: live === null ? null : this.nodes[live.nodeIndex].name,
        result: 'rejected',
        requested: null,
        ...untestedFields(),
        reasons: [reason],
        message: reason,
        ...expectation(request.expect, 'rejected'),
      };
    }
    const { pending } = live;
    const destination: HostHold = { nodeIndex: live.nodeIndex, flavor: live.flavor, held: live.held };
    const [kept, given] = request.op === 'confirm' ? [destination, pending] : [pending, destination];
    this.giveBack(given);
    // Confirm deletes the migration's allocations, revert hands them all back to the instance
    // (nova/compute/manager.py `_delete_allocation_after_move`, `_revert_allocation`).
    if (request.op === 'confirm') for (const hold of live.carried) this.giveBack(hold);
    const leftBehind = request.op === 'confirm' ? live.leftBehind : [...live.leftBehind, ...live.carried];
    if (live.build.group !== null && kept !== destination) {
      this.groups.leave(live.build.group, request.instance, this.nodes[destination.nodeIndex]);
      this.groups.join(live.build.group, request.instance, this.nodes[kept.nodeIndex]);
    }
    this.live.set(request.instance, liveRecord({ ...live, ...kept, pending: null, carried: NOTHING_LEFT, leftBehind }));
    const decision: Decision = {
      seq,
      op: request.op,
      instance: request.instance,
      from: this.nodes[given.nodeIndex].name,
      flavor: kept.flavor,
      host: this.nodes[kept.nodeIndex].name,
      result: 'released',
      requested: given.held.requested,
      ...untestedFields(),
      ...expectation(request.expect, 'released'),
    };
    if (given.held.allocation) decision.resources = given.held.allocation;
    if (given.held.providers) decision.providers = given.held.providers;
    return decision;
  }

  private giveBack({ nodeIndex, held }: HostHold): void {
    const node = this.nodes[nodeIndex];
    this.modelOf(node).release(node, held);
    this.scheduler.reindex(node);
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
    if (released?.held.providers) decision.providers = released.held.providers;
    return decision;
  }

  /** A compute service going down or up: the host's instances and usage stay as they are. */
  private decideHostState(request: HostStateRequest, seq: number): Decision {
    const node = lookup(this.nodesByName, request.host, 'host');
    this.setServiceDown(node, request.op === 'down');
    if (request.op === 'up') this.cleanUpEvacuated(node);
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

  /**
   * nova-compute starting again destroys what evacuations left on its host and removes the
   * instance's own allocations there, once per evacuation (`_destroy_evacuated_instances`).
   * What an unconfirmed move's migration holds there is not the instance's: it stays until
   * confirm, and after a revert the instance holds it until it is deleted.
   */
  private cleanUpEvacuated(node: ComputeNode): void {
    const awaiting = (hold: LeftBehind) => hold.awaitingCleanUp && hold.nodeIndex === node.index;
    const evacuated = [...this.live.entries()].filter(([, live]) => live.leftBehind.some(awaiting) || live.carried.some(awaiting));
    for (const [instance, live] of evacuated) {
      for (const hold of live.leftBehind) if (awaiting(hold)) this.giveBack(hold);
      const leftBehind = live.leftBehind.filter((hold) => !awaiting(hold));
      const carried = live.carried.map((hold) => (awaiting(hold) ? { ...hold, awaitingCleanUp: false } : hold));
      this.live.set(instance, liveRecord({ ...live, carried, leftBehind }));
    }
  }

  private setServiceDown(node: ComputeNode, down: boolean): void {
    node.setServiceDown(down);
    this.scheduler.reindex(node);
  }

  /**
   * The compute manager building on the node it was told to use: no scheduler, no
   * alternates. A down compute service takes no build: Nova's compute API refuses with
   * ComputeServiceUnavailable (nova/exception.py). A disabled one that is up builds, as no
   * filter runs.
   */
  private claimOnNamedHost(node: ComputeNode, spec: RequestSpec, instance: string, group: ServerGroup | null, withAudit: boolean): BuildOutcome {
    if (!node.serviceUp) return refusedOnHost(node, `Compute service of ${node.name} is unavailable at this time.`);
    const test = this.modelOf(node).claimOnNamedHost(node, spec, instance, withAudit);
    const audit = test.audit ? [{ host: node.name, lines: test.audit }] : [];
    // The compute manager checks a hard group's policy once the claim is made
    // (nova/compute/manager.py `_validate_instance_group_policy`), raising GroupAffinityViolation.
    if (test.reasons.length === 0 && group !== null && this.groups.refusal(group, node) !== null) {
      return { ...refusedOnHost(node, `${group.policy === 'affinity' ? 'Affinity' : 'Anti-affinity'} instance group policy was violated`), audit };
    }
    return { node, test, reasons: test.reasons, message: test.message ?? '', causes: null, attempts: null, weighed: null, audit };
  }

  /**
   * The record's hold, what the test that passed found, is taken on `node`: a delete gives
   * back its figures, cells, pools and allocation. The record is made in liveRecord's shape
   * by the caller (a build writes its literal in that order; a move goes through liveRecord).
   */
  private takeClaim(instance: string, live: LiveInstance, node: ComputeNode): void {
    this.modelOf(node).commit(node, live.held);
    this.scheduler.reindex(node);
    this.live.set(instance, live);
    if (live.build.group !== null) this.groups.join(live.build.group, instance, node);
  }

  /**
   * Gives back what the instance holds, on every host it holds: an unconfirmed move's
   * source, what its migration carried and what evacuations left behind too (deleting the instance deletes its
   * allocations everywhere). Null when it holds nothing (never built, or its build was rejected).
   */
  private releaseInstance(instance: string): LiveInstance | null {
    const live = this.live.get(instance);
    if (!live) return null;
    this.live.delete(instance);
    if (live.build.group !== null) this.groups.leave(live.build.group, instance, this.nodes[live.nodeIndex]);
    for (const hold of [live, ...(live.pending ? [live.pending] : []), ...live.carried, ...live.leftBehind]) this.giveBack(hold);
    return live;
  }
}

/** A build's zone (or default_schedule_zone), project, image and hints: what the filters read beyond its flavor and aggregate. */
interface AskedPlacement {
  availability_zone: string | null;
  project: string | null;
  image: string | null;
  hints: SchedulerHints | null;
}

/** What a build asks beyond its flavor and aggregate; null for a build that asks nothing more, as most do. */
function askedPlacement(request: BuildRequest, defaultScheduleZone: string | null): AskedPlacement | null {
  // nova/compute/api.py _handle_availability_zone: an empty zone is none, and gives way to
  // default_schedule_zone; an empty default_schedule_zone asks for none either.
  const availability_zone = request.availability_zone || defaultScheduleZone || null;
  const { project = null, image = null, hints = null } = request;
  if (availability_zone === null && project === null && image === null && hints === null) return null;
  return { availability_zone, project, image, hints };
}

/**
 * A build the API refuses before any host is looked at (Nova's compute API raising, e.g.
 * PciRequestAliasNotDefined for an alias nova.conf lacks): no host, no claim.
 */
function refusedByApi(refusal: string): BuildOutcome {
  return noHostFound(refusal, null, null, []);
}

/** What a decision that tests no claim (a delete, a host going down or up) leaves empty. */
function untestedFields(): Pick<Decision, 'reasons' | 'message' | 'expect' | 'expectation_met' | 'causes' | 'attempts' | 'numa' | 'pci' | 'audit'> {
  return { reasons: [], message: null, expect: null, expectation_met: null, causes: null, attempts: null, numa: null, pci: null, audit: null };
}

/** A build the named node refuses before or after its claim: the reason is the whole message. */
function refusedOnHost(node: ComputeNode, reason: string): BuildOutcome {
  return { ...refusedByApi(reason), node };
}

/**
 * Every live record in one shape, its fields in one order. A replay keeps hundreds of
 * thousands of them, and records made by spreading objects of other shapes cost V8 more
 * memory and time: a million-request replay took 17.8 s and 600 MB with them, 16 s and
 * 475 MB without.
 */
function liveRecord({ nodeIndex, flavor, held, build, pending, carried, leftBehind, error }: LiveInstance): LiveInstance {
  return { nodeIndex, flavor, held, build, pending, carried, leftBehind, error };
}

/** An instance the replay holds is active, resized while a move waits for confirm or revert, or in error after an evacuation found no host. */
function vmStateOf(live: LiveInstance): VmState {
  if (live.error) return 'error';
  return live.pending === null ? 'active' : 'resized';
}

/**
 * A move of an instance whose build was rejected: Nova left it in ERROR without a host,
 * so the API refuses a resize or migration by its state. An evacuation without a
 * destination asks for host None, the instance's own (evacuate.py compares them first);
 * one with a destination finds no compute service for host None (ComputeHostNotFound).
 */
function refusalOfUnbuilt(request: MoveRequest): string {
  if (request.op === 'evacuate' && request.host === null) return EVACUATION_TO_OWN_HOST;
  const state = checkInstanceState(request.op, request.instance, 'error');
  return state.ok ? 'Compute host None could not be found.' : state.error;
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
