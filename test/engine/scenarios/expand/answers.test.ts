// The answer: the fewest added hosts, checked by replaying at that count and at one fewer,
// what no added host could take, failover targets and server groups.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Failover } from '../../../../src/engine/scenarios/failover.ts';
import { NO_ALLOCATION_CANDIDATES, NO_VALID_HOST } from '../../../../src/engine/scheduler/filter-scheduler.ts';
import type { Request } from '../../../../src/engine/core/model.ts';
import { build, flavor, host } from '../../builders.ts';
import { AnswerSearch, type CountReplayer } from '../../../../src/engine/scenarios/expand/answers.ts';
import type { CountReplay } from '../../../../src/engine/scenarios/expand/replay-at-count.ts';
import { rejectedBuilds, replayByHand, searchToEnd, sku, smallCloud, tenSmall } from './plans.ts';

for (const model of ['legacy', 'placement'] as const) {
  test(`${model}: finds the fewest hosts, checked by replaying at that count (all claimed) and at one fewer (Nova's reasons)`, async () => {
    const plan = smallCloud(model);
    const added = host('template', { memory_mb: 16384, aggregates: ['az1'] });
    const found = await searchToEnd(plan, tenSmall, [sku(added)]);
    // 10 × 4 GiB on 16 GiB hosts: the plan's host holds 4, each added host 4 more.
    assert.equal(found.count, 2);
    assert.equal(found.method.method, 'exact');
    const at = replayByHand(plan, tenSmall, added, 2);
    assert.deepEqual(rejectedBuilds(at.decisions), []);
    const fewer = replayByHand(plan, tenSmall, added, 1);
    const rejected = rejectedBuilds(fewer.decisions);
    assert.deepEqual(
      rejected.map((decision) => decision.instance),
      ['web-9', 'web-10'],
    );
    assert.deepEqual(rejected[0].reasons, [model === 'legacy' ? NO_VALID_HOST : NO_ALLOCATION_CANDIDATES]);
    // What the command reports at one fewer is that same replay.
    const reported = found.fewer!;
    assert.equal(reported.short, 2);
    assert.deepEqual(
      reported.failed.map((build) => [build.instance, build.reasons]),
      rejected.map((decision) => [decision.instance, decision.reasons]),
    );
  });
}

test('needs no host when every build is claimed as the plan stands', async () => {
  const plan = smallCloud();
  const found = await searchToEnd(plan, tenSmall.slice(0, 4), [sku(host('template', { memory_mb: 16384 }))]);
  assert.equal(found.count, 0);
  assert.equal(found.method.method, 'exact');
  assert.deepEqual(found.method.replayed, [{ count: 0, meets: true }]);
});

test('does not count what no added host could take: a named host, an aggregate no SKU carries, a flavor too large, an alias the API refuses', async () => {
  const plan = smallCloud();
  plan.flavors.push(flavor('gpu', { extra_specs: { 'pci_passthrough:alias': 'a100:1' } }));
  const requests: Request[] = [
    ...tenSmall.slice(0, 4).map((request) => ({ ...request, host: 'cmp-1' })),
    build('pinned', 'small', { host: 'cmp-1' }),
    build('zoned', 'small', { aggregate: 'az1' }),
    build('whale', 'huge'),
    build('trainer', 'gpu'),
    build('more', 'small'),
  ];
  const added = host('template', { memory_mb: 16384 });
  const found = await searchToEnd(plan, requests, [sku(added)]);
  assert.equal(found.count, 1);
  const at = found.at;
  assert.equal(at.short, 0);
  assert.deepEqual(
    at.beyond.map((build) => [build.instance, build.why]),
    [
      ['pinned', { kind: 'named host', host: 'cmp-1' }],
      ['zoned', { kind: 'aggregate', aggregate: 'az1' }],
      ['whale', { kind: 'fits no empty host', sku: 'r640', reasons: ['Free memory 16384.00 MB < requested 65536 MB'] }],
      ['trainer', { kind: 'refused by the API' }],
    ],
  );
  assert.equal(at.beyond_count, 4);
  assert.equal(at.rejected, 4);
});

test('with failover:1, the count found also survives losing any one host, and one fewer does not', async () => {
  const plan = smallCloud();
  const added = host('template', { memory_mb: 16384, aggregates: ['az1'] });
  const requests = tenSmall.slice(0, 6);
  const found = await searchToEnd(plan, requests, [sku(added)], 1);
  // Six 4 GiB builds need 24 GiB; surviving the loss of any 16 GiB host takes 40 GiB: three added.
  assert.equal(found.count, 2);
  const strandedAfterLosingEach = (count: number) => {
    const { state, decisions } = replayByHand(plan, requests, added, count);
    assert.deepEqual(rejectedBuilds(decisions), []);
    const failover = new Failover(state);
    return state.hostNames().map((lost) => failover.lose([lost]).stranded.length);
  };
  assert.ok(strandedAfterLosingEach(2).every((stranded) => stranded === 0));
  assert.ok(strandedAfterLosingEach(1).some((stranded) => stranded > 0));
  assert.equal(found.fewer!.failover!.method, 'exact');
  assert.ok(found.fewer!.failover!.worst.stranded.length > 0);
});

test('an anti-affinity group needs a host per member past max_server_per_host, however much room is left', async () => {
  const plan = smallCloud();
  plan.server_groups = [{ name: 'db-ha', policy: 'anti-affinity', max_server_per_host: 2 }];
  const requests = Array.from({ length: 7 }, (_, index) => build(`db-${index + 1}`, 'small', { group: 'db-ha' }));
  const added = host('template', { memory_mb: 262144 });
  const found = await searchToEnd(plan, requests, [sku(added)]);
  assert.equal(found.count, 3);
  const fewer = found.fewer!;
  assert.deepEqual(fewer.failed.map((build) => build.instance), ['db-7']);
  assert.ok(fewer.failed[0].causes.some((cause) => cause.cause === 'group'));
});

test('with a thread free at the end of the search, begins the whole replay at one fewer beside the search’s last replays, and answers as without it', async () => {
  // Thirty hosts or more meet the target. Every count short of it falls short by half a
  // host's worth, which points nowhere, so the search spends its estimates and then
  // bisects with replays that stop early.
  const started: { counts: number[]; stopEarly: boolean; beside: number }[] = [];
  let inFlight = 0;
  const replayer: CountReplayer = {
    threads: 2,
    run: async (task) => {
      started.push({ counts: task.counts, stopEarly: task.stopEarly, beside: inFlight });
      inFlight++;
      await new Promise((resolve) => setTimeout(resolve, 1));
      inFlight--;
      const meets = task.counts[0] >= 30;
      return { counts: task.counts, meets, complete: meets || !task.stopEarly, shortfall: meets ? 0 : 0.5 } as CountReplay;
    },
  };
  const answer = await new AnswerSearch(replayer, [sku(host('template'))], false).alone(0, 1, 400, false);
  assert.deepEqual(answer.count, [30]);
  assert.deepEqual([answer.fewer!.counts, answer.fewer!.complete], [[29], true]);
  assert.ok(started.some((task) => task.stopEarly && task.counts[0] === 29), 'the search replayed 29 and stopped early');
  // Ahead of time, a thread with nothing to search may also replay a count the answer turns out not to want.
  const fewer = started.filter((task) => !task.stopEarly && task.counts[0] === 29);
  assert.equal(fewer.length, 1);
  assert.ok(fewer[0].beside > 0, 'begun while a count of the search was still replaying');
});
