// Replays random clouds — zones, aggregates with metadata, projects, images, hints, hosts of
// several hypervisors — through claimplan's scheduler with random combinations of Nova's
// filters enabled and, for every scheduled build, hands the same hosts (as the compute nodes
// the ResourceTracker reports just before it, with their aggregates and instances) and the
// same request to Nova 26's own filter classes, filter handler and weighers
// (filter_harness.py under /usr/bin/python3). Each filter's verdict on each host, and the
// host the build lands on (or none), must be Nova's.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { CloudState } from '../../src/engine/core/cloud-state.ts';
import type { AggregateSpec, BuildRequest, Cloud, CloudSettings, Flavor, HostSpec, ImageSpec, Request } from '../../src/engine/core/model.ts';
import { DEFAULT_HYPERVISOR_TYPE, DEFAULT_HYPERVISOR_VERSION } from '../../src/engine/scheduler/filters/compute-capabilities.ts';
import { DEFAULT_SUPPORTED_INSTANCES } from '../../src/engine/scheduler/filters/image-properties.ts';
import { hostFiltersEnabled } from '../../src/engine/scheduler/filters/index.ts';
import { aggregatesByName, hostAggregates } from '../../src/engine/scheduler/host-aggregates.ts';
import { cloud, flavor, host } from '../engine/builders.ts';
import { PYTHON, runHarness } from './harness.ts';
import { draws } from './weigher-conformance.ts';

const HARNESS = fileURLToPath(new URL('./filter_harness.py', import.meta.url));

export function novaFiltersImportable(): boolean {
  return spawnSync(PYTHON, ['-c', 'import nova.scheduler.filters, nova.scheduler.host_manager']).status === 0;
}

/** The weigher suite's deterministic draws, with subsets and shuffles. */
function filterDraws(seed: number) {
  const d = draws(seed);
  return {
    ...d,
    subset: <T>(items: readonly T[], p: number): T[] => items.filter(() => d.next() < p),
    shuffled: <T>(items: readonly T[]): T[] => {
      const copy = [...items];
      for (let at = copy.length - 1; at > 0; at--) {
        const other = Math.floor(d.next() * (at + 1));
        [copy[at], copy[other]] = [copy[other], copy[at]];
      }
      return copy;
    },
  };
}

/** Every filter with a rule of its own in claimplan (src/engine/scheduler/filters/), and ComputeFilter. */
export const FILTERS_TESTED = [
  'AvailabilityZoneFilter',
  'ComputeFilter',
  'ComputeCapabilitiesFilter',
  'ImagePropertiesFilter',
  'AggregateInstanceExtraSpecsFilter',
  'AggregateMultiTenancyIsolation',
  'NumInstancesFilter',
  'AggregateNumInstancesFilter',
  'IoOpsFilter',
  'AggregateIoOpsFilter',
  'IsolatedHostsFilter',
  'SameHostFilter',
  'DifferentHostFilter',
  'AggregateImagePropertiesIsolation',
  'AggregateTypeAffinityFilter',
] as const;

const METADATA: Record<string, readonly string[]> = {
  ssd: ['true', 'false', 'true,false', ' true '],
  gpu: ['2', '4', '1,3', '2.5'],
  filter_tenant_id: ['p1', 'p1,p2', 'p3'],
  max_instances_per_host: ['1', '2', '4', 'many'],
  max_io_ops_per_host: ['0', '3', '-1'],
  instance_type: ['small', 'small, large', 'tiny'],
  os_type: ['linux', 'windows', 'linux,windows'],
  hw_architecture: ['x86_64', 'aarch64'],
  'ns.os_distro': ['ubuntu'],
  hypervisor_type: ['QEMU', 'xen'],
  ram_weight_multiplier: ['2.0', '-1.0', '0', 'x'],
  cpu_weight_multiplier: ['0.5', '3'],
  disk_weight_multiplier: ['-2'],
};

const EXTRA_SPECS: Record<string, readonly string[]> = {
  'aggregate_instance_extra_specs:ssd': ['true', 's== true', '<in> tru', '<or> true <or> false', 's!= false', 's>= t', 'true false'],
  ssd: ['true', 's< u'],
  gpu: ['>= 2', '= 3', '== 4', '<= 1', '!= 2', '<all-in> 1', '<in> 2.'],
  'capabilities:hypervisor_type': ['s== QEMU', 'QEMU', '<in> QE', 's!= xen', '<or> xen <or> QEMU'],
  'capabilities:hypervisor_version': ['>= 7000000', '<= 6002000', '== 8000000'],
  'capabilities:vcpus_total': ['>= 32'],
  'capabilities:cpu_info:arch': ['x86_64'],
  hypervisor_type: ['QEMU'],
  'quota:disk_read_bytes_sec': ['1000'],
};

const IMAGE_PROPERTIES: Record<string, readonly string[]> = {
  hw_architecture: ['x86_64', 'aarch64', 'AMD64', 'i386'],
  img_hv_type: ['kvm', 'qemu', 'xen'],
  hw_vm_mode: ['hvm', 'xen', 'hv'],
  os_type: ['linux', 'windows'],
};

const SUPPORTED: readonly (readonly (readonly string[])[] | undefined)[] = [
  undefined,
  [['x86_64', 'qemu', 'hvm'], ['aarch64', 'qemu', 'hvm']],
  [['i686', 'xen', 'xen'], ['x86_64', 'xen', 'hvm']],
  [['X86_64', 'KVM', 'HVM']],
  [],
];

export interface FilterCase {
  cloud: Cloud;
  requests: Request[];
}

/** A random cloud of 4–9 large hosts (resources never refuse), its aggregates, images and a trace of builds and deletes. */
export function filterCase(id: number): FilterCase {
  const d = filterDraws(id * 2246822519 + 11);
  const names = Array.from({ length: d.int(4, 9) }, (_, at) => `h${at + 1}`);
  const hosts: HostSpec[] = names.map((name) => {
    const spec = host(name, { vcpus: d.pick([16, 32, 64]), memory_mb: d.pick([262144, 524288]), local_gb: d.pick([2000, 4000]) });
    if (d.chance(0.5)) spec.hypervisor_type = d.pick(['QEMU', 'xen', 'QEMU']);
    if (d.chance(0.5)) spec.hypervisor_version = d.pick([6002000, 7002000, 8000000]);
    const supported = d.pick(SUPPORTED);
    if (supported !== undefined) spec.supported_instances = supported.map((triple) => [...triple]);
    if (d.chance(0.08)) spec.disabled = true;
    return spec;
  });
  // Zones: disjoint, as Nova keeps a host in one zone.
  const zoned = d.shuffled(names);
  const split = d.int(0, zoned.length);
  const aggregates: AggregateSpec[] = [];
  if (d.chance(0.7)) aggregates.push({ name: 'zone-1', availability_zone: 'az1', hosts: zoned.slice(0, split), metadata: {} });
  if (d.chance(0.5)) aggregates.push({ name: 'zone-2', availability_zone: 'az2', hosts: zoned.slice(split), metadata: {} });
  for (let at = d.int(0, 4); at > 0; at--) {
    const metadata: Record<string, string> = {};
    for (const key of d.subset(Object.keys(METADATA), 0.25)) metadata[key] = d.pick(METADATA[key]);
    aggregates.push({ name: `agg-${at}`, availability_zone: null, hosts: d.subset(names, 0.5), metadata });
  }
  for (const aggregate of aggregates) for (const name of aggregate.hosts) hosts.find((spec) => spec.name === name)!.aggregates.push(aggregate.name);

  const flavors: Flavor[] = ['small', 'large', 'tiny'].map((name) => {
    const extra_specs: Record<string, string> = {};
    for (const key of d.subset(Object.keys(EXTRA_SPECS), 0.15)) extra_specs[key] = d.pick(EXTRA_SPECS[key]);
    return flavor(name, { vcpus: d.int(1, 4), memory_mb: d.pick([512, 1024, 2048]), root_gb: d.pick([1, 10]), extra_specs });
  });
  const images: ImageSpec[] = ['img-a', 'img-b', 'img-c'].map((name) => {
    const properties: Record<string, string> = {};
    for (const key of d.subset(Object.keys(IMAGE_PROPERTIES), 0.35)) properties[key] = d.pick(IMAGE_PROPERTIES[key]);
    return { name, properties };
  });
  const settings: Partial<CloudSettings> = {
    enabled_filters: d.shuffled(d.subset(FILTERS_TESTED, 0.45)),
    max_instances_per_host: d.pick([50, 3, 6]),
    max_io_ops_per_host: d.pick([8, 8, 8, 0]),
    isolated_hosts: d.chance(0.3) ? d.subset(names, 0.3) : [],
    isolated_images: d.chance(0.3) ? d.subset(images.map(({ name }) => name), 0.4) : [],
    restrict_isolated_hosts_to_isolated_images: d.chance(0.5),
    aggregate_image_properties_isolation_namespace: d.chance(0.2) ? 'ns' : null,
    default_availability_zone: d.pick(['nova', 'nova', 'az1']),
  };
  const requests: Request[] = [];
  const built: string[] = [];
  for (let seq = 1, count = d.int(12, 30); seq <= count; seq++) {
    if (built.length > 0 && d.chance(0.15)) {
      requests.push({ op: 'delete', instance: d.pick(built) });
      continue;
    }
    const instance = `vm-${seq}`;
    const request: BuildRequest = { op: 'build', instance, flavor: d.pick(flavors).name, host: null, aggregate: null, expect: null };
    if (d.chance(0.3)) request.availability_zone = d.pick(['az1', 'az2', 'nova', 'az1']);
    if (d.chance(0.5)) request.project = d.pick(['p1', 'p2', 'p3']);
    if (d.chance(0.6)) request.image = d.pick(images).name;
    if (built.length > 0 && d.chance(0.3)) {
      const named = () => [...d.subset(built, 0.2), ...(d.chance(0.1) ? ['vm-gone'] : [])];
      request.hints = d.chance(0.5) ? { same_host: named() } : { different_host: named() };
    }
    requests.push(request);
    built.push(instance);
  }
  return { cloud: { ...cloud(hosts, flavors, settings), aggregates, images }, requests };
}

export interface FilterReport {
  cases: number;
  builds: number;
  /** builds Nova's API refused for their zone, which reach no filter */
  refusedZones: number;
  verdicts: number;
  refusals: Record<string, number>;
  placed: number;
  noHost: number;
  mismatches: string[];
  seconds: { nova: number; claimplan: number };
}

/** The query for one build: the hosts as they are now, the request, the settings. */
function queryFor(state: CloudState, built: Cloud, request: BuildRequest): object {
  const settings = built.settings;
  const hosted = state.hostedInstances();
  const usages = new Map(state.hostUsages().map((usage) => [usage.host, usage]));
  const image = request.image === undefined ? null : built.images!.find(({ name }) => name === request.image)!;
  const flavorSpec = built.flavors.find(({ name }) => name === request.flavor)!;
  return {
    conf: {
      max_instances_per_host: settings.max_instances_per_host,
      max_io_ops_per_host: settings.max_io_ops_per_host,
      isolated_images: settings.isolated_images,
      isolated_hosts: settings.isolated_hosts,
      restrict_isolated_hosts_to_isolated_images: settings.restrict_isolated_hosts_to_isolated_images,
      aggregate_image_properties_isolation_namespace: settings.aggregate_image_properties_isolation_namespace,
      aggregate_image_properties_isolation_separator: settings.aggregate_image_properties_isolation_separator,
      default_availability_zone: settings.default_availability_zone,
    },
    filters: settings.enabled_filters,
    aggregates: (built.aggregates ?? []).map(({ name, availability_zone, hosts, metadata }) => ({
      name,
      hosts,
      metadata: availability_zone === null ? metadata : { ...metadata, availability_zone },
    })),
    hosts: built.hosts.map((spec) => {
      const usage = usages.get(spec.name)!;
      return {
        name: spec.name,
        memory_mb: usage.memory_mb,
        free_ram_mb: usage.free_ram_mb,
        local_gb: usage.local_gb,
        local_gb_used: usage.local_gb_used,
        free_disk_gb: usage.free_disk_gb,
        vcpus: usage.vcpus,
        vcpus_used: usage.vcpus_used,
        cpu_allocation_ratio: settings.cpu_allocation_ratio,
        hypervisor_type: spec.hypervisor_type ?? DEFAULT_HYPERVISOR_TYPE,
        hypervisor_version: spec.hypervisor_version ?? DEFAULT_HYPERVISOR_VERSION,
        supported_instances: spec.supported_instances ?? DEFAULT_SUPPORTED_INSTANCES,
        num_instances: usage.running_vms,
        disabled: spec.disabled === true,
        aggregates: spec.aggregates,
        instances: hosted.filter((instance) => instance.host === spec.name).map((instance) => instance.instance),
      };
    }),
    request: {
      flavor: { name: flavorSpec.name, memory_mb: flavorSpec.memory_mb, vcpus: flavorSpec.vcpus, root_gb: flavorSpec.root_gb, extra_specs: flavorSpec.extra_specs },
      image,
      availability_zone: request.availability_zone ?? null,
      project: request.project ?? null,
      hints: request.hints ?? {},
    },
  };
}

/** claimplan's own verdict of each enabled filter on each host, from the filter functions the scheduler runs. */
function claimplanVerdicts(state: CloudState, built: Cloud, request: BuildRequest): Record<string, boolean[]> {
  const byName = aggregatesByName(built.aggregates);
  const hosted = state.hostedInstances();
  const hostsOf = (names: readonly string[] | undefined) =>
    names === undefined || names.length === 0 ? null : new Set(hosted.filter(({ instance }) => names.includes(instance)).map(({ host: name }) => state.nodeNamed(name)));
  const filterRequest = {
    flavor: built.flavors.find(({ name }) => name === request.flavor)!,
    image: request.image === undefined ? null : built.images!.find(({ name }) => name === request.image)!,
    availability_zone: request.availability_zone ?? null,
    project: request.project ?? null,
    sameHost: hostsOf(request.hints?.same_host),
    differentHost: hostsOf(request.hints?.different_host),
  };
  const verdicts: Record<string, boolean[]> = {};
  for (const name of built.settings.enabled_filters) {
    const [filter] = hostFiltersEnabled([name]);
    verdicts[name] = built.hosts.map((spec) => {
      const node = state.nodeNamed(spec.name);
      // ComputeFilter's rule is the service state (filters/compute.ts): here, whether the host is disabled.
      return filter === undefined ? !node.serviceDown : filter.refusal({ node, aggregates: hostAggregates(spec, byName) }, filterRequest, built.settings) === null;
    });
  }
  return verdicts;
}

export async function runFilterConformance(cases: number): Promise<FilterReport> {
  const report: FilterReport = { cases, builds: 0, refusedZones: 0, verdicts: 0, refusals: {}, placed: 0, noHost: 0, mismatches: [], seconds: { nova: 0, claimplan: 0 } };
  const queries: string[] = [];
  const expected: { label: string; verdicts: Record<string, boolean[]>; host: string | null }[] = [];
  const started = performance.now();
  for (let id = 0; id < cases; id++) {
    const { cloud: built, requests } = filterCase(id);
    const state = CloudState.start(built);
    requests.forEach((request, at) => {
      if (request.op === 'build') {
        const query = queryFor(state, built, request);
        const verdicts = claimplanVerdicts(state, built, request);
        const decision = state.decide(request, at + 1, { audit: false, explain: false });
        if (decision.reasons[0] === 'The requested availability zone is not available') {
          report.refusedZones++;
          return;
        }
        report.builds++;
        queries.push(JSON.stringify(query));
        expected.push({ label: `case ${id}, ${request.instance}`, verdicts, host: decision.result === 'claimed' ? decision.host : null });
      } else state.decide(request, at + 1, { audit: false, explain: false });
    });
  }
  report.seconds.claimplan = (performance.now() - started) / 1000;
  const novaStarted = performance.now();
  const answers = await runHarness<{ verdicts: Record<string, boolean[]>; chosen: string | null }>(HARNESS, queries);
  report.seconds.nova = (performance.now() - novaStarted) / 1000;
  answers.forEach((answer, at) => {
    const mine = expected[at];
    for (const [name, hosts] of Object.entries(answer.verdicts)) {
      report.verdicts += hosts.length;
      report.refusals[name] = (report.refusals[name] ?? 0) + hosts.filter((passes) => !passes).length;
      const ours = mine.verdicts[name];
      if (JSON.stringify(ours) !== JSON.stringify(hosts)) report.mismatches.push(`${mine.label}: ${name} Nova ${JSON.stringify(hosts)}, claimplan ${JSON.stringify(ours)}`);
    }
    if (answer.chosen === null) report.noHost++;
    else report.placed++;
    if (answer.chosen !== mine.host) report.mismatches.push(`${mine.label}: Nova chose ${answer.chosen}, claimplan ${mine.host}`);
  });
  return report;
}
