// Fixed synthetic clouds for the benchmark: the same inputs every run, so figures compare.
import { DEFAULT_CLOUD_SETTINGS, type Cloud, type Flavor, type HostSpec, type Request } from '../src/engine/core/model.ts';

const HOST_TYPES = [
  { vcpus: 64, memory_mb: 262144, local_gb: 1800 },
  { vcpus: 96, memory_mb: 524288, local_gb: 3600 },
  { vcpus: 32, memory_mb: 131072, local_gb: 900 },
];

const FLAVORS: Flavor[] = [
  { name: 'm1.small', vcpus: 1, memory_mb: 2048, root_gb: 20, ephemeral_gb: 0, swap: 0, extra_specs: {} },
  { name: 'm1.medium', vcpus: 2, memory_mb: 4096, root_gb: 40, ephemeral_gb: 0, swap: 0, extra_specs: {} },
  { name: 'm1.large', vcpus: 4, memory_mb: 8192, root_gb: 80, ephemeral_gb: 0, swap: 0, extra_specs: {} },
  { name: 'm1.xlarge', vcpus: 8, memory_mb: 16384, root_gb: 160, ephemeral_gb: 0, swap: 0, extra_specs: {} },
];

/** The cloud that fills (issue 21's workload): four host sizes in three zones, five flavors, one of them huge. */
const FULL_CLOUD_HOST_TYPES = [
  { vcpus: 64, memory_mb: 262144, local_gb: 1800 },
  { vcpus: 96, memory_mb: 393216, local_gb: 3600 },
  { vcpus: 128, memory_mb: 524288, local_gb: 7000 },
  { vcpus: 32, memory_mb: 131072, local_gb: 900 },
];

const FULL_CLOUD_FLAVORS: Flavor[] = [
  ...FLAVORS,
  { name: 'c1.huge', vcpus: 32, memory_mb: 131072, root_gb: 200, ephemeral_gb: 100, swap: 0, extra_specs: {} },
];

function hostsOf(hostCount: number, types: readonly { vcpus: number; memory_mb: number; local_gb: number }[]): HostSpec[] {
  const hosts: HostSpec[] = [];
  for (let n = 0; n < hostCount; n++) {
    const type = types[n % types.length];
    hosts.push({
      name: `cmp-${String(n + 1).padStart(5, '0')}`,
      ...type,
      aggregates: [`az${(n % 3) + 1}`],
      settings: {},
      overhead: { memory_mb: 0, disk_gb: 0 },
      limits: null,
      numa: null,
      pci: [],
      instances: [],
      used: { memory_mb: 0, local_gb: 0, vcpus: 0, running_vms: 0 },
    });
  }
  return hosts;
}

export function syntheticCloud(hostCount: number): Cloud {
  return {
    settings: { ...DEFAULT_CLOUD_SETTINGS, enabled_filters: [...DEFAULT_CLOUD_SETTINGS.enabled_filters, 'CoreFilter'] },
    hosts: hostsOf(hostCount, HOST_TYPES),
    flavors: FLAVORS,
    pci_aliases: [],
  };
}

/**
 * A cloud that fills, as issue 21 measures it: RAM and disk unshared (ratio 1.0), vCPUs at
 * 4.0, so within the first few hundred thousand requests most builds find no host.
 */
export function fullCloud(hostCount: number): Cloud {
  return {
    settings: { ...DEFAULT_CLOUD_SETTINGS, cpu_allocation_ratio: 4.0, ram_allocation_ratio: 1.0, enabled_filters: ['RamFilter', 'DiskFilter', 'CoreFilter'] },
    hosts: hostsOf(hostCount, FULL_CLOUD_HOST_TYPES),
    flavors: FULL_CLOUD_FLAVORS,
    pci_aliases: [],
  };
}

/**
 * Builds of mixed flavors and deletes of earlier instances, `deleteShare` of the requests,
 * drawn from a fixed generator so every run measures the same trace; `placeBuild` says
 * where each build goes, from the same draws.
 */
function* churnTrace(
  requestCount: number,
  seed: number,
  deleteShare: number,
  placeBuild: (next: () => number) => Pick<Request & { op: 'build' }, 'host' | 'aggregate'>,
  flavors: readonly Flavor[] = FLAVORS,
): Generator<Request> {
  let random = seed;
  const next = () => {
    random = (random * 1103515245 + 12345) % 2147483648;
    return random / 2147483648;
  };
  const live: string[] = [];
  for (let n = 0; n < requestCount; n++) {
    if (live.length > 0 && next() < deleteShare) {
      const pick = Math.floor(next() * live.length);
      const [instance] = live.splice(pick, 1, live[live.length - 1]);
      live.pop();
      yield { op: 'delete', instance };
      continue;
    }
    const instance = `vm-${n + 1}`;
    const flavor = flavors[Math.floor(next() * flavors.length)].name;
    live.push(instance);
    yield { op: 'build', instance, flavor, ...placeBuild(next), expect: null };
  }
}

/**
 * A year-like trace: builds of mixed flavors, a third of them in one availability zone,
 * and deletes of earlier instances, sized so the cloud fills and then churns near full
 * (so rejections, which must test every host, are part of the measure).
 */
export function syntheticTrace(requestCount: number, seed = 1): Generator<Request> {
  return churnTrace(requestCount, seed, 0.35, (next) => ({ host: null, aggregate: next() < 0.33 ? 'az1' : null }));
}

/** 70% scheduled builds of the full cloud's five flavors, 30% deletes of earlier builds (rejected ones included). */
export function fullCloudTrace(requestCount: number, seed = 3): Generator<Request> {
  return churnTrace(requestCount, seed, 0.3, () => ({ host: null, aggregate: null }), FULL_CLOUD_FLAVORS);
}

/** 70% builds on a named host, 30% deletes of live instances: the compute manager's own path. */
export function namedHostTrace(requestCount: number, hostCount: number, seed = 7): Generator<Request> {
  return churnTrace(requestCount, seed, 0.3, (next) => ({ host: `cmp-${String(Math.floor(next() * hostCount) + 1).padStart(5, '0')}`, aggregate: null }));
}

/** A request as a trace line, in the plan format's own keys. */
export function traceLine(request: Request): string {
  if (request.op === 'delete') return JSON.stringify({ delete: request.instance });
  if (request.op !== 'build') throw new Error(`the benchmark's traces hold no ${request.op} requests`);
  const line: Record<string, string> = { build: request.flavor, name: request.instance };
  if (request.host !== null) line.host = request.host;
  if (request.aggregate !== null) line.aggregate = request.aggregate;
  return JSON.stringify(line);
}

/** A synthetic cloud as a plan file's text (JSON is YAML), its requests in `trace`. */
export function planText(cloud: Cloud, trace: string): string {
  const hosts = cloud.hosts.map(({ name, vcpus, memory_mb, local_gb, aggregates }) => ({ name, vcpus, memory_mb, local_gb, aggregates }));
  const flavors = cloud.flavors.map(({ name, vcpus, memory_mb, root_gb, ephemeral_gb }) => ({ name, vcpus, memory_mb, root_gb, ephemeral_gb }));
  const { cpu_allocation_ratio, ram_allocation_ratio, enabled_filters } = cloud.settings;
  return JSON.stringify({ version: 1, cloud: { cpu_allocation_ratio, ram_allocation_ratio, enabled_filters }, hosts, flavors, requests: { file: trace } });
}

/**
 * A year of lifecycles for the 1,000-host synthetic cloud, as `forecast --history` reads
 * them (NDJSON): `perDay` builds a day on average, rising by half over the year, of the four
 * flavors alike; half live about 60 days (exponentially), the rest are still running.
 */
export function* syntheticHistory(perDay: number, seed = 11): Generator<string> {
  let random = seed;
  const next = () => {
    random = (random * 1103515245 + 12345) % 2147483648;
    return random / 2147483648;
  };
  const day = 86_400_000;
  const first = Date.UTC(2025, 11, 1);
  const end = first + 365 * day;
  let n = 0;
  for (let d = 0; d < 365; d++) {
    // Builds of the day: the rate, rounded by a draw, so the counts vary about it.
    const rate = perDay * (0.75 + (0.5 * d) / 365);
    const builds = Math.floor(rate + next());
    for (let b = 0; b < builds; b++) {
      const start = first + d * day + Math.floor(next() * day);
      const stop = next() < 0.5 ? start - Math.log(1 - next()) * 60 * day : Infinity;
      const flavor = FLAVORS[Math.floor(next() * FLAVORS.length)].name;
      const line: Record<string, string> = { instance: `hist-${++n}`, flavor, start: new Date(start).toISOString() };
      if (stop < end) line.end = new Date(stop).toISOString();
      yield JSON.stringify(line);
    }
  }
}
