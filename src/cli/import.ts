// claimplan import [EXPORT…] | --os-cloud NAME : a plan from what the cloud reports, read
// from export files and folders (each recognised by its content) or from the cloud's APIs.
import { Command } from 'commander';
import { collect, wholeNumberAtLeastOne } from './arguments.ts';
import { withExamples } from './options.ts';
import { runImport, type ImportCommandOptions } from './run/import.ts';

export function importCommand(): Command {
  const command = new Command('import')
    .description('build a plan from OpenStack exports (client or API JSON/YAML, files or folders) or from a live cloud (--os-cloud)')
    .argument('[exports...]', 'export files or folders; each is recognised by its content')
    .option('--hypervisors <file>', '`openstack hypervisor show -f json`, `hypervisor list --long`, or the os-hypervisors API (repeatable)', collect, [])
    .option('--flavors <file>', '`openstack flavor list --long -f json`, `flavor show`, or the flavors API (repeatable)', collect, [])
    .option('--placement <path>', 'resource providers with their inventories, usages, traits and aggregates: files or a folder (repeatable)', collect, [])
    .option('--servers <file>', '`openstack server list --all-projects --long -f json` or GET /servers/detail, for the instances on each host (repeatable)', collect, [])
    .option('--aggregates <file>', '`openstack aggregate list --long -f json`, `aggregate show`, or GET /os-aggregates (repeatable)', collect, [])
    .option('--os-cloud <name>', 'read the cloud NAME of clouds.yaml through its APIs (default: $OS_CLOUD, or the OS_* variables)')
    .option('--os-region-name <region>', 'the region whose endpoints to use (default: the cloud\'s region_name, $OS_REGION_NAME)')
    .option('--os-interface <interface>', 'public, internal or admin endpoints (default: the cloud\'s interface, or public)')
    .option('--save-exports <dir>', 'with a live cloud: keep the API bodies read in DIR, a folder `claimplan import DIR` reads again')
    .option('--history-days <n>', 'with a live cloud: also read the usage audit (os-simple-tenant-usage) of the last N days, a history for `claimplan forecast`', wholeNumberAtLeastOne)
    .option('--history-output <file>', 'where --history-days writes that history (whole or not at all)')
    .option('-o, --output <file>', 'write the plan to FILE (whole or not at all)');
  withExamples(command, [
    ['claimplan import hypervisors.json flavors.json servers.json -o cloud.yaml', 'a plan from client exports, each recognised by its content'],
    ['claimplan import --hypervisors hv.json --flavors fl.json --placement placement/', 'figures from a folder of Placement exports, for compute API 2.88 and later'],
    ['claimplan import --os-cloud prod --save-exports prod-exports/ -o prod.yaml', 'a plan from the live cloud `prod` of clouds.yaml'],
    ['claimplan import --os-cloud prod -o prod.yaml --history-days 365 --history-output prod-history.json', 'and a year of its usage, for `claimplan forecast prod.yaml --history prod-history.json`'],
  ]);
  return command.action((exports: string[], options: ImportCommandOptions) => runImport(exports, options));
}
