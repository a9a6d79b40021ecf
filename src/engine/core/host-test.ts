// One host's answer to one build, and what a claim holds on it: what each capacity model
// returns (capacity-model.ts) and what the compute node and the tracker keep.
import type { ProviderAllocation, ResourceAmounts, Resources } from './model.ts';
import type { TopologyClaim } from '../topology/host-topology.ts';

/** What a build holds on a node, so that a delete gives back exactly that. */
export interface Held {
  /** what the compute node's figures took, as the model's ResourceTracker counts memory, disk and vcpus */
  requested: Resources;
  /** the Placement allocation, each class summed over the providers it came from; null under the legacy model */
  allocation: ResourceAmounts | null;
  /**
   * the Placement allocation provider by provider, on a host with child providers
   * (docs/semantics.md, "Nested resource providers"); absent where the host's own
   * provider holds all of `allocation`
   */
  providers?: ProviderAllocation[];
  topologyClaim: TopologyClaim | null;
}

/** One host's answer to one build. */
export interface HostTest extends Held {
  /** the refusal's reasons, in Nova's or Placement's words; empty when the build can go ahead */
  reasons: string[];
  /** the full text of the refusal (the exception Nova raises, or Placement's conflict); null when none */
  message: string | null;
  /** whether Placement listed the host as an allocation candidate (always, under the legacy model) */
  candidate: boolean;
  /** Nova's audit lines for a claim (`--verbose`), when asked for */
  audit: string[] | null;
}

/**
 * What a live instance keeps of the test that passed: its hold, without the refusal's and
 * the audit's fields. A full cloud keeps hundreds of thousands of holds (docs/contributing.md, "Scale").
 */
export function heldBy({ requested, allocation, providers, topologyClaim }: HostTest): Held {
  if (providers !== undefined) return { requested, allocation, providers, topologyClaim };
  if (allocation !== null || topologyClaim !== null) return { requested, allocation, topologyClaim };
  // The legacy model's hold without cells or devices: its amounts are one object per
  // flavor (and host overhead), so the hold can be one object per amounts too.
  let held = PLAIN_HOLDS.get(requested);
  if (held === undefined) PLAIN_HOLDS.set(requested, (held = { requested, allocation, topologyClaim }));
  return held;
}

/** Holds of amounts only, by their amounts' object; never changed. */
const PLAIN_HOLDS = new WeakMap<Resources, Held>();
