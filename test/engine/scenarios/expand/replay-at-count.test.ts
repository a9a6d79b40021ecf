// One replay with added hosts: where they go in the host list, and whether the target is met.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { replayWithAdded } from '../../../../src/engine/scenarios/expand/replay-at-count.ts';
import { SkuProbe, type Position } from '../../../../src/engine/scenarios/expand/sku.ts';
import { host } from '../../builders.ts';
import { replayByHand, sku, smallCloud, tenSmall } from './plans.ts';

test('lists added hosts last by default, so the plan\'s hosts win ties; first lets the added ones win them', () => {
  const plan = smallCloud();
  const added = host('template', { memory_mb: 16384, aggregates: ['az1'] });
  const first = (position: Position) => replayByHand(plan, tenSmall.slice(0, 1), added, 1, position).decisions[0].host;
  assert.equal(first('last'), 'cmp-1');
  assert.equal(first('first'), 'r640-new-1');
  const probe = new SkuProbe(plan, [sku(added)]);
  assert.equal(replayWithAdded(plan, tenSmall, probe, [2], 'first', null).meets, true);
});
