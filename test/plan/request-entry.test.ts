// A request entry read: the hand-written check and read of a trace line against the
// schema's request part and readEntry, on random request lines.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { formatPlanError, type LoadedPlan, type PlanError } from '../../src/plan/load.ts';
import { isFields } from '../../src/plan/fields.ts';
import { LIMITS } from '../../src/plan/limits.ts';
import { readEntry, readValidEntry } from '../../src/plan/request-entry.ts';
import { isValid } from '../../src/plan/schema-check.ts';
import { loadFiles } from './helpers.ts';

const FLAVORS = ['m1', 'm2', 'nosuch'];
const HOSTS = ['cmp-1', 'cmp-2', 'cmp-9'];
const INSTANCES = ['a', 'b', 'vm-{n}', 'x-{n:03}', 'c{', '{n}', 'd{k}', '{n:010}'];
/** names the schema allows or refuses: empty, at its length limit and past it, in UTF-16 units and in code points */
const ODD_NAMES = ['', 'x'.repeat(LIMITS.nameLength), 'x'.repeat(LIMITS.nameLength + 1), '😀'.repeat(128), '😀'.repeat(300), 'é"\\\u2028'];

const quoted = (texts: readonly string[]) => fc.constantFrom(...texts.map((text) => JSON.stringify(text)));
const anyName = fc.oneof(quoted([...FLAVORS, ...HOSTS, ...INSTANCES]), quoted(ODD_NAMES), fc.string({ maxLength: 4 }).map((text) => JSON.stringify(text)));
const nameList = fc.array(fc.oneof({ weight: 4, arbitrary: quoted(INSTANCES) }, { weight: 1, arbitrary: fc.oneof(anyName, fc.constantFrom('1', 'null')) }), { maxLength: 3 }).map((items) => `[${items.join(',')}]`);
const hints = fc
  .array(fc.tuple(fc.constantFrom('same_host', 'different_host', 'same_hosts'), fc.oneof({ weight: 4, arbitrary: nameList }, { weight: 1, arbitrary: quoted(['a']) })), { maxLength: 2 })
  .map((entries) => `{${entries.map(([key, value]) => `${JSON.stringify(key)}:${value}`).join(',')}}`);
/** JSON texts of every kind a request value might be, numbers as a file may spell them */
const anyValue = fc.oneof(
  anyName,
  fc.constantFrom('1', '2', '3', '0', '-0', '-1', '1.5', '1.0', '2e0', '1e400', '1000000', '1000001', '"3"', 'true', 'false', 'null', '"claimed"', '"rejected"', '"maybe"', '{}', '[]'),
  nameList,
  hints,
);

const OPERATIONS = ['build', 'delete', 'resize', 'migrate', 'live_migrate', 'evacuate', 'confirm', 'revert', 'down', 'up'];
const OTHER_KEYS = ['flavor', 'count', 'name', 'host', 'aggregate', 'expect', 'boot_from_volume', 'group', 'availability_zone', 'project', 'image', 'hints'];

/** A value the key usually takes, so that many random requests are valid. */
function likelyValue(key: string): fc.Arbitrary<string> {
  switch (key) {
    case 'build':
    case 'flavor':
      return quoted(FLAVORS);
    case 'down':
    case 'up':
    case 'host':
      return quoted(HOSTS);
    case 'count':
      return fc.constantFrom('1', '2', '3');
    case 'aggregate':
      return quoted(['az1', 'az2']);
    case 'expect':
      return quoted(['claimed', 'rejected']);
    case 'boot_from_volume':
      return fc.constantFrom('true', 'false');
    case 'group':
      return quoted(['g1', 'g2']);
    case 'availability_zone':
      return quoted(['nova', 'az1']);
    case 'project':
      return quoted(['p1']);
    case 'image':
      return quoted(['img1', 'img2']);
    case 'hints':
      return hints;
    default:
      return quoted(INSTANCES);
  }
}

const member = (key: string) => fc.oneof({ weight: 5, arbitrary: likelyValue(key) }, { weight: 1, arbitrary: anyValue }).map((value) => `${JSON.stringify(key)}:${value}`);

/** One trace line's JSON text: mostly an operation and a few keys, sometimes anything. */
const requestLine = fc.oneof(
  { weight: 8, arbitrary: fc.tuple(fc.constantFrom(...OPERATIONS).chain(member), fc.array(fc.constantFrom(...OTHER_KEYS).chain(member), { maxLength: 3 })).map(([first, rest]) => `{${[first, ...rest].join(',')}}`) },
  {
    weight: 2,
    arbitrary: fc
      .array(fc.tuple(fc.constantFrom(...OPERATIONS, ...OTHER_KEYS, 'nmae', 'cont', '__proto__', 'constructor', 'file'), anyValue), { maxLength: 4 })
      .map((members) => `{${members.map(([key, value]) => `${JSON.stringify(key)}:${value}`).join(',')}}`),
  },
  { weight: 1, arbitrary: fc.constantFrom('[]', '5', '"build"', 'null', '[{"build":"m1"}]') },
);

/** Whether a value holds a string longer than a name may be in UTF-16 units, which the hand-written check leaves to the schema. */
function holdsLongString(value: unknown): boolean {
  if (typeof value === 'string') return value.length > LIMITS.nameLength;
  if (Array.isArray(value)) return value.some(holdsLongString);
  return isFields(value) && Object.values(value).some(holdsLongString);
}

test('reads by hand exactly the trace lines the schema accepts and readEntry reads, into the same entry', () => {
  let read = 0;
  fc.assert(
    fc.property(requestLine, (line) => {
      const value: unknown = JSON.parse(line);
      const reading = isFields(value) ? readEntry(value) : null;
      const accepted = isValid('request', value) && reading !== null && 'entry' in reading;
      const entry = readValidEntry(value);
      if (entry !== null) {
        read++;
        assert.ok(accepted, `read by hand but refused by the schema: ${line}`);
        assert.deepEqual(entry, 'entry' in reading! ? reading.entry : null, line);
      } else if (!holdsLongString(value)) {
        assert.ok(!accepted, `accepted by the schema but not by hand: ${line}`);
      }
    }),
    { numRuns: 20000, seed: 20261207 },
  );
  assert.ok(read > 2000, `only ${read} lines were valid requests`);
});

const CLOUD = {
  version: 1,
  hosts: [
    { name: 'cmp-1', vcpus: 8, memory_mb: 16384, local_gb: 100, aggregates: ['az1'] },
    { name: 'cmp-2', vcpus: 8, memory_mb: 16384, local_gb: 100 },
  ],
  flavors: [
    { name: 'm1', vcpus: 1, memory_mb: 1024, root_gb: 10 },
    { name: 'm2', vcpus: 2, memory_mb: 2048, root_gb: 20 },
  ],
  server_groups: [{ name: 'g1', policy: 'anti-affinity' }],
  images: [{ name: 'img1', properties: {} }],
};

/** Every problem of the plan, at load or as its requests stream, as the CLI prints them; none for a good plan. */
function problemsOf(files: Record<string, string>): string[] {
  const { result, directory } = loadFiles(files);
  let errors: PlanError[];
  if (result.ok) {
    const stream = (result.value as LoadedPlan).requests();
    for (const _request of stream);
    errors = stream.problems;
  } else {
    errors = result.error;
  }
  return errors.map((error) => formatPlanError(error).split(`${directory}/`).join(''));
}

test('a trace reports the same located problems as its requests written inline, which only the schema checks', () => {
  const head = JSON.stringify(CLOUD).slice(0, -1);
  fc.assert(
    fc.property(fc.array(requestLine, { minLength: 1, maxLength: 25 }), (lines) => {
      const fromTrace = problemsOf({ 'plan.json': `${head},"requests":{"file":"trace.ndjson"}}`, 'trace.ndjson': `${lines.join('\n')}\n` });
      // Request K sits on line K+2 of the plan, from its first column, as on line K+1 of the trace.
      const inline = problemsOf({ 'plan.json': `${head},"requests":[\n${lines.join(',\n')}\n]}` });
      assert.deepEqual(
        fromTrace,
        inline.map((error) => error.replace(/^plan\.json:(\d+):/, (_, line) => `trace.ndjson:${Number(line) - 1}:`)),
      );
    }),
    { numRuns: 300, seed: 20261207 },
  );
});
