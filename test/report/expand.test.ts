import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CountReplay } from '../../src/engine/scenarios/expand/replay-at-count.ts';
import type { ExpandReport } from '../../src/engine/scenarios/expand/answers.ts';
import { renderExpand } from '../../src/report/expand.ts';
import { OUTPUT_FORMATS, type OutputFormat } from '../../src/report/formats.ts';
import { rendered } from '../fixtures/report/sample-replay.ts';

function replayAt(count: number, meets: boolean): CountReplay {
  return { counts: [count], hosts: count, builds: 40, claimed: meets ? 40 : 39, rejected: meets ? 0 : 1, short: meets ? 0 : 1, failed: [], beyond: [], beyond_count: 0, failover: null, meets, complete: true, shortfall: meets ? 0 : 0.25 };
}

/** 40 hosts found by bisection from a lower bound of 5: 39 and a few below replayed short, 7 to 38 unreplayed but 10 and 20. */
const BISECTED: ExpandReport = {
  requests: 40,
  position: 'last',
  failover: null,
  answers: [
    {
      skus: [{ name: 'r640', cost: null }],
      count: [40],
      method: {
        method: 'bisection',
        lower_bound: 5,
        upper_bound: 100,
        at_least: 7,
        replayed: [
          { count: 5, meets: false },
          { count: 6, meets: false },
          { count: 10, meets: false },
          { count: 20, meets: false },
          { count: 39, meets: false },
          { count: 40, meets: true },
          { count: 80, meets: true },
        ],
      },
      capped: false,
      at: replayAt(40, true),
      fewer: replayAt(39, false),
      names: [],
    },
  ],
};

const render = (format: OutputFormat) => rendered((write) => renderExpand(BISECTED, format, write, { color: false }));

test('says how far a count found by bisection may be from the fewest hosts, in every format', () => {
  assert.match(render('table').replace(/\s+/g, ' '), /every count below 7 falls short, so the fewest hosts are between 7 and 40 \(30 counts not replayed\)/);
  assert.match(render('table'), /fewest hosts at least +│ +7 +│/);
  assert.equal((JSON.parse(render('json')) as { answers: { search: { at_least: number } }[] }).answers[0].search.at_least, 7);
  assert.match(render('openmetrics'), /^claimplan_expand_fewest_hosts_at_least\{add="r640"\} 7$/m);
});

test('writes every listed format, each ending with a line end (CSV\'s \\r\\n)', () => {
  for (const format of OUTPUT_FORMATS) assert.match(render(format), /\S\r?\n$/, format);
});
