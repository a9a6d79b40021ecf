// claimplan import [EXPORT…] | --os-cloud NAME : a plan from what the cloud reports, read
// from export files and folders (each recognised by its content) or from the cloud's APIs.
import { Command } from 'commander';
import { CommandExit, EXIT_BAD_INPUT } from './exit-codes.ts';
import { collect, failUsage, withExamples } from './options.ts';

interface ImportCommandOptions {
  hypervisors: string[];
  flavors: string[];
  placement: string[];
  servers: string[];
  aggregates: string[];
  osCloud?: string;
  osRegionName?: string;
  osInterface?: string;
  saveExports?: string;
  output?: string;
}

/** Each flag takes any export: the content says which form it is (docs/import.md). */
const EXPORT_FLAGS = ['hypervisors', 'flavors', 'placement', 'servers', 'aggregates'] as const;

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
    .option('-o, --output <file>', 'write the plan to FILE (whole or not at all)');
  withExamples(command, [
    ['claimplan import hypervisors.json flavors.json servers.json -o cloud.yaml', 'a plan from client exports, each recognised by its content'],
    ['claimplan import --hypervisors hv.json --flavors fl.json --placement placement/', 'figures from a folder of Placement exports, for compute API 2.88 and later'],
    ['claimplan import --os-cloud prod --save-exports prod-exports/ -o prod.yaml', 'a plan from the live cloud `prod` of clouds.yaml'],
  ]);
  return command.action(async (exports: string[], options: ImportCommandOptions) => {
    const [{ importedPlanYaml }, { importExports }, { formatPlanError, formatPlanWarning }, { emit }, { readStdinSync }, { writeStderr }] = await Promise.all([
      import('../plan/import/plan-yaml.ts'),
      import('../plan/import/exports.ts'),
      import('../plan/load.ts'),
      import('./plan-io.ts'),
      import('./stdin.ts'),
      import('./write.ts'),
    ]);
    const paths = [...exports, ...EXPORT_FLAGS.flatMap((flag) => options[flag])];
    const live = options.osCloud !== undefined || (paths.length === 0 && Boolean(process.env.OS_CLOUD || process.env.OS_AUTH_URL));
    let liveExports: { folder: string; keep: boolean; discard: () => void } | null = null;
    if (live) {
      const { exportLiveCloud, LiveImportError } = await import('../openstack/live-export.ts');
      try {
        liveExports = await exportLiveCloud({
          cloud: options.osCloud ?? (process.env.OS_CLOUD || undefined),
          regionName: options.osRegionName,
          interface: options.osInterface,
          saveTo: options.saveExports,
          progress: (line) => writeStderr(`claimplan import: ${line}\n`),
        });
      } catch (error) {
        if (!(error instanceof LiveImportError)) throw error;
        writeStderr(`claimplan import: ${error.message}\n`);
        throw new CommandExit(EXIT_BAD_INPUT);
      }
      paths.push(liveExports.folder);
    } else if (paths.length === 0) {
      failUsage('import: give export files or folders, or a cloud to read with --os-cloud NAME (see `claimplan import --help`)');
    } else if (options.saveExports !== undefined) {
      failUsage('import: --save-exports keeps what a live import reads; it needs --os-cloud');
    }
    const result = importExports(paths, readStdinSync);
    const located = (problem: { file: string }) => problem.file !== '';
    writeStderr(result.warnings.map((warning) => (located(warning) ? `${formatPlanWarning(warning)}\n` : `claimplan import: warning: ${warning.message}\n`)).join(''));
    if (liveExports && !liveExports.keep) {
      // The places warnings and errors name are in the bodies read; keep them when there are any.
      if (result.warnings.length > 0 || !result.ok) writeStderr(`claimplan import: the API bodies read are kept in ${liveExports.folder}\n`);
      else liveExports.discard();
    }
    if (!result.ok) {
      writeStderr(result.error.map((error) => `${formatPlanError(error)}\n`).join(''));
      writeStderr(`claimplan import: ${result.error.length} problem${result.error.length === 1 ? '' : 's'} found; no plan was written\n`);
      throw new CommandExit(EXIT_BAD_INPUT);
    }
    const cloud = options.osCloud ?? (process.env.OS_CLOUD || undefined);
    const sources = !live ? result.value.files : [cloud !== undefined ? `the cloud \`${cloud}\`` : 'the cloud of the OS_* variables'];
    emit(options.output, (sink) => sink.write(importedPlanYaml(result.value.plan, sources)));
  });
}
