// Cloud settings: reading them from a plan, and the `--set KEY=VALUE` overrides the CLI
// applies on top (cloud ← --set ← host, docs/plan-format.md, "Command-line overrides").
import { WEIGHER_NAMES, type CloudSettings, type SettingName, type SettingValues, type WeigherName } from '../engine/core/model.ts';
import { didYouMean, didYouMeanWords } from './did-you-mean.ts';
import { KNOWN_FILTERS, UNMODELLED_FILTERS } from '../engine/scheduler/filters/index.ts';
import type { PlanError } from './errors.ts';
import type { Fields } from './fields.ts';
import type { PathSegment } from './path.ts';
import { SETTING_SCHEMAS } from './json-schema.ts';
import { isValid, schemaErrors } from './schema-check.ts';
import type { Position, Source } from './source.ts';
import { failure, success, type Result } from '../engine/core/result.ts';

const SETTING_NAMES = Object.keys(SETTING_SCHEMAS) as SettingName[];

function isSettingName(key: string): key is SettingName {
  return (SETTING_NAMES as string[]).includes(key);
}

/**
 * The settings among `fields` whose values are valid; the schema and weigherNameProblem
 * report the others. `weigher:` is the shorthand for ram_weight_multiplier, which wins when
 * both are given.
 */
export function settingsIn(fields: Fields): Partial<CloudSettings> {
  const settings: Partial<CloudSettings> = {};
  for (const key of SETTING_NAMES) {
    if (key in fields && isValid('cloud', { [key]: fields[key] })) applySettingOverride(settings, { key, value: fields[key] } as SettingOverride);
  }
  if (typeof fields.ram_weight_multiplier === 'number') settings.ram_weight_multiplier = fields.ram_weight_multiplier;
  return settings;
}

/** nova.conf's dotted paths of Zed's weighers, by class name (nova/scheduler/weights/*.py). */
const WEIGHER_MODULES: Record<WeigherName, string> = {
  RAMWeigher: 'ram',
  CPUWeigher: 'cpu',
  DiskWeigher: 'disk',
  MetricsWeigher: 'metrics',
  IoOpsWeigher: 'io_ops',
  PCIWeigher: 'pci',
  ServerGroupSoftAffinityWeigher: 'affinity',
  ServerGroupSoftAntiAffinityWeigher: 'affinity',
  BuildFailureWeigher: 'compute',
  CrossCellWeigher: 'cross_cell',
};
const ALL_WEIGHERS = 'nova.scheduler.weights.all_weighers';

/** The weighers a weight_classes entry loads: a class by its short name or dotted path, or all_weighers; null when it names none of Zed's. */
function weighersOf(entry: string): WeigherName[] | null {
  if (entry === ALL_WEIGHERS) return [...WEIGHER_NAMES];
  const short = entry.slice(entry.lastIndexOf('.') + 1) as WeigherName;
  if (!WEIGHER_NAMES.includes(short)) return null;
  return entry === short || entry === `nova.scheduler.weights.${WEIGHER_MODULES[short]}.${short}` ? [short] : null;
}

/** Why a weight_classes entry names no weigher of Zed's, with the closest name; null when it does. */
export function weigherNameProblem(entry: string): string | null {
  if (weighersOf(entry) !== null) return null;
  const known = [...WEIGHER_NAMES, ...WEIGHER_NAMES.map((name) => `nova.scheduler.weights.${WEIGHER_MODULES[name]}.${name}`), ALL_WEIGHERS];
  return `unknown weigher \`${entry}\`${didYouMean(entry, known)}; claimplan models Zed's in-tree weighers only`;
}

/** The weighers weight_classes loads, in its order, as Nova's loader expands all_weighers. */
function weigherNames(entries: readonly string[]): WeigherName[] {
  return entries.flatMap((entry) => weighersOf(entry) ?? []);
}

/**
 * A filter no Nova release from Pike to Zed has in tree is an error: an out-of-tree filter
 * claimplan cannot apply, or a typo (`CoreFliter` would silently leave vcpus unlimited).
 */
export function filterNameProblem(name: string): string | null {
  if (KNOWN_FILTERS.includes(name)) return null;
  return `unknown filter \`${name}\`, in no Nova release from Pike to Zed${didYouMean(name, KNOWN_FILTERS)}`;
}

/** A filter Nova has but claimplan cannot model: the plan replays without it. */
export function filterNameWarning(name: string): string | null {
  return UNMODELLED_FILTERS.includes(name) ? `\`${name}\` reads what a plan cannot describe; claimplan ignores it (every host passes)` : null;
}

export interface SettingOverride<K extends SettingName = SettingName> {
  key: K;
  value: SettingValues[K];
}

export type SettingOverrideResult = Result<SettingOverride, PlanError>;

/** Where `--set` problems point: line is the override's ordinal, column the key or value. */
class OverrideSource implements Source {
  readonly file = '--set';

  constructor(
    private readonly ordinal: number,
    private readonly valueColumn: number,
  ) {}

  locate(path: readonly PathSegment[], part: 'key' | 'value'): Position {
    const onValue = part === 'value' && path.length > 0;
    return { line: this.ordinal, column: onValue ? this.valueColumn : 1 };
  }
}

const NUMBER_TEXT = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

/**
 * Reads VALUE the way the schema types KEY: numbers, `null` for a ratio, `true`/`false`,
 * a comma-separated list for enabled_filters, text for the rest. What does not parse is
 * kept as text, so the schema's own message explains what was expected.
 */
function typedValue(key: SettingName, text: string): unknown {
  const trimmed = text.trim();
  if (key === 'enabled_filters' || key === 'weight_classes' || key === 'isolated_images' || key === 'isolated_hosts') return trimmed.split(',').map((name) => name.trim()).filter((name) => name !== '');
  if ((trimmed === 'true' || trimmed === 'false') && 'type' in SETTING_SCHEMAS[key] && SETTING_SCHEMAS[key].type === 'boolean') {
    return trimmed === 'true';
  }
  if (trimmed === 'null' && (key.endsWith('_ratio') || key === 'default_schedule_zone' || key === 'aggregate_image_properties_isolation_namespace')) return null;
  if (NUMBER_TEXT.test(trimmed) && key !== 'weigher') return Number(trimmed);
  return trimmed;
}

/**
 * Parses one `KEY=VALUE` override. `ordinal` (1-based) says which `--set` it was, and
 * becomes the error's line, so `--set:2:22` points at the second override's value.
 */
export function parseSettingOverride(text: string, ordinal = 1): SettingOverrideResult {
  const equals = text.indexOf('=');
  if (equals < 0) {
    return failure({ file: '--set', line: ordinal, column: 1, path: text, message: 'must be KEY=VALUE' });
  }
  return parseSettingValue(text.slice(0, equals).trim(), text.slice(equals + 1), ordinal, equals + 2);
}

/** Parses VALUE for KEY (the sweep's range endpoints go through here too). */
export function parseSettingValue(key: string, text: string, ordinal = 1, valueColumn = 1): SettingOverrideResult {
  if (!isSettingName(key)) {
    const message = `unknown setting \`${key}\`${didYouMeanWords(key, SETTING_NAMES)}`;
    return failure({ file: '--set', line: ordinal, column: 1, path: key, message });
  }
  const value = typedValue(key, text);
  const source = new OverrideSource(ordinal, valueColumn);
  const [error] = schemaErrors('cloud', { [key]: value }, source);
  if (error) return failure(error);
  if (key === 'enabled_filters' || key === 'weight_classes') {
    const check = key === 'enabled_filters' ? filterNameProblem : weigherNameProblem;
    const problem = (value as string[]).map(check).find((found) => found !== null);
    if (problem) return failure({ file: '--set', line: ordinal, column: valueColumn, path: key, message: problem });
  }
  return success({ key, value } as SettingOverride);
}

/** Every `--set` text read, numbered from 1 as their errors' lines; the problems listed, not thrown. */
export function parseSettingOverrides(texts: readonly string[]): { overrides: SettingOverride[]; errors: PlanError[] } {
  const overrides: SettingOverride[] = [];
  const errors: PlanError[] = [];
  texts.forEach((text, index) => {
    const parsed = parseSettingOverride(text, index + 1);
    if (parsed.ok) overrides.push(parsed.value);
    else errors.push(parsed.error);
  });
  return { overrides, errors };
}

/** Sets one setting: `weigher` as the ram_weight_multiplier it stands for, weight_classes as the weighers it loads. */
export function applySettingOverride(settings: Partial<CloudSettings>, { key, value }: SettingOverride): void {
  if (key === 'weigher') settings.ram_weight_multiplier = value === 'pack' ? -1.0 : 1.0;
  else if (key === 'weight_classes') settings.weight_classes = weigherNames(value as string[]);
  else (settings as Record<string, unknown>)[key] = Array.isArray(value) ? [...value] : value;
}
