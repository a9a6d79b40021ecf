// What nova.conf says, as a plan document: a `cloud:` mapping of the options the files set
// and the `[pci] alias` entries as `pci_aliases:`, located back in nova.conf. The loader
// then checks and merges it as it does a plan that comes before all others, so nova.conf
// has the lowest precedence: the plans' `cloud:` and `--set` override it
// (docs/semantics.md#nova-conf).
import type { PathSegment } from '../path.ts';
import type { PlanError } from '../errors.ts';
import type { PlanDocument, Position, Source } from '../source.ts';
import { problemAt, type NovaConfReading, type OptionReading, type ValueOrigin } from './read.ts';

/** The options that arrive as a plan document, by name; the cloud key each becomes is in NOVA_CONF_OPTIONS. */
function readingOf(reading: NovaConfReading, group: string, name: string): OptionReading {
  const found = reading.options.find(({ option }) => option.group === group && option.name === name);
  // NOVA_CONF_OPTIONS declares every option asked for here.
  if (!found) throw new Error(`nova.conf option [${group}] ${name} is not declared`);
  return found;
}

/** Where each cloud key and each alias came from in nova.conf. */
class NovaConfSource implements Source {
  constructor(
    readonly file: string,
    private readonly settingOrigins: ReadonlyMap<string, ValueOrigin>,
    private readonly aliasOrigins: readonly ValueOrigin[],
  ) {}

  private originOf(path: readonly PathSegment[]): ValueOrigin | undefined {
    const [part, key] = path;
    if (part === 'cloud') return this.settingOrigins.get(String(key));
    if (part === 'pci_aliases') return this.aliasOrigins[Number(key)];
    return undefined;
  }

  locate(path: readonly PathSegment[]): Position {
    const origin = this.originOf(path);
    return origin ? { line: origin.line, column: origin.column } : { line: 0, column: 0 };
  }

  /** `[filter_scheduler] host_subset_size`, `[pci] alias vendor_id`: the option as the file names it. */
  describe(path: readonly PathSegment[]): string {
    const origin = this.originOf(path);
    const label = origin?.label ?? '';
    return path[0] === 'pci_aliases' && path.length > 2 ? `${label} ${path.slice(2).join('.')}` : label;
  }
}

/**
 * The documents nova.conf stands for: one per file, holding the values that file gave,
 * so each error names its own file; plus the problems found turning values into plan keys.
 */
export function novaConfDocuments(reading: NovaConfReading, files: readonly string[]): { documents: PlanDocument[]; problems: PlanError[] } {
  const problems: PlanError[] = [];
  const byFile = new Map(files.map((file) => [file, { cloud: {} as Record<string, unknown>, origins: new Map<string, ValueOrigin>(), aliases: [] as unknown[], aliasOrigins: [] as ValueOrigin[] }]));
  const documentFor = (file: string) => {
    const entry = byFile.get(file);
    // Every origin is in one of the files read.
    if (!entry) throw new Error(`nova.conf value from an unread file ${file}`);
    return entry;
  };
  const set = (key: string, value: unknown, origin: ValueOrigin): void => {
    const entry = documentFor(origin.file);
    entry.cloud[key] = value;
    entry.origins.set(key, origin);
  };

  for (const { option, value, origin } of reading.options) {
    if (origin === null || option.cloudKey === null) continue;
    // Nova's HostManager runs a filter named twice twice, to the same verdict: once is the same.
    set(option.cloudKey, option.cloudKey === 'enabled_filters' && Array.isArray(value) ? [...new Set(value)] : value, origin);
  }
  for (const resource of ['cpu', 'ram', 'disk'] as const) {
    const ratio = readingOf(reading, 'DEFAULT', `${resource}_allocation_ratio`);
    const initial = readingOf(reading, 'DEFAULT', `initial_${resource}_allocation_ratio`);
    // nova/objects/compute_node.py _from_db_object and the resource tracker's
    // _copy_resources: a ratio that is unset (None) or 0.0 gives way to initial_*; NaN
    // is true to Python, so it stands.
    const chosen = ratio.value !== null && ratio.value !== 0 ? ratio : initial;
    const origin = chosen.origin ?? ratio.origin;
    if (origin !== null) set(`${resource}_allocation_ratio`, chosen.value, origin);
  }
  const window = readingOf(reading, 'DEFAULT', 'resize_confirm_window');
  if (window.origin !== null) {
    // nova/compute/manager.py _poll_unconfirmed_resizes confirms only with a positive window.
    if (typeof window.value === 'number') set('auto_confirm_moves', window.value > 0, window.origin);
    else problems.push(problemAt(window.origin, 'must be an integer >= 0'));
  }
  for (const item of readingOf(reading, 'pci', 'alias').items ?? []) {
    const alias = aliasObject(item.value);
    if (typeof alias === 'string') {
      problems.push(problemAt(item.origin, alias));
      continue;
    }
    const entry = documentFor(item.origin.file);
    entry.aliases.push(alias);
    entry.aliasOrigins.push(item.origin);
  }

  const documents = [...byFile.entries()].map(([file, entry]): PlanDocument => ({
    source: new NovaConfSource(file, entry.origins, entry.aliasOrigins),
    value: { version: 1, cloud: entry.cloud, ...(entry.aliases.length > 0 ? { pci_aliases: entry.aliases } : {}) },
    // A nova.conf names no trace: the directory is never used.
    directory: '.',
  }));
  return { documents, problems };
}

/**
 * One `[pci] alias` value as a plan's PCI alias, or why it is not one. Nova reads the JSON
 * in nova/pci/request.py `_get_alias_from_config`: the name stripped, an empty
 * `numa_policy` or `device_type` as none given; `capability_type` is checked but matches
 * nothing, so it is dropped here.
 */
function aliasObject(text: string): Record<string, unknown> | string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    return `is not valid JSON: ${(error as Error).message}`;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return 'must be a JSON object such as {"name": "a100", "vendor_id": "10de", "product_id": "20b5"}';
  const { capability_type: _ignored, ...alias } = parsed as Record<string, unknown>;
  if (typeof alias.name === 'string') alias.name = alias.name.trim();
  for (const key of ['numa_policy', 'device_type']) if (alias[key] === '' || alias[key] === null) delete alias[key];
  return alias;
}
