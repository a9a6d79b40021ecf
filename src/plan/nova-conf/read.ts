// nova.conf files in, the modelled options' values out, as oslo.config gives them to Nova
// 26 (docs/semantics.md#nova-conf): the files in the order given, a later file winning
// (cfg.py `_Namespace._get_file_value` looks at the newest first); within a file the
// option's own name before its deprecated ones, and the last of repeated keys; a
// MultiStrOpt keeps every value, oldest file first. `$name` and `${group.name}` are
// substituted before the type converts the text, as `ConfigOpts._substitute` does.
// Pure: the loader reads the files.
import { formatFloatRepr } from '../../engine/core/python-format.ts';
import type { PlanError } from '../errors.ts';
import { parseIni, pythonStrip, type IniAssignment } from './ini.ts';
import { findOption, NAMES_ZED_DOES_NOT_READ, NOVA_CONF_OPTIONS, optionLabel, SCHEDULING_GROUPS, type NovaConfOption, type OptionType, type OptionValue } from './options.ts';

export interface NovaConfText {
  /** the name problems carry */
  file: string;
  text: string;
}

/** Where a value was written. */
export interface ValueOrigin {
  file: string;
  line: number;
  column: number;
  /** `[DEFAULT] pci_alias`: the section and name as the file gives them */
  label: string;
}

export interface OptionReading {
  option: NovaConfOption;
  value: OptionValue;
  /** null when no file sets the option and Nova's default holds */
  origin: ValueOrigin | null;
  /** a MultiStrOpt's values one by one, each where it was written */
  items?: { value: string; origin: ValueOrigin }[];
  /** why the value written cannot be read (Nova would not start); Nova's default stands in */
  problem?: string;
}

export interface NovaConfReading {
  /** every modelled option, in NOVA_CONF_OPTIONS's order */
  options: OptionReading[];
  problems: PlanError[];
  /** a modelled option's name where Nova 26 does not read it: ignored, as Nova ignores it, and said */
  warnings: PlanError[];
}

interface Written {
  raw: string;
  origin: ValueOrigin;
}

/** The files' assignments, newest file first, each file's keyed by normalised group and key. */
type ParsedFiles = Map<string, IniAssignment[]>[];

function keyOf(group: string, name: string): string {
  return `${group}\u0000${name}`;
}

/** The names oslo.config looks an option up by: its own, then its deprecated ones. */
function namesOf(option: NovaConfOption): { group: string; name: string }[] {
  return [{ group: option.group, name: option.name }, ...option.deprecated];
}

function originOf(file: string, assignment: IniAssignment): ValueOrigin {
  return { file, line: assignment.line, column: assignment.column, label: `[${assignment.section}] ${assignment.key}` };
}

/** What a file sets for the option: the single value that wins, or every value of a multi-valued one. */
function written(option: NovaConfOption, parsed: ParsedFiles, files: readonly NovaConfText[]): Written[] {
  const found: Written[] = [];
  for (const [newest, sections] of parsed.entries()) {
    const file = files[files.length - 1 - newest].file;
    const inFile: Written[] = [];
    for (const { group, name } of namesOf(option)) {
      const assignments = sections.get(keyOf(group, name));
      if (!assignments) continue;
      if (option.type.kind !== 'multi-string') {
        const last = assignments[assignments.length - 1];
        return [{ raw: last.value, origin: originOf(file, last) }];
      }
      // `rvalue = val + rvalue`: a deprecated name's values go before the current name's.
      inFile.unshift(...assignments.map((assignment) => ({ raw: assignment.value, origin: originOf(file, assignment) })));
    }
    found.unshift(...inFile);
  }
  return found;
}

export function readNovaConf(files: readonly NovaConfText[]): NovaConfReading {
  const problems: PlanError[] = [];
  const warnings: PlanError[] = [];
  const parsed: ParsedFiles = [];
  for (const { file, text } of files) {
    const { assignments, problems: syntax } = parseIni(text);
    problems.push(...syntax.map((problem) => ({ file, line: problem.line, column: problem.column, path: '', message: problem.message })));
    const sections = new Map<string, IniAssignment[]>();
    for (const assignment of assignments) {
      const unread = unreadNameWarning(assignment);
      if (unread !== null) warnings.push({ file, line: assignment.line, column: 1, path: `[${assignment.section}] ${assignment.key}`, message: unread });
      const key = keyOf(assignment.group, assignment.key);
      const earlier = sections.get(key);
      if (earlier) earlier.push(assignment);
      else sections.set(key, [assignment]);
    }
    parsed.unshift(sections);
  }
  const reader = new OptionReader(files, parsed, problems);
  return { options: NOVA_CONF_OPTIONS.map((option) => reader.read(option)), problems, warnings };
}

/**
 * Why Nova 26 does not read this assignment, when it names one of the options claimplan
 * reads: an older release's name, or the option in another of Nova's scheduling groups
 * (`[DEFAULT] host_subset_size`). Nova ignores both without a word; an operator who
 * meant them should hear it. null for every other assignment.
 */
function unreadNameWarning({ group, key }: IniAssignment): string | null {
  if (!SCHEDULING_GROUPS.includes(group)) return null;
  const successor = Object.hasOwn(NAMES_ZED_DOES_NOT_READ, key) ? NAMES_ZED_DOES_NOT_READ[key] : undefined;
  if (successor) return `Nova 26 does not read this name; the option it reads is \`${optionLabel(successor)}\`: ignored`;
  const elsewhere = NOVA_CONF_OPTIONS.find((option) => option.name === key && option.group !== group && SCHEDULING_GROUPS.includes(option.group));
  if (elsewhere && !namesOf(elsewhere).some((name) => name.group === group && name.name === key)) {
    return `Nova 26 reads \`${key}\` only as \`${optionLabel(elsewhere)}\`: ignored here`;
  }
  return null;
}

class OptionReader {
  private readonly readings = new Map<NovaConfOption, OptionReading>();
  /** the options being read, to stop a `$name` that refers back to itself */
  private readonly reading = new Set<NovaConfOption>();

  constructor(
    private readonly files: readonly NovaConfText[],
    private readonly parsed: ParsedFiles,
    private readonly problems: PlanError[],
  ) {}

  read(option: NovaConfOption): OptionReading {
    const known = this.readings.get(option);
    if (known) return known;
    this.reading.add(option);
    const reading = this.convert(option, written(option, this.parsed, this.files));
    this.reading.delete(option);
    this.readings.set(option, reading);
    return reading;
  }

  private convert(option: NovaConfOption, found: Written[]): OptionReading {
    if (found.length === 0) return { option, value: option.default, origin: null };
    // Each value's problems are located at that value: a MultiStrOpt's come from many lines.
    const located: PlanError[] = [];
    const substituted = found.map(({ raw, origin }) => {
      const problems: string[] = [];
      const value = this.substitute(raw, option, problems);
      located.push(...problems.map((message) => problemAt(origin, message)));
      return { value, origin };
    });
    const origin = found[0].origin;
    let value: OptionValue = substituted.map((item) => item.value);
    if (option.type.kind !== 'multi-string' && located.length === 0) {
      const converted = convertText(substituted[0].value, option.type);
      if (converted.ok) value = converted.value;
      else located.push(problemAt(origin, converted.message));
    }
    this.problems.push(...located);
    if (located.length > 0) return { option, value: option.default, origin, problem: located[0].message };
    return option.type.kind === 'multi-string' ? { option, value, origin, items: substituted } : { option, value, origin };
  }

  /**
   * `ConfigOpts._substitute`: `\$` and `$$` are a dollar sign; `$name` and `${name}` the
   * value of the option `name` in the same group, else in `[DEFAULT]`; `$group.name` that
   * group's. The value goes in as Python's str() writes it. claimplan resolves only the
   * options it models: any other reference is a located problem, not a guess.
   */
  private substitute(raw: string, option: NovaConfOption, problems: string[]): string {
    const template = raw.replace(/\\\$/g, '$$$$');
    return template.replace(/\$(?:(\$)|([_a-z][._a-z0-9]*)|\{([_a-z][._a-z0-9]*)\})/gi, (match, dollar: string | undefined, bare: string | undefined, braced: string | undefined) => {
      if (dollar !== undefined) return '$';
      const reference = (bare ?? braced)!;
      // OptGroup('DEFAULT') is no registered group: oslo.config raises NoSuchGroupError.
      if (reference.startsWith('DEFAULT.')) {
        problems.push(`refers to \`${match}\`; oslo.config finds no group DEFAULT there: write \`$${reference.slice('DEFAULT.'.length)}\``);
        return '';
      }
      const target = referencedOption(reference, option.group);
      if (target === undefined) {
        problems.push(`refers to \`${match}\`, an option claimplan does not read; write its value here instead`);
        return '';
      }
      if (this.reading.has(target)) {
        problems.push(`refers to \`${match}\`, which refers back to it`);
        return '';
      }
      const referenced = this.read(target);
      // oslo.config fails on the reference as it fails on the option referred to.
      if (referenced.problem !== undefined) problems.push(`refers to \`${match}\`, which cannot be read`);
      return pythonStr(referenced.value, target.type);
    });
  }
}

/** A problem with the value written at `origin`, named as the file names its option. */
export function problemAt(origin: ValueOrigin, message: string): PlanError {
  return { file: origin.file, line: origin.line, column: origin.column, path: origin.label, message };
}

/** StrSubWrapper.__getitem__: `group.name`, or `name` in the reading option's group and then in `[DEFAULT]`. */
function referencedOption(reference: string, group: string): NovaConfOption | undefined {
  const dot = reference.indexOf('.');
  if (dot >= 0) return findOption(reference.slice(0, dot), reference.slice(dot + 1));
  return findOption(group, reference) ?? findOption('DEFAULT', reference);
}

/** Python's str() of an option's value, as string.Template puts it in; None is ''. */
function pythonStr(value: OptionValue, type: OptionType): string {
  if (value === null) return '';
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (typeof value === 'number') return type.kind === 'float' ? formatFloatRepr(value) : String(value);
  if (Array.isArray(value)) return `[${value.map(pythonStringRepr).join(', ')}]`;
  return value;
}

/** Python's repr() of a str: single quotes unless the text holds one and no double quote. */
function pythonStringRepr(text: string): string {
  const quote = text.includes("'") && !text.includes('"') ? '"' : "'";
  const escaped = text.replace(/[\\\n\r\t]/g, (character) => ({ '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t' })[character]!);
  return `${quote}${quote === "'" ? escaped.replace(/'/g, "\\'") : escaped}${quote}`;
}

type Converted = { ok: true; value: OptionValue } | { ok: false; message: string };

const DIGITS = '\\d(?:_?\\d)*';
const PYTHON_INT = new RegExp(`^[+-]?${DIGITS}$`);
const PYTHON_FLOAT = new RegExp(`^[+-]?(?:(?:${DIGITS}(?:\\.(?:${DIGITS})?)?|\\.${DIGITS})(?:e[+-]?${DIGITS})?|inf(?:inity)?|nan)$`, 'i');
const TRUE_WORDS = ['true', '1', 'on', 'yes'];
const FALSE_WORDS = ['false', '0', 'off', 'no'];

/** oslo_config.types: Integer and Float (blank is None), Boolean, String, List of strings. */
export function convertText(text: string, type: OptionType): Converted {
  switch (type.kind) {
    case 'integer':
    case 'float': {
      const stripped = pythonStrip(text);
      if (stripped === '') return { ok: true, value: null };
      const wanted = type.kind === 'integer' ? `an integer` : `a number`;
      const bound = type.min === null ? '' : ` >= ${type.min}`;
      const pattern = type.kind === 'integer' ? PYTHON_INT : PYTHON_FLOAT;
      if (!pattern.test(stripped)) return { ok: false, message: `must be ${wanted}${bound}` };
      const value = pythonNumber(stripped);
      // NaN is never below the minimum, in Python as here.
      if (type.min !== null && value < type.min) return { ok: false, message: `must be ${wanted}${bound}` };
      return { ok: true, value };
    }
    case 'boolean': {
      const word = text.toLowerCase();
      if (TRUE_WORDS.includes(word)) return { ok: true, value: true };
      if (FALSE_WORDS.includes(word)) return { ok: true, value: false };
      return { ok: false, message: 'must be true or false (or yes/no, on/off, 1/0)' };
    }
    case 'string':
    case 'multi-string':
      return { ok: true, value: text };
    case 'list':
      return { ok: true, value: listItems(text) };
  }
}

function pythonNumber(text: string): number {
  const plain = text.replace(/_/g, '').toLowerCase();
  if (/^[+-]?inf/.test(plain)) return plain.startsWith('-') ? -Infinity : Infinity;
  if (/^[+-]?nan$/.test(plain)) return NaN;
  return Number(plain);
}

/** types.List of String: trailing commas dropped, split on commas, each item stripped. */
function listItems(text: string): string[] {
  const stripped = pythonStrip(text).replace(/,+$/, '');
  return stripped === '' ? [] : stripped.split(',').map(pythonStrip);
}

