// Two replays side by side: the decisions that change, the claims lost, the headroom left.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CloudState } from '../../../src/engine/core/cloud-state.ts';
import { Comparison, decisionChanges, headroomChanges, isWorse, type DecisionChange } from '../../../src/engine/scenarios/compare.ts';
import type { Request } from '../../../src/engine/core/model.ts';
import { SummaryCounter } from '../../../src/engine/core/replay.ts';
import { build, cloud, flavor, host } from '../builders.ts';

const REQUESTS: Request[] = [build('one', 'f', { host: 'a' }), build('two', 'f', { host: 'a' }), build('three', 'f')];

function side(ratio: number) {
  const spec = cloud([host('a', { vcpus: 4 }), host('b', { vcpus: 2, memory_mb: 8192 })], [flavor('f', { vcpus: 3 })], {
    enabled_filters: ['CoreFilter'],
    cpu_allocation_ratio: ratio,
  });
  return { state: CloudState.start(spec), requests: REQUESTS, counter: new SummaryCounter() };
}

test('yields only the decisions whose result or host changed, and counts claims that became rejections', () => {
  const changes = [...decisionChanges(side(2), side(1))];
  assert.deepEqual(
    changes.map((change) => [change.instance, change.before?.result, change.after?.result]),
    [
      ['two', 'claimed', 'rejected'],
      ['three', 'claimed', 'rejected'],
    ],
  );
  assert.equal(changes.filter(isWorse).length, 2);
});

test('gives each host\'s headroom on both sides, and marks a host only one side has', () => {
  const before = side(2);
  const after = side(1);
  for (const _change of decisionChanges(before, after));
  const [a, b] = headroomChanges(before.state.hostUsages(), after.state.hostUsages().slice(0, 1));
  assert.deepEqual(a.vcpu, { before: 4 * 2 - 6, after: 4 - 3 });
  assert.equal(b.host, 'b');
  assert.equal(b.only_in, 'before');
  assert.equal(b.vcpu.after, null);
});

test('gives the whole verdict and the final summaries whatever of the changes a report read', () => {
  for (const read of [0, 1, 2]) {
    const lost: DecisionChange[] = [];
    const comparison = new Comparison(side(2), side(1), (change) => lost.push(change));
    for (let k = 0; k < read; k++) comparison.changes.next();
    const summaries = comparison.summaries();
    assert.deepEqual(lost.map((change) => change.instance), ['two', 'three'], `after reading ${read} changes`);
    assert.equal(summaries.after.rejected, 2, `after reading ${read} changes`);
    comparison.finish();
    assert.equal(lost.length, 2, 'finishing twice notes nothing twice');
  }
});
