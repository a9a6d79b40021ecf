// Small constructors for engine tests: a host or flavor with only the figures a test cares about.
import { DEFAULT_CLOUD_SETTINGS, type BuildRequest, type Cloud, type CloudSettings, type Flavor, type HostSpec } from '../../src/engine/core/model.ts';

export function host(name: string, figures: Partial<HostSpec> = {}): HostSpec {
  return {
    name,
    vcpus: 16,
    memory_mb: 32768,
    local_gb: 500,
    aggregates: [],
    settings: {},
    overhead: { memory_mb: 0, disk_gb: 0 },
    limits: null,
    numa: null,
    pci: [],
    instances: [],
    used: { memory_mb: 0, local_gb: 0, vcpus: 0, running_vms: 0 },
    ...figures,
  };
}

export function flavor(name: string, figures: Partial<Flavor> = {}): Flavor {
  return { name, vcpus: 2, memory_mb: 4096, root_gb: 40, ephemeral_gb: 0, swap: 0, extra_specs: {}, ...figures };
}

export function cloud(hosts: HostSpec[], flavors: Flavor[], settings: Partial<CloudSettings> = {}): Cloud {
  return { settings: { ...DEFAULT_CLOUD_SETTINGS, ...settings }, hosts, flavors, pci_aliases: [] };
}

/**
 * Weighing by free RAM alone, spreading or packing, as claimplan did before Zed's weigher
 * stack: the RAM weigher, and for a build in a soft server group that group's weigher.
 */
export function ramOnly(weigher: 'spread' | 'pack' = 'spread'): Partial<CloudSettings> {
  return {
    weight_classes: ['RAMWeigher', 'ServerGroupSoftAffinityWeigher', 'ServerGroupSoftAntiAffinityWeigher'],
    ram_weight_multiplier: weigher === 'pack' ? -1.0 : 1.0,
  };
}

/** A build the scheduler places (no host, no aggregate), unless `extra` says otherwise. */
export function build(instance: string, flavorName: string, extra: Partial<BuildRequest> = {}): BuildRequest {
  return { op: 'build', instance, flavor: flavorName, host: null, aggregate: null, expect: null, ...extra };
}
