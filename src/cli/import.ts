// claimplan import --hypervisors F --flavors F [--placement F] : a plan from OpenStack CLI exports.
import { Command } from 'commander';
import { CommandExit, EXIT_BAD_INPUT } from './exit-codes.ts';
import { withExamples } from './options.ts';

interface ImportCommandOptions {
  hypervisors: string;
  flavors: string;
  placement?: string;
  output?: string;
}

export function importCommand(): Command {
  const command = new Command('import')
    .description('build a plan from OpenStack CLI JSON exports (hypervisors, flavors, optionally Placement)')
    .requiredOption('--hypervisors <file>', '`openstack hypervisor show -f json` objects (a list), or `hypervisor list --long -f json` with --placement')
    .requiredOption('--flavors <file>', '`openstack flavor list --long -f json`')
    .option('--placement <file>', 'resource providers, their inventories and usages (see README)')
    .option('-o, --output <file>', 'write the plan to FILE (whole or not at all)');
  withExamples(command, [
    ['claimplan import --hypervisors hypervisors.json --flavors flavors.json -o cloud.yaml', 'a plan from `openstack hypervisor show -f json` and `flavor list --long -f json`'],
    ['claimplan import --hypervisors list.json --flavors flavors.json --placement placement.json', 'figures from Placement, for compute API 2.88 and later'],
  ]);
  return command.action(async (options: ImportCommandOptions) => {
    const [{ importedPlanYaml }, { formatPlanError }, { importOpenStack }, { emit }, { readStdinSync }, { writeStderr }] = await Promise.all([
      import('../plan/import/plan-yaml.ts'),
      import('../plan/errors.ts'),
      import('../plan/import/openstack.ts'),
      import('./plan-io.ts'),
      import('./stdin.ts'),
      import('./write.ts'),
    ]);
    const result = importOpenStack(options, readStdinSync);
    if (!result.ok) {
      writeStderr(result.errors.map((error) => `${formatPlanError(error)}\n`).join(''));
      throw new CommandExit(EXIT_BAD_INPUT);
    }
    const sources = [options.hypervisors, options.flavors, options.placement].filter((file) => file !== undefined);
    emit(options.output, (sink) => sink.write(importedPlanYaml(result.plan, sources)));
  });
}
