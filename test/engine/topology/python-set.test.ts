// PySet must iterate in CPython's order; compare with /usr/bin/python3 on random programs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { PySet } from '../../../src/engine/topology/python-set.ts';

const PYTHON = '/usr/bin/python3';
const pythonFound = spawnSync(PYTHON, ['-c', 'pass']).status === 0;

type Op = [string, number, number, number[]];

/** Random programs over four registers: the operations Nova applies to CPU sets. */
function programs(count: number): Op[][] {
  let state = 7;
  const next = (n: number) => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return Math.floor((state / 2147483648) * n);
  };
  const kinds = ['of', 'add', 'discard', 'merge', 'diff', 'and', 'isub', 'coerce', 'prim'];
  const result: Op[][] = [];
  for (let p = 0; p < count; p++) {
    const span = [8, 40, 130, 600][next(4)];
    const ops: Op[] = [];
    for (let k = 0; k < 12; k++) {
      const items = Array.from({ length: next(span > 100 ? 70 : 20) }, () => next(span));
      ops.push([kinds[next(kinds.length)], next(4), next(4), items]);
    }
    result.push(ops);
  }
  return result;
}

function runOurs(ops: Op[]): string[] {
  const regs = [new PySet(), new PySet(), new PySet(), new PySet()];
  const out: string[] = [];
  for (const [kind, a, b, items] of ops) {
    if (kind === 'of') regs[a] = PySet.of(items);
    else if (kind === 'add') for (const x of items) regs[a].add(x);
    else if (kind === 'discard') for (const x of items) regs[a].discard(x);
    else if (kind === 'merge') regs[a].merge(regs[b]);
    else if (kind === 'diff') regs[a] = regs[a].difference(regs[b]);
    else if (kind === 'and') regs[a] = regs[a].intersection(regs[b]);
    else if (kind === 'isub') regs[a].differenceUpdate(regs[b]);
    else if (kind === 'coerce') regs[a] = PySet.coerce(regs[b]);
    else regs[a] = PySet.fromPrimitive(items);
    out.push(regs.map((r) => r.values().join(',')).join('|'));
  }
  return out;
}

const PYTHON_RUNNER = `
import sys, json
def coerce(s):
    c = set(); t = set()
    for x in s: t.add(x)
    c.update(t); return c
for line in sys.stdin:
    regs = [set(), set(), set(), set()]
    out = []
    for kind, a, b, items in json.loads(line):
        if kind == 'of': regs[a] = set(items)
        elif kind == 'add':
            for x in items: regs[a].add(x)
        elif kind == 'discard':
            for x in items: regs[a].discard(x)
        elif kind == 'merge': regs[a] |= regs[b]
        elif kind == 'diff': regs[a] = regs[a] - regs[b]
        elif kind == 'and': regs[a] = regs[a] & regs[b]
        elif kind == 'isub': regs[a] -= regs[b]
        elif kind == 'coerce': regs[a] = coerce(regs[b])
        else: regs[a] = coerce(set(items))
        out.append('|'.join(','.join(map(str, r)) for r in regs))
    print(json.dumps(out))
`;

test('iterates sets in the order CPython 3 does after adds, discards, merges, differences and intersections', { skip: !pythonFound && `${PYTHON} not found` }, () => {
  const cases = programs(1500);
  const python = spawnSync(PYTHON, ['-c', PYTHON_RUNNER], {
    input: cases.map((ops) => JSON.stringify(ops)).join('\n'),
    encoding: 'utf8',
    maxBuffer: 256 * 2 ** 20,
  });
  assert.equal(python.status, 0, python.stderr);
  const expected = python.stdout.trim().split('\n').map((line) => JSON.parse(line) as string[]);
  const mismatches = cases
    .map((ops, i) => ({ i, ours: runOurs(ops), theirs: expected[i] }))
    .filter(({ ours, theirs }) => JSON.stringify(ours) !== JSON.stringify(theirs));
  assert.deepEqual(mismatches.slice(0, 2), []);
});

test('prints an empty set and a full one as Python does', () => {
  assert.equal(new PySet().repr(), 'set()');
  assert.equal(PySet.of([3, 1, 9]).repr(), '{1, 3, 9}');
});
