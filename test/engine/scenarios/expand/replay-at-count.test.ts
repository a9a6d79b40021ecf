// One replay with added hosts: where they go in the host list, and whether the target is met.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { replayWithAdded } from '../../../../src/engine/scenarios/expand/replay-at-count.ts';
import type { Request } from '../../../../src/engine/core/model.ts';
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

test('says how many added hosts\' worth of builds found no host at the worst moment, a build deleted no longer counting', () => {
  const plan = smallCloud();
  // An empty added host holds four 4 GiB builds: each that finds no host is a quarter of one.
  const probe = new SkuProbe(plan, [sku(host('template', { memory_mb: 16384 }))]);
  const ten = replayWithAdded(plan, tenSmall, probe, [1], 'last', null);
  assert.deepEqual([ten.short, ten.shortfall], [2, 0.5]);
  // web-9 fails and is deleted before web-10 fails: one quarter at a time.
  const requests: Request[] = [...tenSmall.slice(0, 9), { op: 'delete', instance: 'web-9' }, tenSmall[9]];
  const deleted = replayWithAdded(plan, requests, probe, [1], 'last', null);
  assert.deepEqual([deleted.short, deleted.shortfall], [2, 0.25]);
  assert.equal(replayWithAdded(plan, tenSmall, probe, [2], 'last', null).shortfall, 0);
});
