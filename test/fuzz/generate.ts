// Mutated plans for the fuzz test: every example plan and fixture plan, as YAML, as JSON
// and with its requests in an NDJSON trace, broken in one of the ways a hand-edited or
// machine-written plan breaks, or the ways an attacker would (docs/limits.md).
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parse, stringify } from 'yaml';

export const MUTATION_KINDS = [
  'wrong-type',
  'negative',
  'huge-number',
  'non-finite',
  'unknown-key',
  'missing-key',
  'duplicate',
  'truncated',
  'tabs',
  'bom-crlf',
  'binary-junk',
  'alias-bomb',
  'deep-nesting',
] as const;
export type MutationKind = (typeof MUTATION_KINDS)[number];

export const COMMANDS = ['replay', 'validate', 'fit', 'compare'] as const;
export type Command = (typeof COMMANDS)[number];

type Form = 'yaml' | 'json' | 'trace';
const FORMS: Form[] = ['yaml', 'json', 'trace'];

/** A plan the fuzz starts from, as found in the repository. */
export interface SeedPlan {
  /** relative to the project root */
  path: string;
  text: string;
  value: Record<string, unknown>;
}

export interface FuzzCase {
  index: number;
  seed: string;
  form: Form;
  kind: MutationKind;
  /** what the mutation did, for reading a failure */
  detail: string;
  /** file name → content, written to a fresh directory; `plan` names the plan among them */
  files: Record<string, string | Buffer>;
  plan: string;
  command: Command;
  /** the arguments after `claimplan`, the plan's path relative to the case's directory */
  args: string[];
}

/** mulberry32: small, fast and the same on every machine, so a seed names a run. */
export class Random {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  below(n: number): number {
    return Math.floor(this.next() * n);
  }

  pick<T>(items: readonly T[]): T {
    return items[this.below(items.length)];
  }

  chance(p: number): boolean {
    return this.next() < p;
  }
}

function filesUnder(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? filesUnder(join(directory, entry.name)) : [join(directory, entry.name)],
  );
}

function isMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const REQUEST_KEYS = ['build', 'delete', 'resize'];

/**
 * The example plans, the fixture plans (a YAML or JSON mapping with `version`), and the
 * fixture NDJSON traces (lines naming an operation), each trace given the first example's
 * cloud to replay against.
 */
export function seedPlans(root: string): SeedPlan[] {
  const examples = readdirSync(join(root, 'examples'))
    .filter((name) => name.endsWith('.yaml'))
    .map((name) => join(root, 'examples', name));
  const fixtures = filesUnder(join(root, 'test/fixtures')).filter((path) => /\.(ya?ml|json|ndjson)$/.test(path));
  const seeds: SeedPlan[] = [];
  const traces: string[] = [];
  for (const path of [...examples.sort(), ...fixtures.sort()]) {
    const text = readFileSync(path, 'utf8');
    if (path.endsWith('.ndjson')) {
      if (isTrace(text)) traces.push(path);
      continue;
    }
    let value: unknown;
    try {
      value = parse(text);
    } catch {
      continue;
    }
    if (isMapping(value) && 'version' in value) seeds.push({ path: relative(root, path), text, value });
  }
  for (const path of traces) {
    const requests = readFileSync(path, 'utf8')
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => JSON.parse(line) as unknown);
    const value = { ...seeds[0].value, requests };
    seeds.push({ path: relative(root, path), text: stringify(value), value });
  }
  return seeds;
}

function isTrace(text: string): boolean {
  const first = text.split('\n').find((line) => line.trim() !== '');
  if (first === undefined) return false;
  try {
    const value: unknown = JSON.parse(first);
    return isMapping(value) && REQUEST_KEYS.some((key) => key in value);
  } catch {
    return false;
  }
}

/** Where a value sits: the keys and indexes from the root. */
type Path = (string | number)[];

/** Every place in a value, root included, walked without recursion and without revisiting a shared node. */
function placesIn(root: unknown): Path[] {
  const places: Path[] = [];
  const seen = new Set<unknown>();
  const stack: { value: unknown; path: Path }[] = [{ value: root, path: [] }];
  while (stack.length > 0) {
    const { value, path } = stack.pop()!;
    places.push(path);
    if (typeof value !== 'object' || value === null || seen.has(value)) continue;
    seen.add(value);
    const entries: [string | number, unknown][] = Array.isArray(value) ? value.map((item, index) => [index, item]) : Object.entries(value);
    for (const [key, child] of entries) stack.push({ value: child, path: [...path, key] });
  }
  return places;
}

function valueAt(root: unknown, path: Path): unknown {
  return path.reduce<unknown>((value, key) => (value as Record<string | number, unknown>)[key], root);
}

/** Sets the value at `path`; the root itself is replaced by returning the new value. */
function setAt(root: unknown, path: Path, value: unknown): unknown {
  if (path.length === 0) return value;
  const parent = valueAt(root, path.slice(0, -1)) as Record<string | number, unknown>;
  parent[path[path.length - 1]] = value;
  return root;
}

/**
 * Text put in place of a marker value after serialising: numbers JavaScript cannot hold
 * exactly (2^53+1), YAML's `.nan` and `.inf`, alias ladders and deep nesting.
 */
interface Splice {
  marker: string;
  yaml: string;
  json: string;
}

const MARKER = 'FUZZMARK';

function splice(splices: Splice[], format: 'yaml' | 'json', text: string): string {
  return splices.reduce((result, { marker, yaml, json }) => {
    const pattern = new RegExp(`(["']?)${marker}\\1`, 'g');
    return result.replace(pattern, () => (format === 'yaml' ? yaml : json));
  }, text);
}

const HUGE_NUMBERS = ['1e16', '10000000000000000', '9007199254740993', '1e308', '2147483648', '1000001', '100001', '1.7976931348623157e308'];
const NON_FINITE: [yaml: string, json: string][] = [
  ['.nan', 'NaN'],
  ['.inf', 'Infinity'],
  ['-.inf', '-Infinity'],
  ['.NaN', '1e999'],
  ['.Inf', '-1e999'],
];
const WRONG_VALUES: unknown[] = ['x', '', 42, 1.5, -3, true, false, null, [], {}, [1, 'two'], { a: 1 }, '0-3,^9', '{n}'];
const UNKNOWN_KEYS = ['colour', 'memroy_mb', 'x', 'count', 'name', '__proto__', 'constructor', 'toString', 'hasOwnProperty', ''];

/** The plan as its form writes it: the plan file, and for the trace form the trace beside it. */
interface Document {
  plan: unknown;
  trace: unknown[] | null;
}

function documentOf(seed: SeedPlan, form: Form): Document {
  const plan = structuredClone(seed.value);
  if (form !== 'trace') return { plan, trace: null };
  const requests = Array.isArray(plan.requests) ? plan.requests : [];
  return { plan: { ...plan, requests: { file: 'trace.ndjson' } }, trace: requests };
}

function write(document: Document, form: Form, splices: Splice[]): { plan: string; trace: string | null } {
  const trace = document.trace === null ? null : document.trace.map((line) => splice(splices, 'json', JSON.stringify(line))).join('\n') + '\n';
  const plan = form === 'json' ? splice(splices, 'json', JSON.stringify(document.plan, null, 2)) : splice(splices, 'yaml', stringify(document.plan));
  return { plan, trace };
}

function describe(path: Path): string {
  return path.length === 0 ? '(root)' : path.map((key) => (typeof key === 'number' ? `[${key}]` : `.${key}`)).join('');
}

/** A place to change: in the trace (a line's value) or the plan, chosen at random. */
function chooseTarget(random: Random, document: Document): { root: 'plan' | number; path: Path; value: unknown } {
  if (document.trace !== null && document.trace.length > 0 && random.chance(0.5)) {
    const line = random.below(document.trace.length);
    const path = random.pick(placesIn(document.trace[line]));
    return { root: line, path, value: valueAt(document.trace[line], path) };
  }
  const path = random.pick(placesIn(document.plan));
  return { root: 'plan', path, value: valueAt(document.plan, path) };
}

function replaceAt(document: Document, root: 'plan' | number, path: Path, value: unknown): void {
  if (root === 'plan') document.plan = setAt(document.plan, path, value);
  else document.trace![root] = setAt(document.trace![root], path, value);
}

/** The mappings a `count` belongs to: host groups and requests. */
function countHolders(document: Document): { root: 'plan' | number; path: Path }[] {
  const plan = document.plan as Record<string, unknown>;
  const holders: { root: 'plan' | number; path: Path }[] = [];
  for (const key of ['hosts', 'requests']) {
    const list = isMapping(plan) ? plan[key] : undefined;
    if (Array.isArray(list)) list.forEach((item, index) => isMapping(item) && holders.push({ root: 'plan', path: [key, index] }));
  }
  document.trace?.forEach((line, index) => isMapping(line) && holders.push({ root: index, path: [] }));
  return holders;
}

function aliasLadder(random: Random): string {
  if (random.chance(0.25)) return '&cycle [*cycle, *cycle]';
  const width = 9;
  const rungs = [`&l0 "lol"`];
  for (let rung = 1; rung <= 9; rung++) rungs.push(`&l${rung} [${Array(width).fill(`*l${rung - 1}`).join(', ')}]`);
  return `[${rungs.join(', ')}]`;
}

function deepNesting(random: Random): string {
  const depth = random.pick([500, 5_000, 20_000, 100_000]);
  return random.chance(0.5) ? '['.repeat(depth) + ']'.repeat(depth) : '{"a": '.repeat(depth) + '1' + '}'.repeat(depth);
}

/** Changes the value tree, leaving markers where text goes in after serialising. */
function mutateValue(kind: MutationKind, random: Random, document: Document, splices: Splice[]): string {
  const marker = () => `${MARKER}${splices.length}`;
  switch (kind) {
    case 'wrong-type': {
      const { root, path } = chooseTarget(random, document);
      const value = structuredClone(random.pick(WRONG_VALUES));
      replaceAt(document, root, path, value);
      return `${describe(path)} = ${JSON.stringify(value)}`;
    }
    case 'negative': {
      const target = chooseNumber(random, document);
      const value = random.pick([-1, -0.5, -(Math.abs(Number(target.value)) || 1), -1e16, -0]);
      replaceAt(document, target.root, target.path, value);
      return `${describe(target.path)} = ${value}`;
    }
    case 'huge-number':
    case 'non-finite': {
      const holders = countHolders(document);
      const onCount = holders.length > 0 && random.chance(0.5);
      const target = onCount ? { ...random.pick(holders), value: undefined } : chooseNumber(random, document);
      const path = onCount ? [...target.path, 'count'] : target.path;
      const huge = random.pick(HUGE_NUMBERS);
      const [yaml, json] = kind === 'huge-number' ? [huge, huge] : random.pick(NON_FINITE);
      const name = marker();
      splices.push({ marker: name, yaml, json });
      replaceAt(document, target.root, path, name);
      return `${describe(path)} = ${yaml}`;
    }
    case 'unknown-key': {
      const target = chooseMapping(random, document);
      const key = random.pick(UNKNOWN_KEYS);
      const value = random.pick(WRONG_VALUES);
      const mapping = valueAt(target.root === 'plan' ? document.plan : document.trace![target.root], target.path) as Record<string, unknown>;
      Object.defineProperty(mapping, key, { value, enumerable: true, configurable: true, writable: true });
      return `${describe([...target.path, key])} added`;
    }
    case 'missing-key': {
      const target = chooseMapping(random, document);
      const mapping = valueAt(target.root === 'plan' ? document.plan : document.trace![target.root], target.path) as Record<string, unknown>;
      const keys = Object.keys(mapping);
      if (keys.length === 0) return 'no key to remove';
      const key = random.pick(keys);
      delete mapping[key];
      return `${describe([...target.path, key])} removed`;
    }
    case 'duplicate': {
      const lists = placesIn(document.plan).filter((path) => Array.isArray(valueAt(document.plan, path)) && (valueAt(document.plan, path) as unknown[]).length > 0);
      if (document.trace !== null && document.trace.length > 0 && random.chance(0.3)) {
        const line = random.below(document.trace.length);
        document.trace.splice(line, 0, structuredClone(document.trace[line]));
        return `trace line ${line + 1} repeated`;
      }
      if (random.chance(0.3)) {
        // A key given twice cannot live in a value, only in the text: a marker key stands in for it.
        const target = chooseMapping(random, document);
        const mapping = valueAt(target.root === 'plan' ? document.plan : document.trace![target.root], target.path) as Record<string, unknown>;
        const keys = Object.keys(mapping);
        if (keys.length === 0) return 'no key to repeat';
        const key = random.pick(keys);
        const name = marker();
        splices.push({ marker: name, yaml: JSON.stringify(key), json: JSON.stringify(key) });
        mapping[name] = random.chance(0.5) ? structuredClone(mapping[key]) : random.pick(WRONG_VALUES);
        return `${describe([...target.path, key])} given twice`;
      }
      if (lists.length === 0) return 'no list to repeat from';
      const path = random.pick(lists);
      const list = valueAt(document.plan, path) as unknown[];
      const index = random.below(list.length);
      const copies = random.pick([1, 1, 2, 50]);
      list.splice(index, 0, ...Array.from({ length: copies }, () => structuredClone(list[index])));
      return `${describe([...path, index])} repeated ${copies} time(s)`;
    }
    case 'alias-bomb':
    case 'deep-nesting': {
      const { root, path } = chooseTarget(random, document);
      const name = marker();
      const text = kind === 'alias-bomb' ? aliasLadder(random) : deepNesting(random);
      // JSON has no aliases: a bomb there is a syntax error, reached without expanding anything.
      splices.push({ marker: name, yaml: text, json: text });
      replaceAt(document, root, path, name);
      return `${describe(path)} = ${text.slice(0, 40)}… (${text.length} characters)`;
    }
    default:
      throw new Error(`${kind} changes text, not values`);
  }
}

function chooseNumber(random: Random, document: Document): { root: 'plan' | number; path: Path; value: unknown } {
  for (let attempt = 0; attempt < 20; attempt++) {
    const target = chooseTarget(random, document);
    if (typeof target.value === 'number') return target;
  }
  return chooseTarget(random, document);
}

function chooseMapping(random: Random, document: Document): { root: 'plan' | number; path: Path } {
  for (let attempt = 0; attempt < 20; attempt++) {
    const target = chooseTarget(random, document);
    if (isMapping(target.value)) return target;
  }
  return { root: 'plan', path: [] };
}

const JUNK: number[][] = [[0x00], [0xff, 0xfe], [0xc3], [0xed, 0xa0, 0x80], [0x1b, 0x5b, 0x32, 0x4a], [0x07], [0xef, 0xbb, 0xbf], [0x0d], [0x85], [0xe2, 0x80, 0xa8]];

/** Changes the text (or bytes) of one file. */
function mutateText(kind: MutationKind, random: Random, text: string): { result: string | Buffer; detail: string } {
  switch (kind) {
    case 'truncated': {
      const at = random.below(text.length + 1);
      return { result: text.slice(0, at), detail: `cut at ${at} of ${text.length}` };
    }
    case 'tabs': {
      const lines = text.split('\n');
      let changed = 0;
      const result = lines.map((line) => {
        if (!random.chance(0.3)) return line;
        changed++;
        return random.chance(0.5) ? line.replace(/^ +/, (spaces) => '\t'.repeat(Math.max(1, spaces.length / 2))) : line.replace(/: /, ':\t');
      });
      return { result: result.join('\n'), detail: `${changed} line(s) tabbed` };
    }
    case 'bom-crlf': {
      const bom = random.chance(0.6) ? '\uFEFF' : '';
      const ending = random.pick(['\r\n', '\r', '\n']);
      return { result: bom + text.replace(/\n/g, ending), detail: `${bom ? 'BOM, ' : ''}${JSON.stringify(ending)} line ends` };
    }
    case 'binary-junk': {
      const bytes = Buffer.from(text, 'utf8');
      const at = random.below(bytes.length + 1);
      const junk = random.chance(0.2)
        ? Buffer.from(Array.from({ length: random.below(4096) + 1 }, () => random.below(256)))
        : Buffer.from(random.pick(JUNK));
      return { result: Buffer.concat([bytes.subarray(0, at), junk, bytes.subarray(at)]), detail: `${junk.length} byte(s) at ${at}` };
    }
    default:
      throw new Error(`${kind} changes values, not text`);
  }
}

const TEXT_KINDS: readonly MutationKind[] = ['truncated', 'tabs', 'bom-crlf', 'binary-junk'];

/** A flavor the command can name: one the mutated plan still defines, else the seed's. */
function flavorFor(plan: unknown, seed: SeedPlan): string {
  for (const candidate of [plan, seed.value]) {
    const flavors = isMapping(candidate) && Array.isArray(candidate.flavors) ? candidate.flavors : [];
    const name = flavors.map((flavor) => (isMapping(flavor) ? flavor.name : undefined)).find((name) => typeof name === 'string' && /^[^-\s]\S*$/.test(name));
    if (typeof name === 'string') return name;
  }
  return 'm1';
}

/** Case `index` of the run seeded `seed`: each index gives the same case on every machine. */
export function makeCase(seeds: readonly SeedPlan[], seed: number, index: number): FuzzCase {
  const random = new Random(seed ^ Math.imul(index + 1, 0x9e3779b1));
  const kind = MUTATION_KINDS[index % MUTATION_KINDS.length];
  const command = COMMANDS[index % COMMANDS.length];
  const plan = random.pick(seeds);
  // A bomb of aliases needs YAML to be read as one; JSON and NDJSON have no aliases.
  const form: Form = kind === 'alias-bomb' && random.chance(0.7) ? 'yaml' : random.pick(FORMS);
  const document = documentOf(plan, form);
  const splices: Splice[] = [];
  let detail: string;
  let files: Record<string, string | Buffer>;
  const planName = form === 'json' ? 'plan.json' : 'plan.yaml';
  if (TEXT_KINDS.includes(kind)) {
    const written = write(document, form, splices);
    // The YAML form keeps the seed's own text, comments and layout included.
    const planText = form === 'yaml' ? plan.text : written.plan;
    const onTrace = written.trace !== null && random.chance(0.5);
    const mutated = mutateText(kind, random, onTrace ? written.trace! : planText);
    detail = `${onTrace ? 'trace' : 'plan'}: ${mutated.detail}`;
    files = { [planName]: onTrace ? planText : mutated.result, ...(written.trace === null ? {} : { 'trace.ndjson': onTrace ? mutated.result : written.trace }) };
  } else {
    detail = mutateValue(kind, random, document, splices);
    const written = write(document, form, splices);
    files = { [planName]: written.plan, ...(written.trace === null ? {} : { 'trace.ndjson': written.trace }) };
  }
  const args: string[] = [command, planName];
  if (command === 'fit') args.push('--flavor', flavorFor(document.plan, plan));
  if (command === 'compare') args.push('--set', 'cpu_allocation_ratio=2');
  return { index, seed: plan.path, form, kind, detail, files, plan: planName, command, args };
}
