// The one interface the replay calls to ask a host for room: test a build on it, commit
// what the test found, release it on delete, explain a miss. The legacy model (the seed's
// ComputeNode limits, engine/legacy/) and the Placement model (Zed's inventories and
// allocations, engine/placement/) each implement it; the scheduler, fit, compare and sweep
// work through it without knowing which one runs (docs/semantics.md, "The Placement model").
import type { ComputeNode } from '../core/compute-node.ts';
import type { Held, HostTest } from '../core/host-test.ts';
import type { CapacityModelName, CauseName, CloudSettings, HostSpec, Limits } from '../core/model.ts';
import type { ResourceProvider } from './placement/provider.ts';
import type { RequestSpec } from '../core/request-spec.ts';
import { PCI_REASON } from '../topology/host-topology.ts';

/** The exception text of ComputeResourcesUnavailable, which a refused claim raises under either model. */
export function claimMessage(reasons: string[]): string {
  return `Insufficient compute resources: ${reasons.join('; ')}.`;
}

/** The NUMA and PCI part of a claim's reasons, as the causes count them. */
export function topologyMisses(reasons: readonly string[]): HostMiss[] {
  const causes = new Set<CauseName>(reasons.map((reason) => (reason === PCI_REASON ? 'pci' : 'numa')));
  return (['numa', 'pci'] as const).filter((cause) => causes.has(cause)).map((cause) => ({ cause, short: null, unit: null }));
}

/** One reason a host was ruled out, and by how much it missed when that can be said. */
export interface HostMiss {
  cause: CauseName;
  /** requested − free in `unit`; null for a miss no amount measures (NUMA, PCI, a trait) */
  short: number | null;
  unit: string | null;
}

/**
 * How the scheduler's index (scheduler.ts HostIndex) narrows the hosts for a request:
 * which hosts may ever take it, what room each has per dimension, and what the request
 * needs of each. A host proposed has room; the model's test decides.
 */
export interface IndexPlan {
  /** index plans with equal keys over the same hosts are one index */
  key: string;
  dimensions: number;
  /** whether the host can ever pass (inventory present, traits), whatever its usage */
  member(node: ComputeNode): boolean;
  /** the host's room in each dimension, written at `into[at …]` */
  rooms(node: ComputeNode, into: Float64Array, at: number): void;
  demand: readonly number[];
}

export interface CapacityModel {
  readonly name: CapacityModelName;
  /** The claim's limits on a host of this model, as the scheduler's filters set them. */
  limits(spec: HostSpec, settings: CloudSettings): Limits;
  /** The resource provider nova-compute reports for the host; null when the model has none. */
  provider(spec: HostSpec, settings: CloudSettings): ResourceProvider | null;
  /** A build on a named host, as the compute manager makes it; `consumer` names the instance. */
  claimOnNamedHost(node: ComputeNode, request: RequestSpec, consumer: string, withAudit: boolean): HostTest;
  /** Whether the scheduler may choose the host for the build, and what the build would hold there. */
  testForScheduler(node: ComputeNode, request: RequestSpec, withAudit: boolean): HostTest;
  /** What the scheduler's choice writes once it is made: the compute node's claim lines (`--verbose`). */
  claimAudit(node: ComputeNode, test: HostTest): string[];
  commit(node: ComputeNode, held: Held): void;
  release(node: ComputeNode, held: Held): void;
  /** An instance already on the host, counted without a test, as Nova's audit counts it. */
  addExisting(node: ComputeNode, request: RequestSpec): Held;
  /** Why the scheduler rules the host out, one entry per cause. */
  misses(node: ComputeNode, request: RequestSpec): HostMiss[];
  /** The causes a request can have, in the order they are reported. */
  causeOrder(request: RequestSpec): readonly CauseName[];
  /** The indexes that propose hosts for the request; none when no host can ever take it. */
  indexPlans(request: RequestSpec): IndexPlan[];
  /**
   * For fit: how many more builds surely pass after `test` passed, from arithmetic alone;
   * null when nothing bounds them. The tests still decide the rest one by one.
   */
  buildsThatCertainlyFit(node: ComputeNode, request: RequestSpec, test: HostTest): number | null;
}
