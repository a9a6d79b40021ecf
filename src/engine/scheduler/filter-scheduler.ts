// Nova's filter scheduler (nova/scheduler/manager.py, filter_scheduler.py) choosing a host for
// a build or a move that names none (docs/semantics.md, "The scheduler"): the hosts in scope,
// all or an aggregate's (docs/semantics.md, "Aggregates"); the filters, as the claim test each
// host's capacity model runs and a server group's hard policies; the weighers of
// weight_classes, normalised over the hosts that passed and summed (weighing.ts); the choice
// among the best (host-choice.ts); and, when no host passes, NoValidHost with why
// (docs/semantics.md, "No valid host"). The host indexes it searches (host-index.ts) are built
// the first time a scope and request need them, and follow every change to a node's usage.
import type { CapacityModel } from '../capacity-model.ts';
import type { HostTest } from '../host-test.ts';
import type { ComputeNode } from '../compute-node.ts';
import type { Attempt, ClaimAudit, CloudSettings, RejectionCause, ReplayOptions, ServerGroup, WeighedHost } from '../model.ts';
import { chooseHost } from './host-choice.ts';
import { HostIndex, type Threshold, type WeighingTerm } from './host-index.ts';
import { computeFilterRefusal } from './filters/compute.ts';
import { NoValidHostExplainer } from './no-valid-host.ts';
import type { RequestSpec } from '../request-spec.ts';
import type { SeededRandom } from './seeded-random.ts';
import type { ServerGroupMembers } from './server-groups.ts';
import { clampedWeight, hostWeight, normalizerOf, weighAll, type Normalizer, type Weighed } from './weighing.ts';
import { weighersNamed, type HostWeigher, type WeighingRequest } from './weighers/index.ts';

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

/** A host whose test passed, and that test. */
interface Passed {
  node: ComputeNode;
  test: HostTest;
}

/** The indexes that propose hosts for one scope and request, and what the request needs of each host's room. */
interface Proposers {
  indexes: { index: HostIndex; demand: readonly number[] }[];
  /** the index weighers (host-index.ts) some host in scope gives a multiplier other than 0 */
  active: boolean[];
}

const NO_GROUP: WeighingRequest = { group: null, membersOn: () => 0 };

export class FilterScheduler {
  private readonly aggregateMembers = new Map<string, ComputeNode[]>();
  /** built on first use, per scope and index plan: most plans never ask for most aggregates */
  private readonly indexes = new Map<string, HostIndex>();
  /** per scope and request, the indexes that propose hosts, so a request costs no walk over the hosts */
  private readonly proposers = new Map<string, Proposers>();
  /** every built index a node is in, to update them when its usage changes */
  private readonly indexesOfNode = new Map<ComputeNode, HostIndex[]>();
  /** per scope, whether Placement would return more candidates than max_placement_results */
  private readonly beyondPlacementResults = new Map<string, boolean>();
  private readonly noValidHost: NoValidHostExplainer;
  /** weight_classes, in order */
  private readonly weighers: HostWeigher[];
  /** the weighers whose raw weights come from a host's own figures: the ones the indexes keep */
  private readonly indexWeighers: HostWeigher[];

  constructor(
    private readonly nodes: readonly ComputeNode[],
    private readonly settings: CloudSettings,
    private readonly groups: ServerGroupMembers,
    private readonly modelOf: (node: ComputeNode) => CapacityModel,
    private readonly random: SeededRandom,
  ) {
    this.noValidHost = new NoValidHostExplainer(nodes.length, modelOf);
    this.weighers = weighersNamed(settings.weight_classes);
    this.indexWeighers = [...new Set(this.weighers.filter((weigher) => weigher.source === 'host'))];
    for (const node of nodes) {
      for (const label of node.spec.aggregates) {
        const members = this.aggregateMembers.get(label) ?? [];
        members.push(node);
        this.aggregateMembers.set(label, members);
      }
    }
  }

  /** A build that names no host: through the group's filters and weighers when the build is in a server group. */
  build(spec: RequestSpec, aggregate: string | null, group: ServerGroup | null, options: ReplayOptions): BuildOutcome {
    return group === null ? this.schedule(spec, aggregate, options) : this.inGroup(spec, aggregate, group, options);
  }

  /**
   * A build in a server group: every host in scope is tested, since the group's weighers read
   * the members on each host (nova/scheduler/weights/affinity.py) and the hard policies
   * filter (nova/scheduler/filters/affinity_filter.py).
   */
  private inGroup(spec: RequestSpec, aggregate: string | null, group: ServerGroup, options: ReplayOptions): BuildOutcome {
    const scope = this.scope(aggregate);
    const attempts: Attempt[] | null = options.explain ? [] : null;
    const tested = this.testEach(scope, aggregate, spec, group, null, attempts);
    if (tested.chosen) return this.chosenAfterTestingAll(tested.chosen, tested.weighed, spec, attempts, options);
    const causes = withGroupCause(this.noValidHost.causes(scope, aggregate, spec), group, tested.refusedByGroup);
    return noHostFound(this.noHostReason(tested.candidateFound), causes, attempts, []);
  }

  /**
   * A build or move outside a server group. With `--explain`, or where Placement would cut
   * the candidates short, every host in scope is tested and weighed; otherwise the indexes
   * find the best-weighed hosts that pass without weighing the rest. Under Placement, a
   * build no host was a candidate for gets Nova's empty reason.
   */
  schedule(spec: RequestSpec, aggregate: string | null, options: ReplayOptions, ignored: ComputeNode | null = null): BuildOutcome {
    if (options.explain || this.placementCutsShort(aggregate)) {
      const scope = this.scope(aggregate);
      const attempts: Attempt[] | null = options.explain ? [] : null;
      const tried = ignored === null ? scope : scope.filter((node) => node !== ignored);
      const tested = this.testEach(tried, aggregate, spec, null, null, attempts);
      if (tested.chosen) return this.chosenAfterTestingAll(tested.chosen, tested.weighed, spec, attempts, options);
      return this.noHostForSchedule(spec, aggregate, ignored, this.noHostReason(tested.candidateFound), options, []);
    }
    return this.scheduleByIndex(spec, aggregate, options, ignored);
  }

  /**
   * The indexes' search (host-index.ts): each weigher's bounds over the hosts that pass, then
   * the best hosts by total weight, each host the indexes propose tested by its model and set
   * aside for the rest of the request when it fails.
   */
  private scheduleByIndex(spec: RequestSpec, aggregate: string | null, options: ReplayOptions, ignored: ComputeNode | null): BuildOutcome {
    const { indexes, active } = this.proposersFor(spec, aggregate);
    const audit: ClaimAudit[] = [];
    const tests = new Map<ComputeNode, HostTest>();
    // A move's source (ignore_hosts) is set aside from the start, as a refused host is.
    const refused: ComputeNode[] = ignored === null ? [] : [ignored];
    for (const node of refused) for (const { index } of indexes) index.exclude(node);
    let candidateFound = false;
    const passes = (node: ComputeNode): boolean => {
      const known = tests.get(node);
      if (known) return known.reasons.length === 0;
      const test = this.modelOf(node).testForScheduler(node, spec, options.audit);
      tests.set(node, test);
      if (test.audit) audit.push({ host: node.name, lines: test.audit });
      candidateFound ||= test.candidate;
      if (test.reasons.length === 0) return true;
      refused.push(node);
      for (const { index } of indexes) index.exclude(node);
      return false;
    };
    /** The passing host with the highest (or lowest) weight for index weigher `at`, or null when none passes. */
    const extreme = (at: number, direction: 1 | -1): ComputeNode | null => {
      for (;;) {
        let found: ComputeNode | null = null;
        for (const { index, demand } of indexes) {
          const node = index.extreme(at, direction, demand);
          const weigher = this.indexWeighers[at];
          if (node !== null && (found === null || direction * clampedWeight(weigher, node, NO_GROUP) > direction * clampedWeight(weigher, found, NO_GROUP))) {
            found = node;
          }
        }
        if (found === null || passes(found)) return found;
      }
    };

    let ranked: Weighed<Passed>[] = [];
    const normalizers: (Normalizer | null)[] = this.indexWeighers.map(() => null);
    // The hosts found at an extreme pass: the search starts from the best of them.
    const found = new Set<ComputeNode>();
    let anyPasses = true;
    for (let at = 0; at < this.indexWeighers.length && anyPasses; at++) {
      if (!active[at]) continue;
      const weigher = this.indexWeighers[at];
      const highest = extreme(at, 1);
      const lowest = highest === null || weigher.minval !== null ? highest : extreme(at, -1);
      if (highest === null || lowest === null) anyPasses = false;
      else {
        normalizers[at] = normalizerOf(weigher, clampedWeight(weigher, lowest, NO_GROUP), clampedWeight(weigher, highest, NO_GROUP));
        found.add(highest).add(lowest);
      }
    }
    if (anyPasses) ranked = this.bestWeighed(indexes, normalizers, tests, passes, found);
    for (const node of refused) for (const { index } of indexes) index.update(node);

    if (ranked.length > 0) {
      const chosen = chooseHost(ranked, this.settings, this.random).candidate;
      if (options.audit) {
        const lines = this.modelOf(chosen.node).claimAudit(chosen.node, chosen.test);
        if (lines.length > 0) audit.push({ host: chosen.node.name, lines });
      }
      return { node: chosen.node, test: chosen.test, reasons: [], message: '', causes: null, attempts: null, weighed: null, audit };
    }
    return this.noHostForSchedule(spec, aggregate, ignored, this.noHostReason(candidateFound), options, audit);
  }

  /**
   * The hosts that pass, best-weighed first as Nova sorts them (total weight, then plan
   * order): the first host_subset_size, and with shuffle_best_same_weighed_hosts every host
   * tied with the best, which is all host-choice.ts reads.
   */
  private bestWeighed(
    indexes: Proposers['indexes'],
    normalizers: readonly (Normalizer | null)[],
    tests: Map<ComputeNode, HostTest>,
    passes: (node: ComputeNode) => boolean,
    found: ReadonlySet<ComputeNode>,
  ): Weighed<Passed>[] {
    const { host_subset_size: wanted, shuffle_best_same_weighed_hosts: keepTies } = this.settings;
    // weight_classes in order with their normalizers: an index weigher's from the extremes
    // found; every other weigher's raw weight is the same on every host and normalises to 0.
    const weighers = this.weighers;
    const terms: WeighingTerm[] = weighers.map((weigher) => {
      const at = this.indexWeighers.indexOf(weigher);
      return { at: at < 0 ? null : at, normalizer: at < 0 ? null : normalizers[at], multiplier: weigher.multiplier(this.settings) };
    });
    const ranked: Weighed<Passed>[] = [];
    const before = (weight: number, node: ComputeNode, other: Weighed<Passed>) =>
      weight > other.weight || (weight === other.weight && node.index < other.candidate.node.index);
    const kept = (weight: number, node: ComputeNode): boolean =>
      ranked.length < wanted || before(weight, node, ranked[wanted - 1]) || (keepTies && weight === ranked[0].weight);
    const ranks = new Set<ComputeNode>();
    const rank = (node: ComputeNode, weight: number): void => {
      if (ranks.has(node) || !kept(weight, node) || !passes(node)) return;
      ranks.add(node);
      let at = ranked.length;
      while (at > 0 && before(weight, node, ranked[at - 1])) at--;
      ranked.splice(at, 0, { candidate: { node, test: tests.get(node)! }, weight, shares: [] });
      // Trim what no longer counts: past host_subset_size, only ties with the best stay when shuffling.
      while (ranked.length > wanted && !(keepTies && ranked[ranked.length - 1].weight === ranked[0].weight)) ranks.delete(ranked.pop()!.candidate.node);
    };
    // The hosts already known to pass set the bar the search must beat from its first step;
    // their totals are hostWeight's, which equal the index's to the last bit (host-index.ts).
    const allNormalizers = terms.map((term) => term.normalizer);
    for (const node of found) rank(node, hostWeight(weighers, allNormalizers, node, NO_GROUP, null));
    for (const { index, demand } of indexes) {
      // A host must come before the last one kept; with shuffling, every tie with the best is kept too.
      const threshold: Threshold = { weight: -Infinity, position: Infinity };
      const raise = () => {
        if (ranked.length < wanted) return;
        const last = ranked[wanted - 1];
        threshold.weight = last.weight;
        threshold.position = keepTies && last.weight === ranked[0].weight ? Infinity : last.candidate.node.index;
      };
      raise();
      index.search(demand, terms, threshold, (node, weight) => {
        rank(node, weight);
        raise();
      });
    }
    return ranked;
  }

  /**
   * A move's destination among a few candidates, or the whole scope of a move in a server
   * group: every candidate is tested and the ones that pass weighed; the host the instance
   * leaves is ignored.
   */
  among(
    candidates: readonly ComputeNode[],
    outside: number,
    spec: RequestSpec,
    group: ServerGroup | null,
    ignored: ComputeNode | null,
    moving: string,
    options: ReplayOptions,
  ): BuildOutcome {
    const tried = ignored === null ? candidates : candidates.filter((node) => node !== ignored);
    const tested = this.testEach(tried, null, spec, group, moving, null);
    if (tested.chosen) return this.chosenAfterTestingAll(tested.chosen, tested.weighed, spec, null, options);
    const refusedByGroup = group === null ? null : { group, hosts: tested.refusedByGroup };
    return this.noHostForMove(tried, outside, tried.length < candidates.length, spec, refusedByGroup, this.noHostReason(tested.candidateFound), options, []);
  }

  /**
   * Every host tested, then the ones that passed weighed and one chosen. A host whose compute
   * service is down is passed over (ComputeFilter); under Placement, hosts past the first
   * max_placement_results candidates are never returned to the scheduler.
   */
  private testEach(
    nodes: readonly ComputeNode[],
    aggregate: string | null,
    spec: RequestSpec,
    group: ServerGroup | null,
    moving: string | null,
    attempts: Attempt[] | null,
  ): { chosen: Passed | null; weighed: Weighed<Passed>[]; candidateFound: boolean; refusedByGroup: number } {
    const passed: Passed[] = [];
    let candidateFound = false;
    let refusedByGroup = 0;
    let placementCandidates = 0;
    const cutsShort = this.placementCutsShort(aggregate);
    for (const node of nodes) {
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
  private placementCutsShort(aggregate: string | null): boolean {
    const key = aggregate ?? '';
    let cuts = this.beyondPlacementResults.get(key);
    if (cuts === undefined) {
      const placementHosts = this.scope(aggregate).filter((node) => this.modelOf(node).name === 'placement').length;
      this.beyondPlacementResults.set(key, (cuts = placementHosts > this.settings.max_placement_results));
    }
    return cuts;
  }

  /** Under Placement, a request no host was a candidate for gets Nova's empty reason. */
  private noHostReason(candidateFound: boolean): string {
    return this.settings.capacity_model === 'placement' && !candidateFound ? NO_ALLOCATION_CANDIDATES : NO_VALID_HOST;
  }

  /** No host for a build or move outside a server group: the causes over the scope, or over the hosts a move tried. */
  private noHostForSchedule(spec: RequestSpec, aggregate: string | null, ignored: ComputeNode | null, reason: string, options: ReplayOptions, audit: ClaimAudit[]): BuildOutcome {
    const scope = this.scope(aggregate);
    if (ignored !== null) {
      const tried = scope.filter((node) => node !== ignored);
      return this.noHostForMove(tried, this.nodes.length - scope.length, tried.length < scope.length, spec, null, reason, options, audit);
    }
    return noHostFound(reason, this.noValidHost.causes(scope, aggregate, spec), options.explain ? this.noValidHost.attempts(scope, aggregate, spec) : null, audit);
  }

  /**
   * No host for a move: the causes over the hosts tried, then the hosts its server group
   * refused, those outside its aggregate, and its source when the request ignored it.
   */
  private noHostForMove(
    tried: readonly ComputeNode[],
    outside: number,
    sourceIgnored: boolean,
    spec: RequestSpec,
    refusedByGroup: { group: ServerGroup; hosts: number } | null,
    reason: string,
    options: ReplayOptions,
    audit: ClaimAudit[],
  ): BuildOutcome {
    const explained = this.noValidHost.amongOnce(tried, spec);
    const causes = refusedByGroup === null ? explained.causes : withGroupCause(explained.causes, refusedByGroup.group, refusedByGroup.hosts);
    if (outside > 0) causes.push({ cause: 'aggregate', hosts: outside, closest: null });
    if (sourceIgnored) causes.push({ cause: 'source', hosts: 1, closest: null });
    return noHostFound(reason, causes, options.explain ? explained.attempts() : null, audit);
  }

  /** The hosts a build may land on: all of them, or the aggregate's. */
  /** Each aggregate's name, in order of first mention. */
  aggregateNames(): string[] {
    return [...this.aggregateMembers.keys()];
  }

  scope(aggregate: string | null): readonly ComputeNode[] {
    return aggregate === null ? this.nodes : this.aggregateMembers.get(aggregate) ?? [];
  }

  /** The indexes each model in scope plans for the request, built the first time a scope needs them. */
  private proposersFor(spec: RequestSpec, aggregate: string | null): Proposers {
    const key = `${aggregate ?? ''}\u0000${spec.key}`;
    let proposers = this.proposers.get(key);
    if (!proposers) this.proposers.set(key, (proposers = this.planProposers(spec, aggregate)));
    return proposers;
  }

  private planProposers(spec: RequestSpec, aggregate: string | null): Proposers {
    const scope = this.scope(aggregate);
    const indexes: Proposers['indexes'] = [];
    for (const model of new Set(scope.map((node) => this.modelOf(node)))) {
      for (const plan of model.indexPlans(spec)) {
        const key = `${aggregate ?? ''}\u0000${model.name}\u0000${plan.key}`;
        let index = this.indexes.get(key);
        if (!index) {
          const members = scope.filter((node) => this.modelOf(node) === model && plan.member(node));
          index = new HostIndex(members, this.indexWeighers, plan.dimensions, plan.rooms);
          this.indexes.set(key, index);
          for (const node of members) {
            const indexes = this.indexesOfNode.get(node) ?? [];
            indexes.push(index);
            this.indexesOfNode.set(node, indexes);
          }
        }
        indexes.push({ index, demand: plan.demand });
      }
    }
    // A weigher every host multiplies by 0 adds nothing, whatever it normalises to.
    const active = this.indexWeighers.map((weigher) => scope.some((node) => weigher.multiplier(node.settings) !== 0));
    return { indexes, active };
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
