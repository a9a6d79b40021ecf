// Nova's filter scheduler (nova/scheduler/filter_scheduler.py) choosing a host for a build
// or a move that names none (docs/semantics.md, "The scheduler"): the hosts in scope, all
// or an aggregate's (docs/semantics.md, "Aggregates"); the filters, as the claim test each
// host's capacity model runs and a server group's hard policies; the weighers, the RAM
// weigher and the soft policies (docs/semantics.md, "Server groups"), ties to the host
// listed first; and, when no host passes, NoValidHost with why (docs/semantics.md, "No
// valid host"). The host indexes it searches (scheduler.ts) are built the first time a
// scope and request need them, and follow every change to a node's usage.
import type { CapacityModel, HostTest } from './capacity-model.ts';
import type { ComputeNode } from './compute-node.ts';
import type { Attempt, ClaimAudit, CloudSettings, RejectionCause, ReplayOptions, ServerGroup, Weigher } from './model.ts';
import { NoValidHostExplainer, SERVICE_DOWN_ATTEMPT } from './no-valid-host.ts';
import type { RequestSpec } from './request-spec.ts';
import { HostIndex, outweighs } from './scheduler.ts';
import type { ServerGroupMembers } from './server-groups.ts';

export const NO_VALID_HOST = 'No valid host was found. There are not enough hosts available.';
/**
 * nova/scheduler/manager.py `select_destinations`: when Placement returns no allocation
 * candidates, Nova raises NoValidHost with an empty reason, which leaves this text.
 */
export const NO_ALLOCATION_CANDIDATES = 'No valid host was found. ';

/** Where a build would land and the test that passed there, or why nowhere. */
export interface BuildOutcome {
  node: ComputeNode | null;
  test: HostTest | null;
  reasons: string[];
  /** the exception text a rejection raises */
  message: string;
  causes: RejectionCause[] | null;
  attempts: Attempt[] | null;
  audit: ClaimAudit[];
}

/** A host whose test passed, and that test. */
interface Passed {
  node: ComputeNode;
  test: HostTest;
}

/** An index that proposes hosts, and what this request needs of each host's room. */
interface Proposer {
  index: HostIndex;
  demand: readonly number[];
}

export class FilterScheduler {
  private readonly aggregateMembers = new Map<string, ComputeNode[]>();
  /** built on first use, per scope and index plan: most plans never ask for most aggregates */
  private readonly indexes = new Map<string, HostIndex>();
  /** per scope and request, the indexes that propose hosts, so a request costs no walk over the hosts */
  private readonly proposers = new Map<string, Proposer[]>();
  /** every built index a node is in, to update them when its usage changes */
  private readonly indexesOfNode = new Map<ComputeNode, HostIndex[]>();
  private readonly noValidHost: NoValidHostExplainer;

  constructor(
    private readonly nodes: readonly ComputeNode[],
    private readonly settings: CloudSettings,
    private readonly groups: ServerGroupMembers,
    private readonly modelOf: (node: ComputeNode) => CapacityModel,
  ) {
    this.noValidHost = new NoValidHostExplainer(nodes.length, modelOf);
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
   * A build in a server group. Every host in scope is tested, since Nova normalises each
   * weigher's weights over all the hosts that passed the filters (nova/weights.py
   * `normalize`): the RAM weigher's, and the soft policies' (nova/scheduler/weights/affinity.py);
   * the hard policies filter (nova/scheduler/filters/affinity_filter.py). Ties go to the
   * host listed first.
   */
  private inGroup(spec: RequestSpec, aggregate: string | null, group: ServerGroup, options: ReplayOptions): BuildOutcome {
    const scope = this.scope(aggregate);
    const attempts: Attempt[] | null = options.explain ? [] : null;
    const tested = this.testEach(scope, spec, group, null, attempts);
    if (tested.chosen) return this.chosenAfterTestingAll(tested.chosen, spec, attempts, options);
    const causes = withGroupCause(this.noValidHost.causes(scope, aggregate, spec), group, tested.refusedByGroup);
    return noHostFound(this.noHostReason(tested.candidateFound), causes, attempts, []);
  }

  /**
   * A build or move outside a server group: the indexes propose the best-weighted host with room; its model's test
   * decides, and a refused host is set aside until the indexes propose another or none is
   * left. Under Placement, a build no host was a candidate for gets Nova's empty reason.
   */
  schedule(spec: RequestSpec, aggregate: string | null, options: ReplayOptions, ignored: ComputeNode | null = null): BuildOutcome {
    const proposers = this.proposersFor(spec, aggregate);
    const attempts: Attempt[] | null = options.explain ? [] : null;
    const audit: ClaimAudit[] = [];
    // A move's source (ignore_hosts) is set aside from the start, as a refused host is.
    const refused: ComputeNode[] = ignored === null ? [] : [ignored];
    for (const node of refused) for (const { index } of proposers) index.exclude(node);
    let candidateFound = false;
    let chosen: Passed | null = null;
    for (let node = best(proposers, this.settings.weigher); node !== null; node = best(proposers, this.settings.weigher)) {
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
    const reason = this.noHostReason(candidateFound);
    const scope = this.scope(aggregate);
    if (ignored !== null) {
      const tried = scope.filter((node) => node !== ignored);
      return this.noHostForMove(tried, this.nodes.length - scope.length, tried.length < scope.length, spec, null, reason, options, audit);
    }
    return noHostFound(reason, this.noValidHost.causes(scope, aggregate, spec), options.explain ? this.noValidHost.attempts(scope, aggregate, spec) : null, audit);
  }

  /**
   * A move's destination among a few candidates, or the whole scope of a move in a server
   * group: every candidate is tested (the group's weighers normalise over all that pass,
   * docs/semantics.md "Server groups"); the host the instance leaves is ignored.
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
    const tested = this.testEach(tried, spec, group, moving, null);
    if (tested.chosen) return this.chosenAfterTestingAll(tested.chosen, spec, null, options);
    const refusedByGroup = group === null ? null : { group, hosts: tested.refusedByGroup };
    return this.noHostForMove(tried, outside, tried.length < candidates.length, spec, refusedByGroup, this.noHostReason(tested.candidateFound), options, []);
  }

  /**
   * Every host tested, as the group's weighers need (and the first that passes when the
   * move is in no group); a host whose compute service is down is passed over (ComputeFilter).
   */
  private testEach(
    nodes: readonly ComputeNode[],
    spec: RequestSpec,
    group: ServerGroup | null,
    moving: string | null,
    attempts: Attempt[] | null,
  ): { chosen: Passed | null; candidateFound: boolean; refusedByGroup: number } {
    const passed: Passed[] = [];
    let candidateFound = false;
    let refusedByGroup = 0;
    for (const node of nodes) {
      if (node.serviceDown) {
        attempts?.push({ host: node.name, reasons: [SERVICE_DOWN_ATTEMPT] });
        continue;
      }
      const test = this.modelOf(node).testForScheduler(node, spec, false);
      candidateFound ||= test.candidate;
      const refusal = group === null ? null : this.groups.refusal(group, node, moving);
      if (refusal !== null) refusedByGroup++;
      attempts?.push({ host: node.name, reasons: refusal === null ? test.reasons : [...test.reasons, refusal] });
      if (test.reasons.length === 0 && refusal === null) passed.push({ node, test });
    }
    const chosen = group === null ? passed[0] ?? null : this.groups.weighed(group, passed, this.settings.weigher);
    return { chosen, candidateFound, refusedByGroup };
  }

  /** Under Placement, a request no host was a candidate for gets Nova's empty reason. */
  private noHostReason(candidateFound: boolean): string {
    return this.settings.capacity_model === 'placement' && !candidateFound ? NO_ALLOCATION_CANDIDATES : NO_VALID_HOST;
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
  scope(aggregate: string | null): readonly ComputeNode[] {
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
          index = new HostIndex(members, this.settings.weigher, plan.dimensions, plan.rooms);
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

  /**
   * The host chosen after every host in scope was tested: its audit lines (`--verbose`)
   * are the chosen host's test again with them, then its claim's.
   */
  private chosenAfterTestingAll(chosen: Passed, spec: RequestSpec, attempts: Attempt[] | null, options: ReplayOptions): BuildOutcome {
    const audit: ClaimAudit[] = [];
    if (options.audit) {
      const model = this.modelOf(chosen.node);
      const lines = [...(model.testForScheduler(chosen.node, spec, true).audit ?? []), ...model.claimAudit(chosen.node, chosen.test)];
      if (lines.length > 0) audit.push({ host: chosen.node.name, lines });
    }
    return { node: chosen.node, test: chosen.test, reasons: [], message: '', causes: null, attempts, audit };
  }

  /** After a node's usage or service state changed: every index it is in places it again. */
  reindex(node: ComputeNode): void {
    for (const index of this.indexesOfNode.get(node) ?? []) index.update(node);
  }
}

/** No host found: the outcome carries no node and no test, the reason is the whole message. */
export function noHostFound(reason: string, causes: RejectionCause[] | null, attempts: Attempt[] | null, audit: ClaimAudit[]): BuildOutcome {
  return { node: null, test: null, reasons: [reason], message: reason, causes, attempts, audit };
}

/** The `group` cause, counted apart from the tests' causes and listed before `down` and `aggregate`. */
function withGroupCause(causes: RejectionCause[], group: ServerGroup, hosts: number): RejectionCause[] {
  if (hosts === 0) return causes;
  const before = causes.findIndex((cause) => cause.cause === 'down' || cause.cause === 'aggregate');
  causes.splice(before < 0 ? causes.length : before, 0, { cause: 'group', hosts, closest: null, server_group: { name: group.name, policy: group.policy } });
  return causes;
}

/** The best host any of the indexes proposes: the higher weight, ties to the host listed first. */
function best(proposers: readonly Proposer[], weigher: Weigher): ComputeNode | null {
  if (proposers.length === 1) return proposers[0].index.best(proposers[0].demand);
  let chosen: ComputeNode | null = null;
  for (const { index, demand } of proposers) {
    const node = index.best(demand);
    if (node !== null && (chosen === null || outweighs(node, chosen, weigher))) chosen = node;
  }
  return chosen;
}
