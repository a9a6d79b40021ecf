// Nova's filter scheduler (nova/scheduler/manager.py, filter_scheduler.py) choosing a host for
// a build or a move that names none (docs/semantics.md, "The scheduler"): the hosts in scope,
// all or an aggregate's (docs/semantics.md, "Aggregates"); the filters, as the claim test each
// host's capacity model runs and a server group's hard policies; the weighers of
// weight_classes, normalised over the hosts that passed and summed (weighing.ts); the choice
// among the best (host-choice.ts); and, when no host passes, NoValidHost with why
// (docs/semantics.md, "No valid host"). The host indexes it searches (host-index.ts) are built
// the first time a scope and request need them, and follow every change to a node's usage.
import type { CapacityModel } from '../models/capacity-model.ts';
import type { ChangeJournal } from '../core/change-journal.ts';
import type { HostTest } from '../core/host-test.ts';
import type { ComputeNode } from '../core/compute-node.ts';
import type { Attempt, ClaimAudit, CloudSettings, ImageSpec, RejectionCause, ReplayOptions, ServerGroup, WeighedHost } from '../core/model.ts';
import { hostFiltersEnabled, type FilterRequest, type HostFilter } from './filters/index.ts';
import type { HostAggregate } from './host-aggregates.ts';
import { requestFilters, restrictionRefusing } from './request-filters.ts';
import { chooseHost } from './host-choice.ts';
import { HostIndex, type WeighingTerm } from './host-index.ts';
import { IndexSearch, type IndexDemand, type Passed } from './index-search.ts';
import { computeFilterRefusal } from './filters/compute.ts';
import { SAME_HOST_FILTER } from './filters/same-host.ts';
import { NoValidHostExplainer, type UsageCauses } from './no-valid-host.ts';
import type { RequestSpec } from '../core/request-spec.ts';
import type { SeededRandom } from './seeded-random.ts';
import type { ServerGroupMembers } from './server-groups.ts';
import { weighAll, type Weighed } from './weighing.ts';
import { NO_GROUP, weighersNamed, type HostWeigher, type WeighingRequest } from './weighers/index.ts';

export const NO_VALID_HOST = 'No valid host was found. There are not enough hosts available.';
/**
 * nova/scheduler/manager.py `select_destinations`: when Placement returns no allocation
 * candidates, Nova raises NoValidHost with an empty reason, which leaves this text.
 */
export const NO_ALLOCATION_CANDIDATES = 'No valid host was found. ';
/** claimplan's words for a host Placement would have listed after the max_placement_results it returns */
const BEYOND_PLACEMENT_RESULTS = 'not among the allocation candidates Placement returns (max_placement_results)';
/** how many of the best-weighed hosts `--explain` shows */
const WEIGHED_SHOWN = 5;

/** Where a build would land and the test that passed there, or why nowhere. */
export interface BuildOutcome {
  node: ComputeNode | null;
  test: HostTest | null;
  reasons: string[];
  /** the exception text a rejection raises */
  message: string;
  causes: RejectionCause[] | null;
  attempts: Attempt[] | null;
  /** the best-weighed hosts, when asked for (`--explain`) and a host was chosen */
  weighed: WeighedHost[] | null;
  audit: ClaimAudit[];
}

/** The indexes that propose hosts for one scope and request, and what the request needs of each host's room. */
interface Proposers {
  indexes: IndexDemand[];
  /** the index weighers (host-index.ts) some host in scope gives a multiplier other than 0 */
  active: boolean[];
}

/** Why a move found no host among those it tried, and whether it left out its source. */
interface MoveExplained {
  causes: RejectionCause[];
  attempts: () => Attempt[];
  sourceIgnored: boolean;
}

/**
 * What a build asks of where it lands beyond its flavor (docs/semantics.md, "Filters"): the
 * aggregate label, the zone, the project, the image, and the hosts its hints name.
 */
export interface BuildConstraints {
  aggregate: string | null;
  availability_zone: string | null;
  project: string | null;
  image: ImageSpec | null;
  /** the hosts holding the instances `same_host` names; null without the hint */
  sameHost: ReadonlySet<ComputeNode> | null;
  /** the hosts holding the instances `different_host` names; null without the hint */
  differentHost: ReadonlySet<ComputeNode> | null;
}

export const ANYWHERE: BuildConstraints = Object.freeze({ aggregate: null, availability_zone: null, project: null, image: null, sameHost: null, differentHost: null });

/** Only the hosts carrying the label, anything else allowed. */
export function inAggregate(aggregate: string | null): BuildConstraints {
  return aggregate === null ? ANYWHERE : { ...ANYWHERE, aggregate };
}

/**
 * The hosts a request may land on once its aggregate label, Zed's request filters and the
 * filters that read no usage have spoken: these depend only on the hosts' fixed facts and
 * the request, so they are decided once per kind of request, and a request that rules no
 * host out shares its aggregate's scope (and indexes).
 */
export interface Scope {
  key: string;
  nodes: readonly ComputeNode[];
  /** the hosts each filter ruled out, in the order the filters ran, then those outside the aggregate */
  causes: RejectionCause[];
  /** each host ruled out, with why (`--explain`) and the filter's name */
  refused: ReadonlyMap<ComputeNode, { reason: string; cause: string }>;
  /** every host of the aggregate, ruled out or not, in plan order */
  all: readonly ComputeNode[];
  /** a request filter's NoValidHost text: the request fails before any host is looked at */
  failure: string | null;
}
export class FilterScheduler {
  private readonly aggregateMembers = new Map<string, ComputeNode[]>();
  /** built on first use, per scope and index plan: most plans never ask for most aggregates */
  private readonly indexes = new Map<string, HostIndex>();
  /** per scope and request, the indexes that propose hosts, so a request costs no walk over the hosts */
  private readonly proposers = new Map<string, Map<string, Proposers>>();
  /** every built index a node is in, to update them when its usage changes */
  private readonly indexesOfNode = new Map<ComputeNode, HostIndex[]>();
  /** per scope, whether Placement would return more candidates than max_placement_results */
  private readonly beyondPlacementResults = new Map<string, boolean>();
  private readonly noValidHost: NoValidHostExplainer;
  /** weight_classes, in order */
  private readonly weighers: HostWeigher[];
  /** the weighers whose raw weights come from a host's own figures: the ones the indexes keep */
  private readonly indexWeighers: HostWeigher[];
  /** enabled_filters' own rules (filters/), those reading no usage, in order */
  private readonly fixedFilters: HostFilter[];
  /** enabled_filters' own rules that read usage or a request's hints, taken again per request */
  private readonly usageFilters: HostFilter[];
  /** Zed's request filters run: the Placement model */
  private readonly requestFiltersRun: boolean;
  /** per aggregate (or '') then per request and its zone, project and image, the hosts in scope */
  private readonly scopes = new Map<string, Scope>();
  private readonly plainScopes = new Map<string, WeakMap<RequestSpec, Scope>>();
  /** every host's weigher multipliers are the cloud's: aggregate metadata sets none, so the indexes' bounds hold */
  private readonly uniformMultipliers: boolean;
  /** weight_classes as the indexes' searches read them, made once (a clone shares them) */
  private readonly terms: readonly WeighingTerm[];
  /** the search of the indexes that every request outside a server group makes, one at a time */
  private readonly indexSearch: IndexSearch;

  constructor(
    private readonly nodes: readonly ComputeNode[],
    private readonly settings: CloudSettings,
    private readonly groups: ServerGroupMembers,
    private readonly modelOf: (node: ComputeNode) => CapacityModel,
    private readonly random: SeededRandom,
    /** each node's aggregates, by node index */
    private readonly aggregatesOf: readonly (readonly HostAggregate[])[],
    /** every aggregate of the plan with a zone or metadata */
    private readonly aggregates: readonly HostAggregate[],
    /** where every change of the nodes is recorded: No valid host's causes follow it */
    changes: ChangeJournal,
    /** the scheduler this one is a clone of: what depends only on the plan is shared, its indexes copied over these nodes */
    cloneOf: FilterScheduler | null = null,
  ) {
    this.noValidHost = new NoValidHostExplainer(modelOf, changes);
    if (cloneOf !== null) {
      this.weighers = cloneOf.weighers;
      this.indexWeighers = cloneOf.indexWeighers;
      this.fixedFilters = cloneOf.fixedFilters;
      this.usageFilters = cloneOf.usageFilters;
      this.requestFiltersRun = cloneOf.requestFiltersRun;
      this.uniformMultipliers = cloneOf.uniformMultipliers;
      this.terms = cloneOf.terms;
      this.indexSearch = new IndexSearch(this.weighers, this.indexWeighers, this.terms, modelOf, settings, nodes.length);
      for (const [label, members] of cloneOf.aggregateMembers) this.aggregateMembers.set(label, members.map((node) => nodes[node.index]));
      for (const [key, index] of cloneOf.indexes) this.keepIndex(key, index.copyOver(nodes));
      return;
    }
    this.weighers = weighersNamed(settings.weight_classes);
    this.indexWeighers = [...new Set(this.weighers.filter((weigher) => weigher.source === 'host' && !(weigher.alikeOn?.(nodes) ?? false)))];
    this.terms = weighingTerms(this.weighers, this.indexWeighers, settings);
    this.indexSearch = new IndexSearch(this.weighers, this.indexWeighers, this.terms, modelOf, settings, nodes.length);
    const filters = hostFiltersEnabled(settings.enabled_filters);
    this.fixedFilters = filters.filter((filter) => !filter.readsUsage);
    this.usageFilters = filters.filter((filter) => filter.readsUsage);
    this.requestFiltersRun = settings.capacity_model === 'placement';
    this.uniformMultipliers = nodes.every((node) => this.weighers.every((weigher) => weigher.multiplier(node.settings) === weigher.multiplier(settings)));
    for (const node of nodes) {
      for (const label of node.spec.aggregates) {
        const members = this.aggregateMembers.get(label) ?? [];
        members.push(node);
        this.aggregateMembers.set(label, members);
      }
    }
  }

  /** A scheduler for a clone of this one's state, over the clone's nodes, server group members, random draws and journal of changes. */
  cloneOver(nodes: readonly ComputeNode[], groups: ServerGroupMembers, modelOf: (node: ComputeNode) => CapacityModel, random: SeededRandom, changes: ChangeJournal): FilterScheduler {
    return new FilterScheduler(nodes, this.settings, groups, modelOf, random, this.aggregatesOf, this.aggregates, changes, this);
  }

  /** A build that names no host: through the group's filters and weighers when the build is in a server group. */
  build(spec: RequestSpec, where: BuildConstraints, group: ServerGroup | null, options: ReplayOptions): BuildOutcome {
    return group === null ? this.schedule(spec, where, options) : this.inGroup(spec, where, group, options);
  }

  /**
   * A build in a server group: every host in scope is tested, since the group's weighers read
   * the members on each host (nova/scheduler/weights/affinity.py) and the hard policies
   * filter (nova/scheduler/filters/affinity_filter.py).
   */
  private inGroup(spec: RequestSpec, where: BuildConstraints, group: ServerGroup, options: ReplayOptions): BuildOutcome {
    const scope = this.scopeFor(spec, where);
    if (scope.failure !== null) return noHostFound(scope.failure, [], null, []);
    const attempts: Attempt[] | null = options.explain ? [] : null;
    const tested = this.testEach(scope, this.placementCutsShort(scope), null, spec, where, group, null, attempts);
    if (tested.chosen) return this.chosenAfterTestingAll(tested.chosen, tested.weighed, spec, attempts, options);
    const causes = withGroupCause(this.causesOver(scope, spec, where), group, tested.refusedByGroup);
    return noHostFound(this.noHostReason(tested.candidateFound), causes, attempts, []);
  }

  /**
   * A build or move outside a server group. With `--explain`, where Placement would cut the
   * candidates short, where aggregates give hosts their own weigher multipliers, or where a
   * same_host hint names the few hosts allowed, every host in scope is tested and weighed;
   * otherwise the indexes find the best-weighed hosts that pass without weighing the rest.
   * Under Placement, a build no host was a candidate for gets Nova's empty reason.
   */
  schedule(spec: RequestSpec, where: BuildConstraints, options: ReplayOptions, ignored: ComputeNode | null = null): BuildOutcome {
    const scope = this.scopeFor(spec, where);
    if (scope.failure !== null) return noHostFound(scope.failure, [], null, []);
    const sameHost = where.sameHost !== null && this.usageFilters.includes(SAME_HOST_FILTER);
    if (options.explain || this.placementCutsShort(scope) || !this.uniformMultipliers || sameHost) {
      const attempts: Attempt[] | null = options.explain ? [] : null;
      const tested = this.testEach(scope, this.placementCutsShort(scope), ignored, spec, where, null, null, attempts);
      if (tested.chosen) return this.chosenAfterTestingAll(tested.chosen, tested.weighed, spec, attempts, options);
      return this.noHostForSchedule(spec, scope, where, ignored, this.noHostReason(tested.candidateFound), options, []);
    }
    return this.scheduleByIndex(spec, scope, where, options, ignored);
  }

  /**
   * The indexes' search (host-index.ts): each weigher's bounds over the hosts that pass, then
   * the best hosts by total weight, each host the indexes propose tested by the filters that
   * read usage and by its model, and set aside for the rest of the request when it fails.
   */
  private scheduleByIndex(spec: RequestSpec, scope: Scope, where: BuildConstraints, options: ReplayOptions, ignored: ComputeNode | null): BuildOutcome {
    const { indexes, active } = this.proposersFor(spec, scope);
    const { ranked, candidateFound, audit } = this.indexSearch.search({ spec, indexes, active, usage: this.usageCheck(spec, where), ignored, audit: options.audit });
    if (ranked.length > 0) {
      const chosen = chooseHost(ranked, this.settings, this.random).candidate;
      if (options.audit) {
        const lines = this.modelOf(chosen.node).claimAudit(chosen.node, chosen.test);
        if (lines.length > 0) audit.push({ host: chosen.node.name, lines });
      }
      return { node: chosen.node, test: chosen.test, reasons: [], message: '', causes: null, attempts: null, weighed: null, audit };
    }
    return this.noHostForSchedule(spec, scope, where, ignored, this.noHostReason(candidateFound), options, audit);
  }

  /**
   * A move's destination among a few candidates, or the whole scope of a move in a server
   * group: every candidate is tested and the ones that pass weighed; the host the instance
   * leaves is ignored. `excluded` counts the hosts ruled out before: by the filters that read
   * no usage, or outside the aggregate.
   */
  among(
    candidates: readonly ComputeNode[],
    excluded: readonly RejectionCause[],
    spec: RequestSpec,
    where: BuildConstraints,
    group: ServerGroup | null,
    ignored: ComputeNode | null,
    moving: string,
    options: ReplayOptions,
  ): BuildOutcome {
    const tried = ignored === null ? candidates : candidates.filter((node) => node !== ignored);
    const scope: Scope = { key: '', nodes: tried, causes: [], refused: new Map(), all: tried, failure: null };
    // Made for this request's candidates alone: what Placement returns among them is counted afresh, never kept under a scope's key.
    const tested = this.testEach(scope, placementHostsBeyond(tried, this.modelOf, this.settings), null, spec, where, group, moving, null);
    if (tested.chosen) return this.chosenAfterTestingAll(tested.chosen, tested.weighed, spec, null, options);
    const refusedByGroup = group === null ? null : { group, hosts: tested.refusedByGroup };
    // A move in a server group naming no host tries its whole scope, whose verdicts are kept.
    const inScope = this.scopeFor(spec, where);
    const explained =
      candidates === inScope.nodes
        ? this.movedFrom(inScope, spec, where, ignored)
        : { ...this.noValidHost.amongOnce(tried, spec, this.usageCauses(spec, where)), sourceIgnored: tried.length < candidates.length };
    return this.noHostForMove(explained, excluded, refusedByGroup, this.noHostReason(tested.candidateFound), options, []);
  }

  /**
   * Every host in scope tested, then the ones that passed weighed and one chosen. A host
   * whose compute service is down is passed over (ComputeFilter), as is one a filter refuses;
   * under Placement, hosts past the first max_placement_results candidates are never
   * returned to the scheduler.
   */
  private testEach(
    scope: Scope,
    /** whether Placement returns only some of the scope's hosts (placementCutsShort) */
    cutsShort: boolean,
    ignored: ComputeNode | null,
    spec: RequestSpec,
    where: BuildConstraints,
    group: ServerGroup | null,
    moving: string | null,
    attempts: Attempt[] | null,
  ): { chosen: Passed | null; weighed: Weighed<Passed>[]; candidateFound: boolean; refusedByGroup: number } {
    const passed: Passed[] = [];
    let candidateFound = false;
    let refusedByGroup = 0;
    let placementCandidates = 0;
    const usage = this.usageCheck(spec, where);
    for (const node of attempts === null ? scope.nodes : scope.all) {
      if (node === ignored) continue;
      const ruledOut = scope.refused.get(node);
      if (ruledOut !== undefined) {
        attempts?.push({ host: node.name, reasons: [ruledOut.reason] });
        continue;
      }
      const down = computeFilterRefusal(node);
      if (down !== null) {
        attempts?.push({ host: node.name, reasons: [down] });
        continue;
      }
      const model = this.modelOf(node);
      if (cutsShort && model.name === 'placement' && placementCandidates >= this.settings.max_placement_results) {
        attempts?.push({ host: node.name, reasons: [BEYOND_PLACEMENT_RESULTS] });
        continue;
      }
      const test = model.testForScheduler(node, spec, false);
      candidateFound ||= test.candidate;
      if (model.name === 'placement' && test.candidate) placementCandidates++;
      const filtered = usage === null ? null : usage(node);
      if (filtered !== null) {
        attempts?.push({ host: node.name, reasons: [filtered] });
        continue;
      }
      const refusal = group === null ? null : this.groups.refusal(group, node, moving);
      if (refusal !== null) refusedByGroup++;
      attempts?.push({ host: node.name, reasons: refusal === null ? test.reasons : [...test.reasons, refusal] });
      if (test.reasons.length === 0 && refusal === null) passed.push({ node, test });
    }
    const request: WeighingRequest = group === null ? NO_GROUP : { group, membersOn: (node) => this.groups.membersOn(group, node) };
    const weighed = weighAll(this.weighers, passed, request);
    const chosen = weighed.length === 0 ? null : chooseHost([...weighed], this.settings, this.random).candidate;
    return { chosen, weighed, candidateFound, refusedByGroup };
  }

  /**
   * Whether Placement would return more allocation candidates than the scheduler asks for
   * (max_placement_results): then only the first ones, in plan order, are weighed, which the
   * indexes cannot tell, so every host is tested.
   */
  private placementCutsShort(scope: Scope): boolean {
    let cuts = this.beyondPlacementResults.get(scope.key);
    if (cuts === undefined) this.beyondPlacementResults.set(scope.key, (cuts = placementHostsBeyond(scope.nodes, this.modelOf, this.settings)));
    return cuts;
  }

  /** Under Placement, a request no host was a candidate for gets Nova's empty reason. */
  private noHostReason(candidateFound: boolean): string {
    return this.settings.capacity_model === 'placement' && !candidateFound ? NO_ALLOCATION_CANDIDATES : NO_VALID_HOST;
  }

  /** No host for a build or move outside a server group: the causes over the scope, or over the hosts a move tried. */
  private noHostForSchedule(spec: RequestSpec, scope: Scope, where: BuildConstraints, ignored: ComputeNode | null, reason: string, options: ReplayOptions, audit: ClaimAudit[]): BuildOutcome {
    if (ignored !== null) return this.noHostForMove(this.movedFrom(scope, spec, where, ignored), scope.causes, null, reason, options, audit);
    const usage = this.usageCauses(spec, where);
    const hinted = where.sameHost !== null || where.differentHost !== null;
    const tested = !options.explain ? null : hinted ? this.noValidHost.amongOnce(scope.nodes, spec, usage).attempts() : this.noValidHost.attempts(scope.nodes, scope.key, spec, usage);
    return noHostFound(reason, this.causesOver(scope, spec, where), tested === null ? null : this.attemptsOver(scope, tested), audit);
  }

  /** The causes over a scope: the filters that read usage and the models' tests over its hosts, after those ruling hosts out of it. */
  private causesOver(scope: Scope, spec: RequestSpec, where: BuildConstraints): RejectionCause[] {
    const usage = this.usageCauses(spec, where);
    // A request with hints is one of a kind: its verdicts are not kept.
    const hinted = where.sameHost !== null || where.differentHost !== null;
    const over = hinted ? this.noValidHost.amongOnce(scope.nodes, spec, usage).causes : this.noValidHost.causes(scope.nodes, scope.key, spec, usage);
    return [...scope.causes.filter((cause) => cause.cause !== 'aggregate'), ...over, ...scope.causes.filter((cause) => cause.cause === 'aggregate')];
  }

  /** Every host of the scope's aggregate in plan order: those ruled out with their reason, the others as tested. */
  private attemptsOver(scope: Scope, tested: readonly Attempt[]): Attempt[] {
    if (scope.refused.size === 0) return [...tested];
    let next = 0;
    return scope.all.map((node) => {
      const ruledOut = scope.refused.get(node);
      return ruledOut === undefined ? tested[next++] : { host: node.name, reasons: [ruledOut.reason] };
    });
  }

  /**
   * The causes and attempts over a scope's hosts but the one a move leaves (`ignored`, when
   * the move may not stay there), and whether that host was in scope: the scope's kept
   * verdicts with it left out, unless the move carries hints, which make its verdicts its own.
   */
  private movedFrom(scope: Scope, spec: RequestSpec, where: BuildConstraints, ignored: ComputeNode | null): MoveExplained {
    const usage = this.usageCauses(spec, where);
    if (where.sameHost !== null || where.differentHost !== null) {
      const tried = ignored === null ? scope.nodes : scope.nodes.filter((node) => node !== ignored);
      return { ...this.noValidHost.amongOnce(tried, spec, usage), sourceIgnored: tried.length < scope.nodes.length };
    }
    if (ignored === null) {
      return { causes: this.noValidHost.causes(scope.nodes, scope.key, spec, usage), attempts: () => this.noValidHost.attempts(scope.nodes, scope.key, spec, usage), sourceIgnored: false };
    }
    const { causes, attempts, sourceInScope } = this.noValidHost.withoutSource(scope.nodes, scope.key, spec, usage, ignored);
    return { causes, attempts, sourceIgnored: sourceInScope };
  }

  /**
   * No host for a move: the causes over the hosts tried, then the hosts its server group
   * refused, those ruled out before (filters, aggregate), and its source when the request ignored it.
   */
  private noHostForMove(
    explained: MoveExplained,
    excluded: readonly RejectionCause[],
    refusedByGroup: { group: ServerGroup; hosts: number } | null,
    reason: string,
    options: ReplayOptions,
    audit: ClaimAudit[],
  ): BuildOutcome {
    const causes = refusedByGroup === null ? explained.causes : withGroupCause(explained.causes, refusedByGroup.group, refusedByGroup.hosts);
    causes.push(...excluded);
    if (explained.sourceIgnored) causes.push({ cause: 'source', hosts: 1, closest: null });
    return noHostFound(reason, causes, options.explain ? explained.attempts() : null, audit);
  }

  /** Each aggregate's name, in order of first mention. */
  aggregateNames(): string[] {
    return [...this.aggregateMembers.keys()];
  }

  /** The hosts carrying an aggregate label: all of them when none is asked for. */
  scope(aggregate: string | null): readonly ComputeNode[] {
    return aggregate === null ? this.nodes : this.aggregateMembers.get(aggregate) ?? [];
  }

  /**
   * The hosts a request may land on (Scope): its aggregate's, less those Zed's request
   * filters and the enabled filters that read no usage rule out, decided once per
   * aggregate, flavor, image, zone and project.
   */
  scopeFor(spec: RequestSpec, where: BuildConstraints): Scope {
    const label = where.aggregate ?? '';
    if (this.fixedFilters.length === 0 && !this.requestFiltersRun) return this.aggregateScope(where.aggregate);
    // Most requests name no image, zone or project: their scope is found without building a key.
    const plain = where.image === null && where.availability_zone === null && where.project === null;
    if (plain) {
      let byRequest = this.plainScopes.get(label);
      if (!byRequest) this.plainScopes.set(label, (byRequest = new WeakMap()));
      let scope = byRequest.get(spec);
      if (!scope) byRequest.set(spec, (scope = this.filteredScope(spec, where, `${label}\u0000${spec.key}`)));
      return scope;
    }
    const key = `${label}\u0000${spec.key}\u0000${where.image?.name ?? ''}\u0000${where.availability_zone ?? ''}\u0000${where.project ?? ''}`;
    let scope = this.scopes.get(key);
    if (!scope) this.scopes.set(key, (scope = this.filteredScope(spec, where, key)));
    return scope;
  }

  private aggregateScope(aggregate: string | null): Scope {
    const key = aggregate ?? '';
    let scope = this.scopes.get(key);
    if (!scope) {
      const nodes = this.scope(aggregate);
      const outside = this.nodes.length - nodes.length;
      const causes: RejectionCause[] = aggregate !== null && outside > 0 ? [{ cause: 'aggregate', hosts: outside, closest: null }] : [];
      this.scopes.set(key, (scope = { key, nodes, causes, refused: new Map(), all: nodes, failure: null }));
    }
    return scope;
  }

  /** The request filters' and the fixed filters' verdict on every host of the aggregate; the aggregate's own scope when they rule none out. */
  private filteredScope(spec: RequestSpec, where: BuildConstraints, key: string): Scope {
    const base = this.aggregateScope(where.aggregate);
    const request: FilterRequest = { flavor: spec.flavor, image: where.image, availability_zone: where.availability_zone, project: where.project, sameHost: null, differentHost: null };
    const { restrictions, failure } = this.requestFiltersRun ? requestFilters(this.aggregates, this.settings, request) : { restrictions: [], failure: null };
    if (failure !== null) return { ...base, key, failure };
    const refused = new Map<ComputeNode, { reason: string; cause: string }>();
    const counts = new Map<string, number>();
    for (const node of base.nodes) {
      const aggregates = this.aggregatesOf[node.index];
      const restriction = restrictions.length === 0 ? null : restrictionRefusing(restrictions, aggregates.map(({ name }) => name));
      let ruledOut: { reason: string; cause: string } | null = restriction === null ? null : { reason: `not in the aggregates ${restriction.name} requires (${restriction.name})`, cause: restriction.name };
      for (const filter of this.fixedFilters) {
        if (ruledOut !== null) break;
        const reason = filter.refusal({ node, aggregates }, request, this.settings);
        if (reason !== null) ruledOut = { reason, cause: filter.name };
      }
      if (ruledOut === null) continue;
      refused.set(node, ruledOut);
      counts.set(ruledOut.cause, (counts.get(ruledOut.cause) ?? 0) + 1);
    }
    if (refused.size === 0) return base;
    // Request filters run before the filters, and the filters in enabled_filters order.
    const order = [...restrictions.map(({ name }) => name), ...this.fixedFilters.map(({ name }) => name)];
    const causes: RejectionCause[] = order.filter((name) => counts.has(name)).map((name) => ({ cause: name, hosts: counts.get(name)!, closest: null }));
    return { key, nodes: base.nodes.filter((node) => !refused.has(node)), causes: [...causes, ...base.causes], refused, all: base.nodes, failure: null };
  }

  /** The filters that read usage or hints, as one check for this request; null when none of them can refuse a host. */
  private usageCheck(spec: RequestSpec, where: BuildConstraints): ((node: ComputeNode) => string | null) | null {
    const filters = this.usageFiltersFor(where);
    if (filters.length === 0) return null;
    const request: FilterRequest = { flavor: spec.flavor, image: where.image, availability_zone: where.availability_zone, project: where.project, sameHost: where.sameHost, differentHost: where.differentHost };
    return (node) => {
      const host = { node, aggregates: this.aggregatesOf[node.index] };
      for (const filter of filters) {
        const reason = filter.refusal(host, request, this.settings);
        if (reason !== null) return reason;
      }
      return null;
    };
  }

  /** As usageCheck, naming the filter that refuses (causes); null when none can refuse. */
  private usageCauses(spec: RequestSpec, where: BuildConstraints): UsageCauses | null {
    const filters = this.usageFiltersFor(where);
    if (filters.length === 0) return null;
    const request: FilterRequest = { flavor: spec.flavor, image: where.image, availability_zone: where.availability_zone, project: where.project, sameHost: where.sameHost, differentHost: where.differentHost };
    return {
      names: filters.map(({ name }) => name),
      refusing: (node) => {
        const host = { node, aggregates: this.aggregatesOf[node.index] };
        for (const filter of filters) {
          const reason = filter.refusal(host, request, this.settings);
          if (reason !== null) return { cause: filter.name, reason };
        }
        return null;
      },
    };
  }

  /** The hint filters act only on a request carrying their hint. */
  private usageFiltersFor(where: BuildConstraints): HostFilter[] {
    if (this.usageFilters.length === 0) return this.usageFilters;
    return this.usageFilters.filter((filter) => filter.actsOn?.(where) ?? true);
  }

  /** The indexes each model in scope plans for the request, built the first time a scope needs them. */
  private proposersFor(spec: RequestSpec, scope: Scope): Proposers {
    // Keyed by the scope's key, then the request's: strings whose hashes V8 keeps, where one
    // key joined from both would be a new string to hash on every request.
    let ofScope = this.proposers.get(scope.key);
    if (!ofScope) this.proposers.set(scope.key, (ofScope = new Map()));
    let proposers = ofScope.get(spec.key);
    if (!proposers) ofScope.set(spec.key, (proposers = this.planProposers(spec, scope)));
    return proposers;
  }

  private planProposers(spec: RequestSpec, { key: scopeKey, nodes: scope }: Scope): Proposers {
    const indexes: Proposers['indexes'] = [];
    for (const model of new Set(scope.map((node) => this.modelOf(node)))) {
      for (const plan of model.indexPlans(spec)) {
        const key = `${scopeKey}\u0000${model.name}\u0000${plan.key}`;
        let index = this.indexes.get(key);
        if (!index) {
          const members = scope.filter((node) => this.modelOf(node) === model && plan.member(node));
          index = this.keepIndex(key, new HostIndex(members, this.indexWeighers, plan.dimensions, plan.rooms));
        }
        indexes.push({ index, demand: plan.demand });
      }
    }
    // A weigher every host multiplies by 0 adds nothing, whatever it normalises to.
    const active = this.indexWeighers.map((weigher) => scope.some((node) => weigher.multiplier(node.settings) !== 0));
    return { indexes, active };
  }

  private keepIndex(key: string, index: HostIndex): HostIndex {
    this.indexes.set(key, index);
    for (const node of index.members()) {
      const indexes = this.indexesOfNode.get(node) ?? [];
      indexes.push(index);
      this.indexesOfNode.set(node, indexes);
    }
    return index;
  }

  /**
   * The host chosen after every host in scope was tested: the best-weighed hosts (`--explain`),
   * and its audit lines (`--verbose`): the chosen host's test again with them, then its claim's.
   */
  private chosenAfterTestingAll(chosen: Passed, weighed: readonly Weighed<Passed>[], spec: RequestSpec, attempts: Attempt[] | null, options: ReplayOptions): BuildOutcome {
    const audit: ClaimAudit[] = [];
    if (options.audit) {
      const model = this.modelOf(chosen.node);
      const lines = [...(model.testForScheduler(chosen.node, spec, true).audit ?? []), ...model.claimAudit(chosen.node, chosen.test)];
      if (lines.length > 0) audit.push({ host: chosen.node.name, lines });
    }
    const shown = options.explain ? weighed.slice(0, WEIGHED_SHOWN).map((entry) => this.weighedHost(entry)) : null;
    return { node: chosen.node, test: chosen.test, reasons: [], message: '', causes: null, attempts, weighed: shown, audit };
  }

  private weighedHost({ candidate, weight, shares }: Weighed<Passed>): WeighedHost {
    const weights: WeighedHost['weights'] = {};
    shares.forEach((share, at) => (weights[this.weighers[at].name] = share));
    return { host: candidate.node.name, weight, weights };
  }

  /** After a node's usage or service state changed: every index it is in places it again. */
  reindex(node: ComputeNode): void {
    for (const index of this.indexesOfNode.get(node) ?? []) index.update(node);
  }
}

/** weight_classes in order, each with the index weigher it reads (null: the same weight on every host) and its multiplier. */
function weighingTerms(weighers: readonly HostWeigher[], indexWeighers: readonly HostWeigher[], settings: CloudSettings): WeighingTerm[] {
  return weighers.map((weigher) => {
    const at = indexWeighers.indexOf(weigher);
    return { at: at < 0 ? null : at, multiplier: weigher.multiplier(settings) };
  });
}

/** No host found: the outcome carries no node and no test, the reason is the whole message. */
export function noHostFound(reason: string, causes: RejectionCause[] | null, attempts: Attempt[] | null, audit: ClaimAudit[]): BuildOutcome {
  return { node: null, test: null, reasons: [reason], message: reason, causes, attempts, weighed: null, audit };
}

/** The `group` cause, counted apart from the tests' causes and listed before `down` and `aggregate`. */
function withGroupCause(causes: RejectionCause[], group: ServerGroup, hosts: number): RejectionCause[] {
  if (hosts === 0) return causes;
  const before = causes.findIndex((cause) => cause.cause === 'down' || cause.cause === 'aggregate');
  causes.splice(before < 0 ? causes.length : before, 0, { cause: 'group', hosts, closest: null, server_group: { name: group.name, policy: group.policy } });
  return causes;
}

/** Whether Placement would list more of `nodes` as candidates than the scheduler asks for (max_placement_results). */
function placementHostsBeyond(nodes: readonly ComputeNode[], modelOf: (node: ComputeNode) => CapacityModel, settings: CloudSettings): boolean {
  return nodes.filter((node) => modelOf(node).name === 'placement').length > settings.max_placement_results;
}
