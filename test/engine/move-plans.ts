// A small cloud of three hosts and the moves replayed on it, shared by the tests of moves
// (test/engine/moves/api-checks.test.ts) and of what they hold (test/engine/core/cloud-state.test.ts).
import { CloudState } from '../../src/engine/core/cloud-state.ts';
import type { CapacityModelName, Cloud, Decision, HostUsage, MoveRequest, Request } from '../../src/engine/core/model.ts';
import { replay } from '../../src/engine/core/replay.ts';
import { build, cloud, flavor, host } from './builders.ts';

const OPTIONS = { audit: false, explain: false };
export const FLAVORS = [flavor('small', { memory_mb: 4096, vcpus: 2, root_gb: 20 }), flavor('medium', { memory_mb: 8192, vcpus: 4, root_gb: 40 }), flavor('large', { memory_mb: 12288, vcpus: 8, root_gb: 80 })];

export function threeHosts(model: CapacityModelName, settings: Partial<Cloud['settings']> = {}): Cloud {
  return cloud([host('cmp-1', { memory_mb: 16384 }), host('cmp-2', { memory_mb: 16384 }), host('cmp-3', { memory_mb: 16384 })], FLAVORS, {
    capacity_model: model,
    reserved_host_memory_mb: 0,
    ram_allocation_ratio: 1.0,
    ...settings,
  });
}

export function run(plan: Cloud, requests: Request[]): { state: CloudState; decisions: Decision[] } {
  const state = CloudState.start(plan);
  return { state, decisions: [...replay(state, requests, OPTIONS)] };
}

export function move(op: MoveRequest['op'], instance: string, extra: Partial<MoveRequest> = {}): MoveRequest {
  return { op, instance, flavor: null, host: null, expect: null, ...extra };
}

/** What the audit and Placement would show of each host: the figures a move changes. */
export function usage(state: CloudState): Pick<HostUsage, 'host' | 'memory_mb_used' | 'local_gb_used' | 'vcpus_used' | 'usages'>[] {
  return state.hostUsages().map(({ host: name, memory_mb_used, local_gb_used, vcpus_used, usages }) => ({ host: name, memory_mb_used, local_gb_used, vcpus_used, usages }));
}

/** app on cmp-1 and filler on cmp-2, each a small flavor, claimed on the host they name. */
export const START = [build('app', 'small', { host: 'cmp-1' }), build('filler', 'small', { host: 'cmp-2' })];

