// The seam between the legacy claim (memory, disk, vcpu) and Nova's NUMA and PCI tests:
// nova/compute/claims.py `_test_numa_topology` and `_test_pci`, then what
// ResourceTracker.instance_claim does with a claim that passed (the PCI claim, then the
// NUMA usage update) and what a delete gives back.
import type {
  Flavor,
  HostSpec,
  InstanceNumaPlacement,
  NumaCellUsage,
  NumaTopologyLimits,
  PciAlias,
  PciDevicesTaken,
  PciPoolUsage,
} from '../core/model.ts';
import { numaGetConstraints, type InstanceNumaRequest } from './constraints.ts';
import { cellFromSpec, numaUsage, viewOf, type HostCellState } from './host-cells.ts';
import { numaFitInstanceToHost, type FittedTopology, type HostCellView, type PciFitCheck } from './numa-fit.ts';
import {
  consumeRequests,
  pciNumaPolicyOf,
  pciRequestsOf,
  poolsFromSpec,
  supportRequests,
  type PciHostCell,
  type PciPool,
  type PciRequest,
  type PoolTake,
} from './pci.ts';
import { success, type Result } from '../core/result.ts';

export const NUMA_REASON = 'Requested instance NUMA topology cannot fit the given host NUMA topology';
export const NUMA_WITH_PCI_REASON =
  'Requested instance NUMA topology together with requested PCI devices cannot fit the given host NUMA topology';
/** The legacy claim's wording, its final period kept where Nova 26 dropped it (docs/semantics.md, "Nova releases followed"). */
export const PCI_REASON = 'Claim pci failed.';

/** What a flavor asks of NUMA cells and PCI pools, built once per flavor. */
export interface TopologyRequest {
  flavor: string;
  /** numa_get_constraints; null for a plain flavor */
  numa: InstanceNumaRequest | null;
  /** the flavor's InstancePCIRequests, from pci_passthrough:alias; empty when refused */
  pci: PciRequest[];
  /**
   * What Nova's API answers every build of this flavor with instead of scheduling it
   * (PciRequestAliasNotDefined, e.g. `PCI alias gpu is not defined`), or null. The
   * flavor itself is valid, so the plan is too: each build of it is rejected with this
   * text and no host (docs/plan-format.md, "What is not an error"). An instance of it
   * already on a host (its alias dropped from nova.conf since) still counts, without
   * devices: the InstancePCIRequests Nova stored for it are not in the plan.
   */
  refusal: string | null;
}

/** What one claim took from cells and pools, so a delete can give it back. */
export interface TopologyClaim {
  numa: InstanceNumaPlacement | null;
  pci: PciDevicesTaken[] | null;
  /** internal: the instance topology Nova claimed, as numa_usage_from_instance_numa takes it */
  fitted: FittedTopology | null;
  /** internal: devices taken, by index into the host's pools */
  takes: PoolTake[];
}

export interface TopologyTest {
  /** Nova's reasons, in `_test_numa_topology` then `_test_pci` order */
  reasons: string[];
  claim: TopologyClaim | null;
}

/**
 * The flavor's NUMA and PCI request: numa_get_constraints, get_pci_numa_policy_constraint
 * and get_pci_requests_from_flavor, in the order nova/compute/api.py
 * `_validate_and_build_base_options` calls them. A failure is a flavor or alias definition
 * Nova refuses outright (an input error for the plan); an alias the flavor names but
 * nova.conf does not define is the request's `refusal` instead, as Nova accepts such a
 * flavor and refuses each build of it. (Inside, Nova's exceptions travel as failed
 * Results, returned where the Python functions they mirror raise.)
 */
export function topologyRequestFor(flavor: Flavor, aliases: PciAlias[]): Result<TopologyRequest> {
  const numa = numaGetConstraints(flavor);
  if (!numa.ok) return numa;
  const policy = pciNumaPolicyOf(flavor.extra_specs);
  if (!policy.ok) return policy;
  const pci = pciRequestsOf(flavor.extra_specs, aliases, policy.value);
  if (!pci.ok) return pci;
  return success({ flavor: flavor.name, numa: numa.value, pci: pci.value.requests, refusal: pci.value.refusal });
}

const sortedNumbers = (items: Iterable<number>) => [...items].sort((a, b) => a - b);

export class HostTopology {
  /** the cells as Nova reads them back for a claim, rebuilt after every change */
  private views: HostCellView[] | null = null;

  private constructor(
    /** null: the host reports no NUMA topology, so nothing is NUMA-fitted on it */
    private cells: HostCellState[] | null,
    private readonly pools: PciPool[],
  ) {}

  static fromSpec(spec: HostSpec): HostTopology {
    const cells = spec.numa && spec.numa.length > 0 ? spec.numa.map(cellFromSpec) : null;
    return new HostTopology(cells, poolsFromSpec(spec.pci));
  }

  /** Claim._test_numa_topology then Claim._test_pci, and the claim instance_claim would take. */
  test(request: TopologyRequest, limits: NumaTopologyLimits | null, packing: boolean): TopologyTest {
    const reasons: string[] = [];
    let fitted: FittedTopology | null = null;
    if (this.cells && request.numa) {
      fitted = numaFitInstanceToHost(this.cellViews(), request.numa, limits, this.pciFitCheck(request.pci), packing);
      if (!fitted) reasons.push(request.pci.length > 0 ? NUMA_WITH_PCI_REASON : NUMA_REASON);
    }
    // Nova tests the PCI request a second time without NUMA affinity.
    if (request.pci.length > 0 && !supportRequests(this.pools, request.pci, null, this.pciHostCells())) reasons.push(PCI_REASON);
    if (reasons.length > 0) return { reasons, claim: null };
    return this.claimAfterTest(request, fitted);
  }

  /**
   * Counts an instance already on the host, as Nova's audit does: no limits, no test. Its
   * place is the one an unlimited claim would find. Where it cannot fit (the plan puts more
   * on the host than its cells hold), it holds no NUMA cells, and PCI devices only while
   * the pools have them: claimplan cannot pin one CPU twice. Its memory, disk and vcpus
   * still count (the core's part).
   */
  addExisting(request: TopologyRequest, packing: boolean): TopologyClaim | null {
    let fitted: FittedTopology | null = null;
    if (this.cells && request.numa) fitted = numaFitInstanceToHost(this.cellViews(), request.numa, null, this.pciFitCheck(request.pci), packing);
    let test = this.claimAfterTest(request, fitted);
    if (test.reasons.length > 0 && fitted) test = this.claimAfterTest(request, null);
    if (test.claim) this.apply(test.claim);
    return test.claim;
  }

  apply(claim: TopologyClaim): void {
    this.change(claim, false);
  }

  release(claim: TopologyClaim): void {
    this.change(claim, true);
  }

  clone(): HostTopology {
    const copy = new HostTopology(this.cells, this.pools.map((pool) => ({ ...pool })));
    copy.views = this.views;
    return copy;
  }

  /** Back to `kept`, a clone taken before: its cells (which a change replaces) and its pools' free devices. */
  putBack(kept: HostTopology): void {
    this.cells = kept.cells;
    this.views = kept.views;
    kept.pools.forEach((pool, index) => (this.pools[index].count = pool.count));
  }

  /** The free devices in every pool, as the PCIWeigher sums HostState.pci_stats.pools' counts. */
  freePciDevices(): number {
    return this.pools.reduce((sum, pool) => sum + pool.count, 0);
  }

  usage(): { numa_cells: NumaCellUsage[] | null; pci_pools: PciPoolUsage[] | null } {
    const numa_cells =
      this.cells?.map((cell) => ({
        id: cell.id,
        cpus: sortedNumbers(cell.cpuset),
        pcpus: sortedNumbers(cell.pcpuset),
        cpu_usage: cell.cpu_usage,
        pinned_cpus: sortedNumbers(cell.pinned_cpus),
        memory_mb: cell.memory,
        memory_usage: cell.memory_usage,
        mempages: cell.mempages.map((pages) => ({ ...pages })),
      })) ?? null;
    const pci_pools =
      this.pools.length === 0
        ? null
        : [...this.pools]
            .sort((a, b) => a.spec - b.spec)
            .map((pool) => ({
              vendor_id: pool.vendor_id,
              product_id: pool.product_id,
              numa_node: pool.numa_node,
              dev_type: pool.dev_type,
              physical_network: pool.physical_network,
              total: pool.total,
              free: pool.count,
            }));
    return { numa_cells, pci_pools };
  }

  private cellViews(): HostCellView[] {
    this.views ??= (this.cells ?? []).map(viewOf);
    return this.views;
  }

  private pciHostCells(): PciHostCell[] {
    return (this.cells ?? []).map((cell) => ({ id: cell.id, socket: cell.socket }));
  }

  /** numa_fit_instance_to_host gets the PCI stats only when the instance asks for devices. */
  private pciFitCheck(requests: PciRequest[]): PciFitCheck | null {
    if (requests.length === 0) return null;
    const hostCells = this.pciHostCells();
    return {
      supports: (cellIds) => supportRequests(this.pools, requests, cellIds, hostCells),
      devicesOnCell: (cellId) => this.pools.filter((pool) => pool.numa_node === cellId).reduce((sum, pool) => sum + pool.count, 0),
    };
  }

  /**
   * After the claim test passes, instance_claim claims the PCI devices
   * (consume_requests, with the chosen cells) and then updates the NUMA usage; either can
   * raise, and then the build fails with that exception instead of a claim.
   */
  private claimAfterTest(request: TopologyRequest, fitted: FittedTopology | null): TopologyTest {
    let takes: PoolTake[] = [];
    if (request.pci.length > 0) {
      const taken = consumeRequests(this.pools, request.pci, fitted ? fitted.cells.map((cell) => cell.id) : null, this.pciHostCells());
      if (taken === null) {
        const asked = request.pci.map((pci) => `${pci.alias_name}:${pci.count}`).join(',');
        return { reasons: [`PCI device request ${asked} failed`], claim: null };
      }
      takes = taken;
    }
    if (fitted && this.cells) {
      const after = numaUsage(this.cells, fitted, false);
      if (!after.ok) return { reasons: [after.error], claim: null };
    }
    if (!fitted && takes.length === 0) return { reasons: [], claim: null };
    return { reasons: [], claim: { numa: fitted && this.placementOf(fitted), pci: takes.length > 0 ? this.devicesOf(takes) : null, fitted, takes } };
  }

  private placementOf(fitted: FittedTopology): InstanceNumaPlacement {
    const cellsById = new Map((this.cells ?? []).map((cell) => [cell.id, cell]));
    return {
      cells: fitted.cells.map((cell, index) => ({
        id: index,
        host_cell: cell.id,
        memory_mb: cell.memory,
        cpus: sortedNumbers([...cell.cpuset, ...cell.pcpuset]),
        pinning: cell.pinning ? Object.fromEntries(cell.pinning.map(([vcpu, pcpu]) => [String(vcpu), pcpu])) : null,
        // Without a requested size Nova takes the cell's smallest pages.
        pagesize_kb: cell.pagesize || Math.min(...(cellsById.get(cell.id)?.mempages ?? []).map((pages) => pages.size_kb)),
      })),
      emulator_threads: sortedNumbers(fitted.cells.flatMap((cell) => cell.cpuset_reserved?.values() ?? [])),
    };
  }

  private devicesOf(takes: PoolTake[]): PciDevicesTaken[] {
    return takes.map(({ pool, count }) => {
      const { vendor_id, product_id, numa_node, dev_type, physical_network } = this.pools[pool];
      return { vendor_id, product_id, numa_node, dev_type, physical_network, count };
    });
  }

  private change(claim: TopologyClaim, free: boolean): void {
    if (claim.fitted && this.cells) {
      const after = numaUsage(this.cells, claim.fitted, free);
      // The claim was tested against this very state, and a delete gives back what it took.
      if (!after.ok) throw new Error(`NUMA usage update failed: ${after.error}`);
      this.cells = after.value;
      this.views = null;
    }
    for (const { pool, count } of claim.takes) this.pools[pool].count += free ? count : -count;
  }
}
