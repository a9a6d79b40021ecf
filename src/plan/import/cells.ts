// Reading one cell of an export: the clients print numbers as numbers in `-f json` and
// sometimes as text (`-f yaml` of older clients, the API's `swap: ""`), and a row may
// lack a column its client version does not print. Each reader checks cells through
// these, so a value of the wrong kind is a located error, never a silent zero.
import { didYouMean } from '../did-you-mean.ts';
import { isFields, type Fields } from '../fields.ts';
import { originOf, type Diagnostics, type ExportDocument } from './partial-plan.ts';
import type { Origin } from '../source.ts';

/** A row of an export, with where it is, for the errors about its cells. */
export class Row {
  constructor(
    readonly fields: Fields,
    readonly origin: Origin,
    private readonly diagnostics: Diagnostics,
    /** the command or API call that prints this row, for messages */
    readonly form: string,
  ) {}

  has(key: string): boolean {
    return key in this.fields && this.fields[key] !== null && this.fields[key] !== undefined;
  }

  /** A whole number of at least 0; `""` and null read as absent. A missing required cell is an error. */
  count(key: string, required = true): number | null {
    const value = this.fields[key];
    if (value === undefined || value === null || value === '') {
      if (required) this.diagnostics.error(this.origin, [], `missing \`${key}\`, which \`${this.form}\` prints`);
      return null;
    }
    const number = typeof value === 'string' && /^\s*\d+\s*$/.test(value) ? Number(value) : value;
    if (typeof number === 'number' && Number.isSafeInteger(number) && number >= 0) return number;
    this.diagnostics.error(this.origin, [key], 'must be a non-negative integer');
    return null;
  }

  /** A non-negative number (allocation ratios are floats). */
  ratio(key: string): number | null {
    const value = this.fields[key];
    const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
    if (typeof number === 'number' && Number.isFinite(number) && number >= 0) return number;
    this.diagnostics.error(this.origin, [key], 'must be a non-negative number');
    return null;
  }

  /** A non-empty text (ids may be numbers before compute API 2.53). */
  text(key: string, required = true): string | null {
    const value = this.fields[key];
    if (typeof value === 'string' && value !== '') return value;
    if (typeof value === 'number') return String(value);
    if (required) {
      if (value === undefined || value === null || value === '') this.diagnostics.error(this.origin, [], `missing \`${key}\`, which \`${this.form}\` prints`);
      else this.diagnostics.error(this.origin, [key], 'must be a non-empty string');
    }
    return null;
  }

  /** Columns no version of the client prints are warned about (a typo, or a newer client), then ignored. */
  warnUnknownColumns(known: readonly string[]): void {
    for (const key of Object.keys(this.fields)) {
      if (known.includes(key)) continue;
      this.diagnostics.warn(this.origin, [key], `\`${this.form}\` prints no column \`${key}\`; ignored${didYouMean(key, known)}`, 'key');
    }
  }
}

/** Each element of a list as a row; an element that is not an object is a located error. */
export function rowsOf(list: unknown[], origin: Origin, diagnostics: Diagnostics, form: string): Row[] {
  const rows: Row[] = [];
  list.forEach((element, index) => {
    const here = { source: origin.source, path: [...origin.path, index] };
    if (isFields(element)) rows.push(new Row(element, here, diagnostics, form));
    else diagnostics.error(here, [], `must be an object, as \`${form}\` prints each row`);
  });
  return rows;
}

/** The rows of the list an API body holds under `key`, as `{"flavors": […]}` does. */
export function rowsUnder(document: ExportDocument, key: string, diagnostics: Diagnostics, form: string): Row[] {
  return rowsOf((document.value as Fields)[key] as unknown[], originOf(document, [key]), diagnostics, form);
}

/** The one row an API body holds under `key`, as `{"flavor": {…}}` does. */
export function rowUnder(document: ExportDocument, key: string, diagnostics: Diagnostics, form: string): Row {
  return new Row((document.value as Fields)[key] as Fields, originOf(document, [key]), diagnostics, form);
}

/** The test of a `show` form: one object, or several gathered into a list with `jq -s`. */
export function oneOrMany(isOne: (value: unknown) => boolean): (value: unknown) => boolean {
  return (value) => isOne(value) || (Array.isArray(value) && value.length > 0 && value.every((item) => isOne(item)));
}

/** `show` output: one object, or several gathered into a list with `jq -s`. */
export function showRows(document: ExportDocument, diagnostics: Diagnostics, form: string): Row[] {
  const origin = originOf(document);
  return Array.isArray(document.value) ? rowsOf(document.value, origin, diagnostics, form) : [new Row(document.value as Fields, origin, diagnostics, form)];
}

/**
 * Extra specs as the clients print them: an object (the API, current clients), or older
 * clients' `key='value', key2='value2'` text. Values are Nova's strings.
 */
export function extraSpecsOf(value: unknown, row: Row, key: string, diagnostics: Diagnostics): Record<string, string> | null {
  if (value === undefined || value === null || value === '') return {};
  if (isFields(value)) return Object.fromEntries(Object.entries(value).map(([spec, setting]) => [spec, String(setting)]));
  if (typeof value === 'string') {
    const specs: Record<string, string> = {};
    for (const match of value.matchAll(/([^=,\s]+)='((?:[^'\\]|\\.)*)'/g)) specs[match[1]] = match[2];
    return specs;
  }
  diagnostics.error(row.origin, [key], 'must be an object or `key=\'value\', …` text');
  return null;
}

/** Whether every element of a list is an object holding all of `keys`. */
export function allHave(list: unknown, keys: readonly string[]): list is Fields[] {
  return Array.isArray(list) && list.length > 0 && list.every((row) => isFields(row) && keys.every((key) => key in row));
}
