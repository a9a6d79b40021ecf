// One request entry read into what the checker walks and the replay expands: from any
// value once the schema has judged it (`readEntry`), or from a trace line, checked by
// hand against the schema's request part and read in the same pass (`readValidEntry`).
import type { BuildRequest, Expectation, Request } from '../engine/core/model.ts';
import { integerOf, isFields, nameOf, type Fields } from './fields.ts';
import { OPERATION_KEYS, OPERATIONS } from './json-schema.ts';
import { LIMITS } from './limits.ts';
import { templateForCopies, type NameTemplate } from './name-templates.ts';

export type Operation = Request['op'];

/** One entry of a request list, read. */
export interface PlannedEntry {
  operation: Operation;
  count: number;
  /** how its copies are named: a name without `{n}` as itself, null for the default name */
  template: NameTemplate | string | null;
  flavor: string;
  host: string | null;
  aggregate: string | null;
  expect: Expectation | null;
  bootFromVolume: boolean;
  group: string | null;
  /** a build's zone, project, image and hints; null when it gives none */
  placement: Placement | null;
}

type Placement = Pick<BuildRequest, 'availability_zone' | 'project' | 'image' | 'hints'>;

export type EntryReading = { entry: PlannedEntry } | { problem: { key: string; message: string } } | { unreadable: true };

/** A request's count as the schema allows it; one it refused reads as absent. */
export function countOf(fields: Fields): number {
  const count = integerOf(fields.count, 1, 1);
  return count <= LIMITS.buildsPerRequest ? count : 1;
}

/** A request as far as it can be read, whatever the schema found wrong with it. */
export function readEntry(fields: Fields): EntryReading {
  const operation = OPERATIONS.find((key) => nameOf(fields[key]) !== null);
  if (operation === undefined) return { unreadable: true };
  if (operation === 'down' || operation === 'up') {
    const host = nameOf(fields[operation]);
    return { entry: { operation, count: 1, template: null, flavor: '', host, aggregate: null, expect: null, bootFromVolume: false, group: null, placement: null } };
  }
  const count = countOf(fields);
  const nameKey = operation === 'build' ? 'name' : operation;
  const nameText = nameOf(fields[nameKey]);
  let template: PlannedEntry['template'] = null;
  if (nameText !== null) {
    const parsed = templateForCopies(nameText, count);
    if (!parsed.ok) return { problem: { key: nameKey, message: parsed.error } };
    template = parsed.value.numbered ? parsed.value : nameText;
  }
  const expect = fields.expect === 'claimed' || fields.expect === 'rejected' ? fields.expect : null;
  return {
    entry: {
      operation,
      count,
      template,
      flavor: nameOf(fields[operation === 'resize' ? 'flavor' : 'build']) ?? '',
      host: nameOf(fields.host),
      aggregate: nameOf(fields.aggregate),
      expect,
      bootFromVolume: fields.boot_from_volume === true,
      group: nameOf(fields.group),
      placement: placementOf(fields),
    },
  };
}

/** A build's zone, project, image and hints as the schema allows them; null when it gives none. */
function placementOf(fields: Fields): Placement | null {
  const placement: Placement = {};
  const zone = nameOf(fields.availability_zone);
  const project = nameOf(fields.project);
  const image = nameOf(fields.image);
  if (zone !== null) placement.availability_zone = zone;
  if (project !== null) placement.project = project;
  if (image !== null) placement.image = image;
  const hints = isFields(fields.hints) ? fields.hints : null;
  if (hints !== null) {
    const names = (value: unknown) => (Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : undefined);
    const same_host = names(hints.same_host);
    const different_host = names(hints.different_host);
    placement.hints = { ...(same_host ? { same_host } : {}), ...(different_host ? { different_host } : {}) };
  }
  return Object.keys(placement).length === 0 ? null : placement;
}

/** The keys a request may carry besides its operation, one bit each. */
const KEY = {
  flavor: 1 << 0,
  count: 1 << 1,
  name: 1 << 2,
  host: 1 << 3,
  aggregate: 1 << 4,
  expect: 1 << 5,
  boot_from_volume: 1 << 6,
  group: 1 << 7,
  availability_zone: 1 << 8,
  project: 1 << 9,
  image: 1 << 10,
  hints: 1 << 11,
} as const;

/** The keys each operation may carry (json-schema.ts, OPERATION_KEYS), as bits. */
const ALLOWED_KEYS = Object.fromEntries(
  OPERATIONS.map((operation) => [operation, OPERATION_KEYS[operation].reduce((bits: number, key) => bits | KEY[key], 0)]),
) as Record<Operation, number>;

/** A name the schema allows, counted in characters as the schema counts it (fields.ts `nameOf`). */
function isShortName(value: unknown): value is string {
  return nameOf(value) !== null;
}

function isCount(value: unknown): value is number {
  return Number.isInteger(value) && (value as number) >= 1 && (value as number) <= LIMITS.buildsPerRequest;
}

function isNameList(value: unknown): value is string[] {
  return Array.isArray(value) && value.every(isShortName);
}

type Hints = NonNullable<BuildRequest['hints']>;

function isHints(value: unknown): value is Hints {
  if (!isFields(value)) return false;
  for (const key in value) {
    if ((key !== 'same_host' && key !== 'different_host') || !isNameList(value[key])) return false;
  }
  return true;
}

/**
 * A trace line's value read as an entry when it is a request the schema accepts (its
 * `request` part, with json-schema.ts's operationProblems) whose name names its copies:
 * the schema's rules written out for the few keys of a request, so a million lines pay
 * neither for the generated validator nor for reading each key again. Anything else is
 * null, and goes to the schema and `readEntry`, which locate its problems; the errors are
 * the schema's either way (test/plan/request-entry.test.ts holds the two paths equal).
 */
export function readValidEntry(value: unknown): PlannedEntry | null {
  if (!isFields(value)) return null;
  let operation: Operation | null = null;
  let operand = '';
  let keys = 0;
  let count = 1;
  let flavor: string | null = null;
  let name: string | null = null;
  let host: string | null = null;
  let aggregate: string | null = null;
  let expect: Expectation | null = null;
  let bootFromVolume = false;
  let group: string | null = null;
  let zone: string | null = null;
  let project: string | null = null;
  let image: string | null = null;
  let hints: Hints | null = null;
  for (const key in value) {
    const field = value[key];
    switch (key) {
      case 'build':
      case 'delete':
      case 'resize':
      case 'migrate':
      case 'live_migrate':
      case 'evacuate':
      case 'confirm':
      case 'revert':
      case 'down':
      case 'up':
        // A second operation is a problem of the request's, for the schema to word.
        if (operation !== null || !isShortName(field)) return null;
        operation = key;
        operand = field;
        break;
      case 'flavor':
        if (!isShortName(field)) return null;
        flavor = field;
        keys |= KEY.flavor;
        break;
      case 'count':
        if (!isCount(field)) return null;
        count = field;
        keys |= KEY.count;
        break;
      case 'name':
        if (!isShortName(field)) return null;
        name = field;
        keys |= KEY.name;
        break;
      case 'host':
        if (!isShortName(field)) return null;
        host = field;
        keys |= KEY.host;
        break;
      case 'aggregate':
        if (!isShortName(field)) return null;
        aggregate = field;
        keys |= KEY.aggregate;
        break;
      case 'expect':
        if (field !== 'claimed' && field !== 'rejected') return null;
        expect = field;
        keys |= KEY.expect;
        break;
      case 'boot_from_volume':
        if (typeof field !== 'boolean') return null;
        bootFromVolume = field;
        keys |= KEY.boot_from_volume;
        break;
      case 'group':
        if (!isShortName(field)) return null;
        group = field;
        keys |= KEY.group;
        break;
      case 'availability_zone':
        if (!isShortName(field)) return null;
        zone = field;
        keys |= KEY.availability_zone;
        break;
      case 'project':
        if (!isShortName(field)) return null;
        project = field;
        keys |= KEY.project;
        break;
      case 'image':
        if (!isShortName(field)) return null;
        image = field;
        keys |= KEY.image;
        break;
      case 'hints':
        if (!isHints(field)) return null;
        hints = field;
        keys |= KEY.hints;
        break;
      default:
        return null;
    }
  }
  if (operation === null || (keys & ~ALLOWED_KEYS[operation]) !== 0) return null;
  if (operation === 'resize' && flavor === null) return null;
  if (operation === 'down' || operation === 'up') {
    return { operation, count: 1, template: null, flavor: '', host: operand, aggregate: null, expect: null, bootFromVolume: false, group: null, placement: null };
  }
  const nameText = operation === 'build' ? name : operand;
  let template: PlannedEntry['template'] = nameText;
  if (nameText !== null && (count > 1 || nameText.includes('{'))) {
    const parsed = templateForCopies(nameText, count);
    if (!parsed.ok) return null;
    if (parsed.value.numbered) template = parsed.value;
  }
  let placement: Placement | null = null;
  if (zone !== null || project !== null || image !== null || hints !== null) {
    placement = {};
    if (zone !== null) placement.availability_zone = zone;
    if (project !== null) placement.project = project;
    if (image !== null) placement.image = image;
    if (hints !== null) {
      placement.hints = {};
      if (hints.same_host !== undefined) placement.hints.same_host = hints.same_host;
      if (hints.different_host !== undefined) placement.hints.different_host = hints.different_host;
    }
  }
  return { operation, count, template, flavor: operation === 'build' ? operand : (flavor ?? ''), host, aggregate, expect, bootFromVolume, group, placement };
}
