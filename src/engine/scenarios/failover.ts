// "Does my cloud survive losing a host?" (docs/semantics.md, "Failover"): after the replay,
// lost hosts go down and their instances are evacuated one at a time through the scheduler.
// Each scenario runs as a trial of the replayed state, which puts the state back after it,
// so scenarios never see each other's moves.
import type { CloudState, Evacuation, HostedInstance } from '../core/cloud-state.ts';
import type { RejectionCause, Resources } from '../core/model.ts';

export interface PlacedInstance {
  instance: string;
  flavor: string;
  from: string;
  to: string;
}

export interface StrandedInstance {
  instance: string;
  flavor: string;
  from: string;
  /** Nova's No-valid-host text */
  reasons: string[];
  causes: RejectionCause[];
}

export interface FailoverScenario {
  lost: string[];
  /** the aggregate whose hosts these are, when one aggregate was lost whole (`--each aggregate`); else null */
  aggregate: string | null;
  placed: PlacedInstance[];
  stranded: StrandedInstance[];
  /** what the stranded instances ask for, added up */
  short: Resources;
}

/** How a `--k N` search found its scenario. */
export interface WorstLossSearch {
  /** exact: every combination of N hosts; greedy: one host added at a time (docs/semantics.md, "Failover") */
  method: 'exact' | 'greedy';
  /** how many combinations of N hosts there are (a float past 2^53) */
  combinations: number;
  /** how many scenarios the search ran */
  evaluated: number;
}

/** Past this many combinations, `--k` searches greedily rather than running every one. */
export const EXACT_COMBINATIONS_LIMIT = 5000;
/** A greedy step tries adding each of this many hosts, those that strand most on their own. */
export const GREEDY_CANDIDATES = 32;

/** Runs one loss per scenario as a trial of the replayed state, which each leaves as it found it. */
export class Failover {
  /** each host's instances after the replay, listed once for every scenario */
  private readonly instancesByHost = new Map<string, HostedInstance[]>();

  constructor(private readonly replayed: CloudState) {
    for (const hosted of replayed.hostedInstances()) {
      const instances = this.instancesByHost.get(hosted.host) ?? [];
      instances.push(hosted);
      this.instancesByHost.set(hosted.host, instances);
    }
  }

  /**
   * The hosts go down together, then their instances are evacuated one at a time: largest
   * flavor memory first, then instance name, as an operator running `nova host-evacuate`
   * largest-first would; a lost host never takes one, being down.
   */
  lose(hosts: readonly string[]): FailoverScenario {
    const state = this.replayed;
    const moving = hosts.flatMap((host) => this.instancesByHost.get(host) ?? []);
    const memory = (hosted: HostedInstance) => state.flavorMemory(hosted.flavor);
    moving.sort((a, b) => memory(b) - memory(a) || compareNames(a.instance, b.instance));
    const scenario: FailoverScenario = { lost: [...hosts], aggregate: null, placed: [], stranded: [], short: { memory_mb: 0, disk_gb: 0, vcpus: 0 } };
    state.trial(() => {
      for (const host of hosts) state.decide({ op: 'down', host }, 0, QUIET);
      for (const { instance } of moving) record(scenario, state.evacuate(instance, QUIET));
    });
    return scenario;
  }

  /** One scenario per group of hosts, the worst first (`rankScenarios`). */
  each(groups: readonly (readonly string[])[]): FailoverScenario[] {
    return rankScenarios(groups.map((hosts) => this.lose(hosts)));
  }

  /** One scenario per aggregate, all its hosts lost together and the scenario named after it, the worst first. */
  eachAggregate(): FailoverScenario[] {
    return rankScenarios([...this.replayed.aggregateMembers()].map(([aggregate, hosts]) => ({ ...this.lose(hosts), aggregate })));
  }

  /**
   * The worst loss of `k` of the hosts: every combination when there are at most
   * EXACT_COMBINATIONS_LIMIT; otherwise greedily, from the worst single host, adding
   * each time the host (among the GREEDY_CANDIDATES worst alone) that makes the loss
   * worst. A greedy answer is a real scenario, so the true worst loses at least as much.
   */
  worstLoss(hosts: readonly string[], k: number): { scenario: FailoverScenario; search: WorstLossSearch } {
    const combinations = combinationCount(hosts.length, k);
    if (combinations <= EXACT_COMBINATIONS_LIMIT) {
      const scenarios = [...combinationsOf(hosts, k)].map((lost) => this.lose(lost));
      return { scenario: rankScenarios(scenarios)[0], search: { method: 'exact', combinations, evaluated: scenarios.length } };
    }
    const alone = this.each(hosts.map((host) => [host]));
    const candidates = alone.slice(0, Math.max(GREEDY_CANDIDATES, k)).map((scenario) => scenario.lost[0]);
    let worst = alone[0];
    let evaluated = alone.length;
    while (worst.lost.length < k) {
      const lost = new Set(worst.lost);
      const next = candidates.filter((host) => !lost.has(host)).map((host) => this.lose(sortedLike(hosts, [...lost, host])));
      evaluated += next.length;
      worst = rankScenarios(next)[0];
    }
    return { scenario: worst, search: { method: 'greedy', combinations, evaluated } };
  }
}

const QUIET = { audit: false, explain: false };

function record(scenario: FailoverScenario, evacuation: Evacuation): void {
  const { instance, flavor, from, to } = evacuation;
  if (to !== null) return void scenario.placed.push({ instance, flavor, from, to });
  scenario.stranded.push({ instance, flavor, from, reasons: evacuation.reasons, causes: evacuation.causes ?? [] });
  scenario.short.memory_mb += evacuation.requested.memory_mb;
  scenario.short.disk_gb += evacuation.requested.disk_gb;
  scenario.short.vcpus += evacuation.requested.vcpus;
}

/** Worst first: more instances stranded, then more memory short, then the lost hosts' names. */
export function rankScenarios(scenarios: FailoverScenario[]): FailoverScenario[] {
  return [...scenarios].sort(
    (a, b) =>
      b.stranded.length - a.stranded.length ||
      b.short.memory_mb - a.short.memory_mb ||
      compareNames(a.lost.join(','), b.lost.join(',')),
  );
}

/** Code-point order, the same on every machine (localeCompare is not). */
export function compareNames(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The hosts in `subset`, in the order `all` lists them. */
function sortedLike(all: readonly string[], subset: readonly string[]): string[] {
  const wanted = new Set(subset);
  return all.filter((host) => wanted.has(host));
}

/** n choose k; each partial product is itself a binomial, so it stays whole while it is exact. */
export function combinationCount(n: number, k: number): number {
  let count = 1;
  for (let i = 1; i <= k; i++) count = Math.round((count * (n - k + i)) / i);
  return count;
}

/** Every choice of `k` items, in lexicographic order of positions. */
export function* combinationsOf<T>(items: readonly T[], k: number): Generator<T[]> {
  const positions = Array.from({ length: k }, (_, i) => i);
  if (k > items.length) return;
  for (;;) {
    yield positions.map((position) => items[position]);
    let i = k - 1;
    while (i >= 0 && positions[i] === items.length - k + i) i--;
    if (i < 0) return;
    positions[i]++;
    for (let j = i + 1; j < k; j++) positions[j] = positions[j - 1] + 1;
  }
}
