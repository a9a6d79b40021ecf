// claimplan import --hypervisors F --flavors F [--placement F] : a plan from OpenStack CLI exports.
import { readStdinSync } from './stdin.ts';
import { Command } from 'commander';
import { stringify } from 'yaml';
import { formatPlanError } from '../plan/errors.ts';
import { importOpenStack } from '../plan/import/openstack.ts';
import { emit } from './common.ts';
import { CommandExit, EXIT_BAD_INPUT } from './exit-codes.ts';
import { writeStderr } from './output.ts';

interface ImportCommandOptions {
  hypervisors: string;
  flavors: string;
  placement?: string;
  output?: string;
}

export function importCommand(): Command {
  return new Command('import')
    .description('build a plan from OpenStack CLI JSON exports (hypervisors, flavors, optionally Placement)')
    .requiredOption('--hypervisors <file>', '`openstack hypervisor show -f json` objects (a list), or `hypervisor list --long -f json` with --placement')
    .requiredOption('--flavors <file>', '`openstack flavor list --long -f json`')
    .option('--placement <file>', 'resource providers, their inventories and usages (see README)')
    .option('-o, --output <file>', 'write the plan to FILE (whole or not at all)')
    .action((options: ImportCommandOptions) => {
      const result = importOpenStack(options, readStdinSync);
      if (!result.ok) {
        writeStderr(result.errors.map((error) => `${formatPlanError(error)}\n`).join(''));
        throw new CommandExit(EXIT_BAD_INPUT);
      }
      const header =
        `# Imported by claimplan from ${[options.hypervisors, options.flavors, options.placement].filter(Boolean).join(', ')}.\n` +
        '# Add requests (builds and deletes) under `requests:` to replay them.\n';
      emit(options.output, (sink) => sink.write(header + stringify(result.plan, { lineWidth: 0 })));
    });
}
