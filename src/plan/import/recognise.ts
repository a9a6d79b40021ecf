// The dispatcher: each export file is recognised by its content, whatever flag named it,
// and read by the reader of its form. Folders are read whole (Placement's per-provider
// listings live one provider to a folder); an ASCII table, the clients' default output,
// is recognised too, and refused with the `-f json` command that exports it.
import { closeSync, openSync, readdirSync, readSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';
import { isFields } from '../fields.ts';
import { EXPORT_COMMANDS } from './commands.ts';
import { describeReadFailure, readPlanDocument } from '../source.ts';
import { novaAggregateList, novaAggregateShow, oscAggregateList, oscAggregateShow } from './nova-aggregates.ts';
import { novaFlavorDetail, novaFlavorExtraSpecs, novaFlavorList, novaFlavorShow } from './nova-flavors.ts';
import { novaHypervisorDetail, novaHypervisorShow, novaHypervisorStatistics } from './nova-hypervisors.ts';
import { novaServerDetail, novaServerList, novaServerShow } from './nova-servers.ts';
import { novaServiceList, oscServiceList } from './nova-services.ts';
import { novaTenantUsage } from './nova-tenant-usage.ts';
import { oscFlavorList, oscFlavorShow } from './osc-flavors.ts';
import { oscHypervisorList, oscHypervisorShow, oscHypervisorStats } from './osc-hypervisors.ts';
import { oscServerList } from './osc-servers.ts';
import { emptyPartialPlan, mergePartialPlans, type Diagnostics, type ExportForm, type PartialPlan } from './partial-plan.ts';
import {
  oscAggregateUuidList,
  oscInventoryList,
  oscProviderList,
  oscTraitList,
  oscUsageShow,
  placementAggregates,
  placementBundle,
  placementInventories,
  placementProvider,
  placementProviders,
  placementTraits,
  placementUsages,
} from './placement.ts';

/** In the order they are tried: a form whose test is looser comes after those it could mistake. */
const EXPORT_FORMS: readonly ExportForm[] = [
  novaHypervisorShow,
  novaHypervisorStatistics,
  novaHypervisorDetail,
  novaFlavorShow,
  novaFlavorDetail,
  novaFlavorList,
  novaFlavorExtraSpecs,
  novaServerShow,
  novaServerDetail,
  novaServerList,
  novaTenantUsage,
  novaAggregateShow,
  novaAggregateList,
  novaServiceList,
  placementBundle,
  placementProviders,
  placementInventories,
  placementUsages,
  placementTraits,
  placementAggregates,
  placementProvider,
  oscHypervisorShow,
  oscHypervisorList,
  oscHypervisorStats,
  oscFlavorList,
  oscFlavorShow,
  oscServerList,
  oscAggregateShow,
  oscAggregateList,
  oscServiceList,
  oscProviderList,
  oscInventoryList,
  oscUsageShow,
  oscTraitList,
  oscAggregateUuidList,
];

/** Files a folder contributes: exports are JSON or YAML, and tables may be saved as text. */
const EXPORT_EXTENSIONS = new Set(['.json', '.yaml', '.yml', '.txt']);

/** Every file the paths name, folders expanded in name order, so that a folder reads the same each time. */
function exportFiles(paths: string[], diagnostics: Diagnostics): string[] {
  const files: string[] = [];
  const visit = (path: string, named: boolean) => {
    let isFolder = false;
    try {
      isFolder = path !== '-' && statSync(path).isDirectory();
    } catch (error) {
      diagnostics.errors.push({ file: path, line: 0, column: 0, path: '', message: `cannot read: ${describeReadFailure(error)}` });
      return;
    }
    if (!isFolder) {
      if (named || EXPORT_EXTENSIONS.has(extname(path).toLowerCase())) files.push(path);
      return;
    }
    for (const entry of readdirSync(path).sort()) if (!entry.startsWith('.')) visit(join(path, entry), false);
  };
  for (const path of paths) visit(path, true);
  return files;
}

/** The first bytes of a file, enough to tell a table from JSON or YAML. */
function headOf(path: string): string {
  const buffer = Buffer.alloc(4096);
  const fd = openSync(path, 'r');
  try {
    return buffer.toString('utf8', 0, readSync(fd, buffer, 0, buffer.length, 0));
  } finally {
    closeSync(fd);
  }
}

/** The `-f json` command whose table this is, told by the table's column or field names. */
function commandOfTable(head: string): string {
  const cells = new Set(
    head
      .split('\n')
      .filter((line) => line.startsWith('|'))
      .flatMap((line) => line.split('|').map((cell) => cell.trim())),
  );
  const has = (...names: string[]) => names.every((name) => cells.has(name));
  if (has('count', 'vcpus')) return `${EXPORT_COMMANDS.hypervisorShow}, for each hypervisor (\`hypervisor stats show\` gives cloud-wide totals only)`;
  if (has('hypervisor_hostname')) return 'openstack hypervisor show HOST -f json';
  if (has('Hypervisor Hostname')) return 'openstack hypervisor list --long -f json';
  if (has('Name', 'RAM')) return EXPORT_COMMANDS.flavorList;
  if (has('ram', 'vcpus')) return 'openstack flavor show FLAVOR -f json';
  if (has('Status') && (has('Flavor') || has('Flavor Name'))) return EXPORT_COMMANDS.serverList;
  if (has('resource_class', 'total')) return 'openstack resource provider inventory list UUID -f json';
  if (has('resource_class', 'usage')) return 'openstack resource provider usage show UUID -f json';
  if (has('uuid', 'name', 'generation')) return EXPORT_COMMANDS.providerList;
  if (has('Availability Zone')) return 'openstack aggregate list --long -f json';
  if (has('Binary', 'Host')) return 'openstack compute service list -f json';
  return 'the same command with -f json';
}

const isTable = (head: string) => /^\s*\+-[-+]*\+\s*$/m.test(head.split('\n').find((line) => line.trim() !== '') ?? '');

/** Reads one export file with the reader of its form. */
function readExport(path: string, readStdin: () => string, diagnostics: Diagnostics): PartialPlan {
  const stdinText = path === '-' ? readStdin() : null;
  let head: string;
  try {
    head = stdinText ?? headOf(path);
  } catch (error) {
    diagnostics.errors.push({ file: path, line: 0, column: 0, path: '', message: `cannot read: ${describeReadFailure(error)}` });
    return emptyPartialPlan();
  }
  const file = path === '-' ? '<stdin>' : path;
  if (isTable(head)) {
    diagnostics.errors.push({
      file,
      line: 1,
      column: 1,
      path: '',
      message: `is an ASCII table (the client's default \`-f table\`), which cannot be read back reliably: export \`${commandOfTable(head)}\``,
    });
    return emptyPartialPlan();
  }
  const read = readPlanDocument(path, () => stdinText ?? '');
  if (!read.ok) {
    diagnostics.errors.push(...read.error);
    return emptyPartialPlan();
  }
  const document = { source: read.value.source, value: read.value.value, path };
  if (Array.isArray(document.value) && document.value.length === 0) return emptyPartialPlan();
  const form = EXPORT_FORMS.find((candidate) => candidate.recognise(document.value));
  if (form) return form.read(document, diagnostics);
  const keys = isFields(document.value) ? Object.keys(document.value) : Array.isArray(document.value) && isFields(document.value[0]) ? Object.keys(document.value[0]) : [];
  const shape = keys.length > 0 ? ` (its ${Array.isArray(document.value) ? 'rows have' : 'keys are'} ${keys.slice(0, 8).map((key) => `\`${key}\``).join(', ')})` : '';
  diagnostics.errors.push({ file, line: 1, column: 1, path: '', message: `is no export claimplan reads${shape}; docs/import.md lists the forms and the commands that print them` });
  return emptyPartialPlan();
}

export function readExports(paths: string[], readStdin: () => string, diagnostics: Diagnostics): { plan: PartialPlan; files: string[] } {
  const files = exportFiles(paths, diagnostics);
  return { plan: mergePartialPlans(files.map((file) => readExport(file, readStdin, diagnostics))), files };
}
