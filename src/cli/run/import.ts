// What `claimplan import` does once its options are read: read the exports (or the live
// cloud's APIs into a folder of them), then write the plan they make.
import { exportLiveCloud } from '../../openstack/live-export.ts';
import { importExports } from '../../plan/import/exports.ts';
import { importedPlanYaml } from '../../plan/import/plan-yaml.ts';
import { formatPlanError, formatPlanWarning } from '../../plan/load.ts';
import { CommandExit, EXIT_BAD_INPUT } from '../exit-codes.ts';
import { failUsage } from '../options.ts';
import { emit, exitOnUnwritableOutputs, noteInputFiles } from '../plan-io.ts';
import { readStdinSync } from '../stdin.ts';
import { writeStderr } from '../write.ts';

export interface ImportCommandOptions {
  hypervisors: string[];
  flavors: string[];
  placement: string[];
  servers: string[];
  aggregates: string[];
  osCloud?: string;
  osRegionName?: string;
  osInterface?: string;
  saveExports?: string;
  historyDays?: number;
  historyOutput?: string;
  output?: string;
}

/** Each flag takes any export: the content says which form it is (docs/import.md). */
const EXPORT_FLAGS = ['hypervisors', 'flavors', 'placement', 'servers', 'aggregates'] as const;

export async function runImport(exports: string[], options: ImportCommandOptions): Promise<void> {
  const paths = [...exports, ...EXPORT_FLAGS.flatMap((flag) => options[flag])];
  const cloud = options.osCloud ?? (process.env.OS_CLOUD || undefined);
  const live = options.osCloud !== undefined || (paths.length === 0 && Boolean(process.env.OS_CLOUD || process.env.OS_AUTH_URL));
  noteInputFiles(paths.filter((path) => path !== '-'));
  if ((options.historyDays === undefined) !== (options.historyOutput === undefined)) failUsage('import: --history-days N and --history-output FILE go together: how many days of usage to read, and where to write them');
  if (options.historyDays !== undefined && !live) failUsage('import: --history-days reads the usage audit of a live cloud; it needs --os-cloud');
  exitOnUnwritableOutputs(options.output, options.historyOutput);
  let liveExports: { folder: string; keep: boolean; discard: () => void; history: Record<string, unknown> | null } | null = null;
  if (live) {
    const exported = await exportLiveCloud({
      cloud,
      regionName: options.osRegionName,
      interface: options.osInterface,
      saveTo: options.saveExports,
      historyDays: options.historyDays,
      progress: (line) => writeStderr(`claimplan import: ${line}\n`),
    });
    if (!exported.ok) {
      writeStderr(`claimplan import: ${exported.error}\n`);
      throw new CommandExit(EXIT_BAD_INPUT);
    }
    liveExports = exported.value;
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
  noteInputFiles(result.value.files);
  const sources = !live ? result.value.files : [cloud !== undefined ? `the cloud \`${cloud}\`` : 'the cloud of the OS_* variables'];
  emit(options.output, (sink) => sink.write(importedPlanYaml(result.value.plan, sources)));
  const history = liveExports?.history;
  if (history) emit(options.historyOutput, (sink) => sink.write(`${JSON.stringify(history, null, 2)}\n`));
}
