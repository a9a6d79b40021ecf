// The change journal: every change of a compute node recorded in order, and readers over a
// list of nodes told which of them changed since they last asked, reading every node again
// when they fell behind.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { ChangedNodes, ChangeJournal } from '../../../src/engine/core/change-journal.ts';
import { ComputeNode, NodeTrial } from '../../../src/engine/core/compute-node.ts';
import { DEFAULT_CLOUD_SETTINGS } from '../../../src/engine/core/model.ts';
import { host } from '../builders.ts';

const NO_LIMITS = { memory_mb: null, disk_gb: null, vcpu: null, numa_topology: null };

function nodesRecordingIn(journal: ChangeJournal, count: number): ComputeNode[] {
  return Array.from({ length: count }, (_, index) => {
    const node = ComputeNode.start(index, host(`cmp-${index}`), DEFAULT_CLOUD_SETTINGS, NO_LIMITS, null);
    node.recordChangesIn(journal, new NodeTrial());
    return node;
  });
}

const claim = { memory_mb: 512, disk_gb: 1, vcpus: 1 };

function visited(reader: ChangedNodes): number[] {
  const positions: number[] = [];
  reader.forEachChanged((_, position) => positions.push(position));
  return positions.sort((a, b) => a - b);
}

test('records each change of usage or service state under the node\'s index, in order', () => {
  const journal = new ChangeJournal(3);
  const nodes = nodesRecordingIn(journal, 3);
  nodes[2].updateUsage(claim, 1);
  nodes[0].setServiceDown(true);
  nodes[2].updateUsage(claim, -1);
  assert.equal(journal.end, 3);
  assert.deepEqual([...journal.since(0)!], [2, 0, 2]);
  assert.deepEqual([...journal.since(2)!], [2]);
});

test('a node copied for a question of its own (fit) records nothing', () => {
  const journal = new ChangeJournal(1);
  const [node] = nodesRecordingIn(journal, 1);
  node.clone().updateUsage(claim, 1);
  assert.equal(journal.end, 0);
});

test('drops its older half once full, and a reader that far behind reads every node again', () => {
  const journal = new ChangeJournal(2);
  const nodes = nodesRecordingIn(journal, 2);
  const reader = new ChangedNodes(journal, [nodes[1]]);
  assert.deepEqual(visited(reader), [0]);
  for (let change = 0; change < 64; change++) nodes[0].updateUsage(claim, 1);
  nodes[0].updateUsage(claim, 1);
  assert.equal(journal.since(0), null);
  assert.deepEqual(visited(reader), []);
  nodes[1].setServiceDown(true);
  assert.deepEqual(visited(reader), [0]);
});

test('tells each reader the positions of its own nodes changed since it last asked, whatever the sequence of changes', () => {
  const step = fc.oneof(
    fc.record({ kind: fc.constant('change' as const), node: fc.nat(), claims: fc.integer({ min: 1, max: 3 }) }),
    fc.record({ kind: fc.constant('read' as const), reader: fc.nat() }),
  );
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 12 }), fc.array(fc.array(fc.boolean(), { minLength: 12, maxLength: 12 }), { minLength: 1, maxLength: 4 }), fc.array(step, { maxLength: 400 }), (count, memberships, steps) => {
      const journal = new ChangeJournal(count);
      const nodes = nodesRecordingIn(journal, count);
      const readers = memberships.map((member) => {
        const followed = nodes.filter((_, index) => member[index]).reverse();
        return { reader: new ChangedNodes(journal, followed), followed, seen: followed.map(() => -1) };
      });
      for (const next of steps) {
        if (next.kind === 'change') {
          const node = nodes[next.node % count];
          for (let claimed = 0; claimed < next.claims; claimed++) node.updateUsage(claim, 1);
          continue;
        }
        const { reader, followed, seen } = readers[next.reader % readers.length];
        const expected = followed.flatMap((node, position) => (seen[position] === node.version ? [] : [position]));
        followed.forEach((node, position) => (seen[position] = node.version));
        assert.deepEqual(visited(reader), expected);
      }
    }),
    { numRuns: 300, seed: 20261207 },
  );
});
