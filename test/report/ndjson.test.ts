import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Decision } from '../../src/engine/model.ts';
import { decisionToJson, renderReplay } from '../../src/report/index.ts';
import { rendered, replayOutputOf, SAMPLE_DECISIONS, SAMPLE_SUMMARY } from '../fixtures/report/sample-replay.ts';

test('prints one parseable decision per line, then the summary line', () => {
  const lines = rendered((write) => renderReplay(replayOutputOf(), 'ndjson', write, { color: false })).split('\n');
  assert.equal(lines.pop(), '', 'ends with a newline');
  const parsed = lines.map((line) => JSON.parse(line));
  assert.deepEqual(parsed.slice(0, -1), SAMPLE_DECISIONS.map(decisionToJson));
  assert.deepEqual(parsed.at(-1), { summary: SAMPLE_SUMMARY });
});

test('writes each decision\'s line as soon as the decision is made', () => {
  let made = 0;
  function* decisions(): Generator<Decision> {
    for (const decision of SAMPLE_DECISIONS) {
      made++;
      yield decision;
    }
  }
  const linesWhenMade: string[] = [];
  renderReplay(replayOutputOf(decisions()), 'ndjson', (chunk) => linesWhenMade.push(`${made}:${JSON.parse(chunk).seq ?? 'summary'}`), {
    color: false,
  });
  assert.deepEqual(linesWhenMade, ['1:1', '2:2', '3:3', '4:4', '5:5', '5:summary']);
});
