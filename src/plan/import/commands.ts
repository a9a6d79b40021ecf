// The exact commands that export what a plan needs, named by the messages that ask for
// them (docs/import.md lists the same commands).
export const EXPORT_COMMANDS = {
  hypervisorShow: 'openstack --os-compute-api-version 2.87 hypervisor show HOST -f json',
  hypervisorDetail: 'GET /os-hypervisors/detail with OpenStack-API-Version: compute 2.87',
  flavorList: 'openstack flavor list --all --long -f json',
  flavorDetail: 'GET /flavors/detail?is_public=None with OpenStack-API-Version: compute 2.61',
  serverList: 'openstack server list --all-projects --long -f json',
  serverDetail: 'GET /servers/detail?all_tenants=1 with OpenStack-API-Version: compute 2.47',
  aggregateShow: 'openstack aggregate show NAME -f json',
  providerList: 'openstack resource provider list -f json',
  inventoryList: 'openstack resource provider inventory list UUID -f json > UUID/inventories.json',
  usageShow: 'openstack resource provider usage show UUID -f json > UUID/usages.json',
} as const;

/** Where the figures come from when the compute API no longer gives them (2.88 on). */
export const FIGURES_ELSEWHERE =
  `export them with \`${EXPORT_COMMANDS.hypervisorShow}\`, or give Placement's: ` +
  `\`${EXPORT_COMMANDS.providerList}\` and, for each provider, \`${EXPORT_COMMANDS.inventoryList}\` and \`${EXPORT_COMMANDS.usageShow}\``;
