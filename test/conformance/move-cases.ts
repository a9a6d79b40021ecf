// A deterministic generator of move conformance plans: a few hosts under the Placement
// model, a few flavors, and a random sequence of scheduled builds, deletes, resizes, cold
// and live migrations, evacuations (to a named host or not), confirms, reverts and hosts
// going down and up, so that moves meet unconfirmed moves, down sources, evacuated
// instances, instances in error and hosts that come back.
import { CloudState } from '../../src/engine/core/cloud-state.ts';
import { DEFAULT_CLOUD_SETTINGS, type Cloud, type Flavor, type Request } from '../../src/engine/core/model.ts';
import { random, type Random } from './cases.ts';
import { hostSpecOf } from './placement-conformance.ts';
import type { CaseHost } from './placement-cases.ts';

export type MoveStep =
  | { op: 'build'; instance: string; flavor: string; bfv: boolean }
  | { op: 'delete'; instance: string }
  | { op: 'resize'; instance: string; flavor: string }
  | { op: 'migrate' | 'live_migrate' | 'evacuate'; instance: string; host: string | null }
  | { op: 'confirm' | 'revert'; instance: string }
  | { op: 'down' | 'up'; host: string };

export interface MovePlan {
  id: number;
  hosts: CaseHost[];
  flavors: Flavor[];
  auto_confirm_moves: boolean;
  allow_resize_to_same_host: boolean;
  steps: MoveStep[];
}

const RATIOS = [null, 1.0, 1.0, 1.5, 2.0, 4.0];

function hostOf(rng: Random, index: number): CaseHost {
  return {
    name: `h${index}`,
    vcpus: rng.pick([4, 8, 16]),
    memory_mb: rng.pick([4096, 8192, 16384]),
    local_gb: rng.pick([40, 100, 200]),
    cells: null,
    pci: [],
    traits: [],
    inventories: {},
    aggregates: [],
    settings: {
      cpu_allocation_ratio: rng.pick(RATIOS),
      ram_allocation_ratio: rng.pick(RATIOS),
      disk_allocation_ratio: rng.pick([null, 1.0, 2.0]),
      reserved_host_memory_mb: rng.pick([0, 512, 1024]),
      reserved_host_disk_mb: rng.pick([0, 0, 1024]),
      enabled_filters: ['ComputeFilter'],
    },
  };
}

/** Plain flavors with a root disk: what a resize's own refusals need is in moves.test.ts. */
function flavorOf(rng: Random, index: number): Flavor {
  return {
    name: `f${index}`,
    vcpus: rng.int(1, 4),
    memory_mb: rng.pick([512, 1024, 2048, 4096]),
    root_gb: rng.pick([1, 5, 10, 20]),
    ephemeral_gb: rng.pick([0, 0, 1, 5]),
    swap: rng.pick([0, 0, 512]),
    extra_specs: {},
  };
}

/** Each step's kind; a plan draws its own weight for each, so that some are mostly moves, some mostly hosts failing. */
const KINDS = ['build', 'delete', 'resize', 'migrate', 'live_migrate', 'evacuate', 'confirm', 'revert', 'down', 'up'] as const;

export function cloudOf(plan: Pick<MovePlan, 'hosts' | 'flavors' | 'auto_confirm_moves' | 'allow_resize_to_same_host'>): Cloud {
  return {
    settings: {
      ...DEFAULT_CLOUD_SETTINGS,
      capacity_model: 'placement',
      auto_confirm_moves: plan.auto_confirm_moves,
      allow_resize_to_same_host: plan.allow_resize_to_same_host,
    },
    hosts: plan.hosts.map(hostSpecOf),
    flavors: plan.flavors,
    pci_aliases: [],
  };
}

/**
 * A plan drawn step by step beside a replay of it, so that most requests meet the state
 * they are about: evacuations mostly of instances on a down host, confirms and reverts
 * mostly of moves waiting for one, moves often of instances an evacuation moved, ups
 * mostly of down hosts. The rest are drawn blind, and Nova's refusals answer them.
 */
function planFor(rng: Random, id: number): MovePlan {
  const hosts = Array.from({ length: rng.int(2, 5) }, (_, index) => hostOf(rng, index));
  const flavors = Array.from({ length: rng.int(2, 4) }, (_, index) => flavorOf(rng, index));
  const settings = { auto_confirm_moves: rng.chance(0.25), allow_resize_to_same_host: rng.chance(0.3) };
  const weight = (kind: MoveStep['op']) => (kind === 'build' ? 6 : kind === 'evacuate' ? rng.pick([2, 4, 8]) : kind === 'up' ? rng.pick([1, 2]) : rng.pick([1, 2, 4]));
  const bag = KINDS.flatMap((kind) => Array<MoveStep['op']>(weight(kind)).fill(kind));
  const state = CloudState.start(cloudOf({ hosts, flavors, ...settings }));
  const instances: string[] = [];
  const down = new Set<string>();
  const evacuated = new Set<string>();
  const unconfirmed = new Set<string>();
  const steps: MoveStep[] = [];
  const length = rng.int(10, 28);
  const named = () => (rng.chance(0.3) ? rng.pick(hosts).name : null);
  const either = (preferred: string[], chance: number) => (preferred.length > 0 && rng.chance(chance) ? rng.pick(preferred) : rng.pick(instances));
  while (steps.length < length) {
    const hosted = state.hostedInstances();
    const onDownHosts = hosted.filter(({ host }) => down.has(host)).map(({ instance }) => instance);
    let kind = instances.length === 0 ? 'build' : rng.pick(bag);
    // A request about nothing is mostly drawn again: some stay, for Nova's refusals.
    const aboutNothing = () => (kind === 'evacuate' && onDownHosts.length === 0) || ((kind === 'confirm' || kind === 'revert') && unconfirmed.size === 0);
    for (let redraw = 0; redraw < 3 && aboutNothing() && rng.chance(0.85); redraw++) kind = rng.pick(bag);
    let step: MoveStep;
    switch (kind) {
      case 'build':
        instances.push(`i${steps.length}`);
        step = { op: 'build', instance: `i${steps.length}`, flavor: rng.pick(flavors).name, bfv: rng.chance(0.15) };
        break;
      case 'delete': {
        const instance = rng.pick(instances);
        instances.splice(instances.indexOf(instance), 1);
        evacuated.delete(instance);
        unconfirmed.delete(instance);
        step = { op: 'delete', instance };
        break;
      }
      case 'resize':
        step = { op: 'resize', instance: either([...evacuated], 0.4), flavor: rng.pick(flavors).name };
        break;
      case 'migrate':
      case 'live_migrate':
        step = { op: kind, instance: either([...evacuated], 0.4), host: named() };
        break;
      case 'evacuate':
        step = { op: 'evacuate', instance: either(onDownHosts, 0.8), host: named() };
        break;
      case 'confirm':
      case 'revert':
        step = { op: kind, instance: either([...unconfirmed], 0.8) };
        break;
      case 'down':
      case 'up': {
        const busy = hosted.map(({ host }) => host);
        const host =
          kind === 'up' && down.size > 0 && rng.chance(0.9) ? rng.pick([...down]) : kind === 'down' && busy.length > 0 && rng.chance(0.7) ? rng.pick(busy) : rng.pick(hosts).name;
        if (kind === 'down') down.add(host);
        else down.delete(host);
        step = { op: kind, host };
        break;
      }
    }
    const decision = state.decide(requestOf(step), steps.length + 1, { audit: false, explain: false });
    steps.push(step);
    if (decision.result === 'claimed' && (step.op === 'resize' || step.op === 'migrate') && !settings.auto_confirm_moves) unconfirmed.add(step.instance);
    if (decision.result === 'claimed' && step.op === 'evacuate') evacuated.add(step.instance);
    if (decision.result === 'released' && 'instance' in step) unconfirmed.delete(step.instance);
  }
  return { id, hosts, flavors, ...settings, steps };
}

/** The step as claimplan reads it. */
export function requestOf(step: MoveStep): Request {
  switch (step.op) {
    case 'build':
      return { op: 'build', instance: step.instance, flavor: step.flavor, host: null, aggregate: null, expect: null, ...(step.bfv ? { boot_from_volume: true } : {}) };
    case 'resize':
      return { op: 'resize', instance: step.instance, flavor: step.flavor, host: null, expect: null };
    case 'migrate':
    case 'live_migrate':
    case 'evacuate':
      return { op: step.op, instance: step.instance, flavor: null, host: step.host, expect: null };
    case 'confirm':
    case 'revert':
      return { op: step.op, instance: step.instance, expect: null };
    default:
      return step;
  }
}

export function generateMovePlans(count: number, seed = 20261207): MovePlan[] {
  const rng = random(seed);
  return Array.from({ length: count }, (_, id) => planFor(rng, id));
}
