// One compute node's figures as Nova's ResourceTracker keeps them in ComputeNode.
import { limitsFor, resolveSettings } from './limits.ts';
import type { CloudSettings, HostSpec, HostUsage, Limits, Resources } from './model.ts';
import { HostTopology } from './topology/index.ts';

export class ComputeNode {
  memory_mb_used = 0;
  local_gb_used = 0;
  vcpus_used = 0;
  running_vms = 0;
  /** bumped on every change of usage, so explanations computed earlier can be reused */
  version = 0;

  private constructor(
    /** position in the inventory: the scheduler's tie-breaker */
    readonly index: number,
    readonly spec: HostSpec,
    readonly settings: CloudSettings,
    readonly limits: Limits,
    readonly topology: HostTopology,
  ) {}

  /**
   * The periodic audit's starting point: reserved memory and disk count as used, then
   * the plan's usage totals. ComputeNode's *_used fields are integers, so Nova truncates
   * reserved_host_disk_mb / 1024 when it stores it.
   */
  static fromSpec(index: number, spec: HostSpec, cloud: CloudSettings): ComputeNode {
    const settings = resolveSettings(cloud, spec);
    const node = new ComputeNode(index, spec, settings, limitsFor(spec, settings), HostTopology.fromSpec(spec));
    node.memory_mb_used = Math.trunc(settings.reserved_host_memory_mb + spec.used.memory_mb);
    node.local_gb_used = Math.trunc(settings.reserved_host_disk_mb / 1024) + Math.trunc(spec.used.local_gb);
    node.vcpus_used = Math.trunc(spec.used.vcpus);
    node.running_vms = Math.trunc(spec.used.running_vms);
    return node;
  }

  get name(): string {
    return this.spec.name;
  }

  get free_ram_mb(): number {
    return this.spec.memory_mb - this.memory_mb_used;
  }

  get free_disk_gb(): number {
    return this.spec.local_gb - this.local_gb_used;
  }

  /** ResourceTracker._update_usage: sign +1 for a claim, -1 for a delete. */
  updateUsage(resources: Resources, sign: 1 | -1): void {
    this.memory_mb_used = Math.trunc(this.memory_mb_used + sign * resources.memory_mb);
    this.local_gb_used = Math.trunc(this.local_gb_used + sign * resources.disk_gb);
    this.vcpus_used = Math.trunc(this.vcpus_used + sign * resources.vcpus);
    this.running_vms += sign;
    this.version++;
  }

  clone(): ComputeNode {
    const copy = new ComputeNode(this.index, this.spec, this.settings, this.limits, this.topology.clone());
    copy.memory_mb_used = this.memory_mb_used;
    copy.local_gb_used = this.local_gb_used;
    copy.vcpus_used = this.vcpus_used;
    copy.running_vms = this.running_vms;
    return copy;
  }

  usage(): HostUsage {
    return {
      host: this.name,
      memory_mb: this.spec.memory_mb,
      memory_mb_used: this.memory_mb_used,
      free_ram_mb: this.free_ram_mb,
      local_gb: this.spec.local_gb,
      local_gb_used: this.local_gb_used,
      free_disk_gb: this.free_disk_gb,
      vcpus: this.spec.vcpus,
      vcpus_used: this.vcpus_used,
      running_vms: this.running_vms,
      limits: this.limits,
      ...this.topology.usage(),
    };
  }
}
