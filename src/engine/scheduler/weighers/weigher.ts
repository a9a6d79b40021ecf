// What every weigher of Nova's scheduler is (nova/weights.py BaseWeigher): a raw weight per
// host, clamped to the weigher's minval/maxval, normalised over the hosts that passed the
// filters and multiplied by its multiplier (docs/semantics.md, "Weighing"). One file per
// weigher beside this one holds its rule.
import type { ComputeNode } from '../../core/compute-node.ts';
import type { CloudSettings, ServerGroup, WeigherName } from '../../core/model.ts';

/** What a weigher may read of the request: its server group and the group's members per host. */
export interface WeighingRequest {
  group: ServerGroup | null;
  /** how many of the group's members are on the host (0 outside a group) */
  membersOn(node: ComputeNode): number;
}

/** A request outside any server group: what every host weigher is asked with, since none reads the request. */
export const NO_GROUP: WeighingRequest = Object.freeze({ group: null, membersOn: () => 0 });

export interface HostWeigher {
  readonly name: WeigherName;
  /** BaseWeigher.minval/maxval: raw weights are clamped to them, and normalize() uses them instead of the list's */
  readonly minval: number | null;
  readonly maxval: number | null;
  /**
   * Where a raw weight comes from: `host`, the node's own figures (the host index keeps
   * them); `group`, the request's server group; `none`, a figure every host shares in a
   * replay, which normalize() turns into 0 on every host.
   */
  readonly source: 'host' | 'group' | 'none';
  /**
   * Whether it weighs every one of `nodes` alike for as long as they live, as a `host`
   * weigher may on some clouds (PCIWeigher where no host has a device): the host index
   * then keeps no figures for it, and its weight normalises to 0 on every host as a
   * `none` weigher's does. Absent: it may tell them apart.
   */
  alikeOn?(nodes: readonly ComputeNode[]): boolean;
  /** weight_multiplier(host_state): the host's settings, where per-host values would come from aggregate metadata */
  multiplier(settings: CloudSettings): number;
  weigh(node: ComputeNode, request: WeighingRequest): number;
}
