// Small expand plans and the whole count search as `claimplan expand` runs it with one
// thread, shared by the tests of src/engine/expand/.
import { CloudState } from '../../../../src/engine/core/cloud-state.ts';
import { countBounds } from '../../../../src/engine/scenarios/expand/bounds.ts';
import { replayWithAdded } from '../../../../src/engine/scenarios/expand/replay-at-count.ts';
import { AnswerSearch, type CountReplayer } from '../../../../src/engine/scenarios/expand/answers.ts';
import { SkuProbe, type Position, type Sku } from '../../../../src/engine/scenarios/expand/sku.ts';
import type { CapacityModelName, Cloud, Decision, HostSpec, Request } from '../../../../src/engine/core/model.ts';
import { replay } from '../../../../src/engine/core/replay.ts';
import { build, cloud, flavor, host } from '../../builders.ts';

const QUIET = { audit: false, explain: false };

export function sku(prototype: HostSpec, name = 'r640', cost: number | null = null): Sku {
  return { name, prototype, cost, hostName: (n) => `${name}-new-${n}` };
}

/** The plan with the hosts added by hand, as an operator would write them, replayed with nothing from expand. */
export function replayByHand(plan: Cloud, requests: Request[], added: HostSpec, count: number, position: Position = 'last'): { state: CloudState; decisions: Decision[] } {
  const hosts = Array.from({ length: count }, (_, index) => ({ ...structuredClone(added), name: `r640-new-${index + 1}` }));
  const state = CloudState.start({ ...plan, hosts: position === 'last' ? [...plan.hosts, ...hosts] : [...hosts, ...plan.hosts] });
  return { state, decisions: [...replay(state, requests, QUIET)] };
}

export const rejectedBuilds = (decisions: Decision[]) => decisions.filter((decision) => decision.op === 'build' && decision.result === 'rejected');

/** The whole search as the command runs it with one thread: the answer, with the replays at its count and at one fewer. */
export async function searchToEnd(plan: Cloud, requests: Request[], skus: Sku[], failover: number | null = null, exhaustive = false) {
  const probe = new SkuProbe(plan, skus);
  const [bounds] = countBounds(plan, requests, probe, failover);
  const replayer: CountReplayer = { threads: 1, run: async (task) => replayWithAdded(plan, requests, probe, task.counts, 'last', failover, task.stopEarly) };
  const answer = await new AnswerSearch(replayer, skus, exhaustive).alone(0, bounds.lower, bounds.upper, false);
  return { bounds, count: answer.count?.[0] ?? null, method: answer.method, at: answer.at, fewer: answer.fewer, probe };
}

export function smallCloud(model: CapacityModelName = 'legacy'): Cloud {
  return cloud([host('cmp-1', { memory_mb: 16384, aggregates: ['az1'] })], [flavor('small', { memory_mb: 4096 }), flavor('huge', { memory_mb: 65536 })], {
    capacity_model: model,
    reserved_host_memory_mb: 0,
    ram_allocation_ratio: 1.0,
  });
}

export const tenSmall = Array.from({ length: 10 }, (_, index) => build(`web-${index + 1}`, 'small'));

