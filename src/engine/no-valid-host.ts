// Why a scheduled build found no host, summarised by cause (docs/output.md, "causes"):
// how many hosts memory, disk, vCPU, NUMA and PCI each ruled out, and the host that came
// closest, as kube-scheduler summarises "0/3 nodes are available". Nova itself only says
// "No valid host was found"; the per-host reasons (`--explain`) come from the same tests.
//
// A full cloud rejects many builds in a row while few hosts change between them, so each
// host's verdict is kept per flavor and recomputed only for hosts whose usage changed
// (ComputeNode.version); counts follow each change, and the closest miss is searched
// again only when the host that held it moved away from it.
import { requestedResources, testClaim, type FlavorRequest } from './claim.ts';
import { shortfall } from './claim-tests.ts';
import type { ComputeNode } from './compute-node.ts';
import type { Attempt, CauseName, RejectionCause } from './model.ts';
import type { HostIndex } from './scheduler.ts';
import { PCI_REASON } from './topology/index.ts';

const RESOURCES = [
  { cause: 'memory', unit: 'MB' },
  { cause: 'disk', unit: 'GB' },
  { cause: 'vcpu', unit: 'VCPU' },
] as const;
const NUMA_FAILED = 1;
const PCI_FAILED = 2;
const NOT_TESTED = -1;

/** One flavor's verdicts over the hosts of one index. */
class FlavorVerdicts {
  private readonly versions: Float64Array;
  /** requested − free per host and resource, [memory, disk, vcpu] per host; > 0 fails */
  private readonly short: Float64Array;
  private readonly topologyFailed: Uint8Array;
  /** hosts failing memory, disk, vcpu, numa, pci */
  private readonly failing = [0, 0, 0, 0, 0];
  /** per resource, the position of the host short by the least, or -1 to search again */
  private readonly closest = [-1, -1, -1];
  private attempts: Attempt[] | null = null;
  private attemptVersions: Float64Array | null = null;

  constructor(
    private readonly nodes: readonly ComputeNode[],
    private readonly request: FlavorRequest,
  ) {
    this.versions = new Float64Array(nodes.length).fill(NOT_TESTED);
    this.short = new Float64Array(3 * nodes.length).fill(-Infinity);
    this.topologyFailed = new Uint8Array(nodes.length);
  }

  causes(): RejectionCause[] {
    this.nodes.forEach((node, position) => {
      if (this.versions[position] !== node.version) this.retest(node, position);
    });
    const causes: RejectionCause[] = [];
    RESOURCES.forEach(({ cause, unit }, resource) => {
      if (this.failing[resource] === 0) return;
      if (this.closest[resource] < 0) this.closest[resource] = this.searchClosest(resource);
      const position = this.closest[resource];
      causes.push({
        cause,
        hosts: this.failing[resource],
        closest: { host: this.nodes[position].name, short: this.short[3 * position + resource], unit },
      });
    });
    (['numa', 'pci'] as const satisfies readonly CauseName[]).forEach((cause, offset) => {
      const hosts = this.failing[3 + offset];
      if (hosts > 0) causes.push({ cause, hosts, closest: null });
    });
    return causes;
  }

  /** Every host's own reasons, in inventory order, for `--explain`. */
  explain(): Attempt[] {
    const versions = (this.attemptVersions ??= new Float64Array(this.nodes.length).fill(NOT_TESTED));
    const previous = this.attempts;
    let attempts = previous;
    this.nodes.forEach((node, position) => {
      if (versions[position] === node.version) return;
      // Copied on the first change: decisions already returned keep the array they had.
      if (attempts === previous) attempts = previous === null ? new Array<Attempt>(this.nodes.length) : [...previous];
      attempts![position] = { host: node.name, reasons: testClaim(node, this.request, false).reasons };
      versions[position] = node.version;
    });
    this.attempts = attempts;
    return attempts ?? [];
  }

  private retest(node: ComputeNode, position: number): void {
    this.versions[position] = node.version;
    const requested = requestedResources(this.request.flavor, node);
    const { limits } = node;
    const shortNow = [
      shortfall(node.memory_mb_used, limits.memory_mb, requested.memory_mb),
      shortfall(node.local_gb_used, limits.disk_gb, requested.disk_gb),
      shortfall(node.vcpus_used, limits.vcpu, requested.vcpus),
    ];
    shortNow.forEach((now, resource) => this.record(position, resource, now));
    const topology = node.topology.test(this.request.topology, limits.numa_topology, node.settings.packing_host_numa_cells_allocation_strategy);
    let failed = 0;
    for (const reason of topology.reasons) failed |= reason === PCI_REASON ? PCI_FAILED : NUMA_FAILED;
    const before = this.topologyFailed[position];
    this.failing[3] += ((failed & NUMA_FAILED) - (before & NUMA_FAILED)) / NUMA_FAILED;
    this.failing[4] += ((failed & PCI_FAILED) - (before & PCI_FAILED)) / PCI_FAILED;
    this.topologyFailed[position] = failed;
  }

  private record(position: number, resource: number, now: number): void {
    const slot = 3 * position + resource;
    const before = this.short[slot];
    this.short[slot] = now;
    this.failing[resource] += Number(now > 0) - Number(before > 0);
    const closest = this.closest[resource];
    if (closest < 0) return;
    if (closest === position) {
      if (now > before || now <= 0) this.closest[resource] = -1;
    } else if (now > 0 && (now < this.short[3 * closest + resource] || (now === this.short[3 * closest + resource] && position < closest))) {
      this.closest[resource] = position;
    }
  }

  private searchClosest(resource: number): number {
    let best = -1;
    for (let position = 0; position < this.nodes.length; position++) {
      const short = this.short[3 * position + resource];
      if (short > 0 && (best < 0 || short < this.short[3 * best + resource])) best = position;
    }
    return best;
  }
}

/** The explanations of every index and flavor a replay has needed so far. */
export class NoValidHostExplainer {
  private readonly verdicts = new Map<HostIndex, Map<string, FlavorVerdicts>>();

  constructor(private readonly hostCount: number) {}

  /** Causes over the index's hosts, plus those outside the aggregate the build asked for. */
  causes(index: HostIndex, request: FlavorRequest, aggregate: string | null): RejectionCause[] {
    const causes = this.verdictsFor(index, request).causes();
    if (aggregate !== null && index.nodes.length < this.hostCount) {
      causes.push({ cause: 'aggregate', hosts: this.hostCount - index.nodes.length, closest: null });
    }
    return causes;
  }

  attempts(index: HostIndex, request: FlavorRequest): Attempt[] {
    return this.verdictsFor(index, request).explain();
  }

  private verdictsFor(index: HostIndex, request: FlavorRequest): FlavorVerdicts {
    let byFlavor = this.verdicts.get(index);
    if (!byFlavor) this.verdicts.set(index, (byFlavor = new Map()));
    let verdicts = byFlavor.get(request.flavor.name);
    if (!verdicts) byFlavor.set(request.flavor.name, (verdicts = new FlavorVerdicts(index.nodes, request)));
    return verdicts;
  }
}
