import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { writeJsonDocument, writeYamlDocument, YAML_OPTIONS, type DocumentPart } from '../../src/report/document.ts';
import { rendered } from '../fixtures/report/sample-replay.ts';

const LONG_TEXT = `${'long words '.repeat(30)}end`;
const ITEMS = [
  { name: 'plain', reasons: ['Free memory 1.00 MB < requested 2 MB'] },
  { name: 'line\u2028separator and "quotes"', reasons: [] },
  { name: 'two\nlines\n\nwith a gap', nested: { list: [1, [2, 3]], empty: {} } },
  { name: 'x'.repeat(200), text: LONG_TEXT },
];
const TAIL = { hosts: [{ host: 'cmp-1', limits: { memory_mb: null } }], summary: { requests: 4 } };

function parts(items: unknown[]): DocumentPart[] {
  return [
    { key: 'decisions', items },
    { key: 'hosts', value: () => TAIL.hosts },
    { key: 'summary', value: () => TAIL.summary },
  ];
}

test('streams a JSON document byte-identical to stringifying it whole', () => {
  for (const items of [ITEMS, [], [ITEMS[0]]]) {
    const whole = `${JSON.stringify({ decisions: items, ...TAIL }, null, 2)}\n`;
    assert.equal(rendered((write) => writeJsonDocument(parts(items), write)), whole);
  }
});

test('streams any JSON items and values byte-identical to stringifying the document whole', () => {
  // Strings of any characters: line breaks, U+2028 and lone surrogates among them.
  const value = fc.jsonValue({ maxDepth: 3, stringUnit: 'binary' });
  fc.assert(
    fc.property(fc.array(value, { maxLength: 4 }), value, (items, tail) => {
      const whole = `${JSON.stringify({ items, tail }, null, 2)}\n`;
      assert.equal(rendered((write) => writeJsonDocument([{ key: 'items', items }, { key: 'tail', value: () => tail }], write)), whole);
    }),
    { numRuns: 500 },
  );
});

test('streams a YAML document byte-identical to stringifying it whole', () => {
  for (const items of [ITEMS, [], [ITEMS[0]]]) {
    const whole = stringifyYaml({ decisions: items, ...TAIL }, YAML_OPTIONS);
    assert.equal(rendered((write) => writeYamlDocument(parts(items), write)), whole);
  }
});

test('keeps long YAML strings on one line and shared arrays without anchors', () => {
  const shared = ['No valid host was found. There are not enough hosts available.'];
  const yaml = rendered((write) => writeYamlDocument(parts([{ reasons: shared, long: LONG_TEXT }, { reasons: shared }]), write));
  assert.doesNotMatch(yaml, /[&*]a\d/);
  assert.ok(yaml.includes(LONG_TEXT));
  assert.deepEqual(parseYaml(yaml).decisions[1].reasons, shared);
});

test('writes each item of a streamed list before reading the next one', () => {
  let produced = 0;
  const seenAtWrite: number[] = [];
  function* items() {
    for (let i = 0; i < 5; i++) {
      produced++;
      yield { i };
    }
  }
  for (const writeDocument of [writeJsonDocument, writeYamlDocument]) {
    produced = 0;
    seenAtWrite.length = 0;
    writeDocument([{ key: 'decisions', items: items() }], () => seenAtWrite.push(produced));
    for (let i = 1; i <= 5; i++) assert.ok(seenAtWrite.includes(i), `nothing written while item ${i} was the latest`);
  }
});
