// IsolatedHostsFilter (nova/scheduler/filters/isolated_hosts_filter.py): isolated_images
// build only on isolated_hosts; with restrict_isolated_hosts_to_isolated_images those hosts
// take nothing else. Nova compares image ids; a plan names its images, so claimplan compares
// names (docs/semantics.md, "Filters").
import type { HostFilter } from './host-filter.ts';

export const ISOLATED_HOSTS_FILTER: HostFilter = {
  name: 'IsolatedHostsFilter',
  readsUsage: false,
  refusal({ node }, { image }, settings) {
    const { isolated_hosts, isolated_images, restrict_isolated_hosts_to_isolated_images: restrict } = settings;
    const hostIsolated = isolated_hosts.includes(node.name);
    // Without isolated images, Nova only keeps other images off isolated hosts.
    const imageIsolated = isolated_images.length > 0 && image !== null && isolated_images.includes(image.name);
    const passes = isolated_images.length === 0 ? !restrict || !hostIsolated : restrict ? imageIsolated === hostIsolated : !imageIsolated || hostIsolated;
    if (passes) return null;
    return hostIsolated ? 'the host is isolated to isolated_images (IsolatedHostsFilter)' : 'the image is isolated to isolated_hosts (IsolatedHostsFilter)';
  },
};
