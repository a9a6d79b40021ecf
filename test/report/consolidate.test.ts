// `claimplan consolidate`'s report: the answer in one sentence, the live migrations in order,
// why each other host stays, the summary; CSV one row per host. (Whole outputs:
// test/golden/consolidate.test.ts.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CloudState } from '../../src/engine/core/cloud-state.ts';
import { consolidate } from '../../src/engine/scenarios/consolidate.ts';
import { replay } from '../../src/engine/core/replay.ts';
import { consolidateSummary, renderConsolidate, type ConsolidateReport } from '../../src/report/consolidate.ts';
import { OUTPUT_FORMATS, type OutputFormat } from '../../src/report/formats.ts';
import { build, cloud, flavor, host, ramOnly } from '../engine/builders.ts';
import { rendered } from '../fixtures/report/sample-replay.ts';

/** small on cmp-1 and cmp-2 (16 GiB each), big (12 GiB) on cmp-3: one of the first two can be emptied into the other. */
function report(keepFailover: number | null = null): ConsolidateReport {
  const state = CloudState.start(
    cloud(
      [host('cmp-1', { memory_mb: 16384 }), host('cmp-2', { memory_mb: 16384 }), host('cmp-3', { memory_mb: 16384 })],
      [flavor('m4', { memory_mb: 4096 }), flavor('m12', { memory_mb: 12288 })],
      { ...ramOnly(), reserved_host_memory_mb: 0, ram_allocation_ratio: 1.0 },
    ),
  );
  const requests = [build('a', 'm4', { host: 'cmp-1' }), build('b', 'm4', { host: 'cmp-2' }), build('big', 'm12', { host: 'cmp-3' })];
  for (const _decision of replay(state, requests, { audit: false, explain: false }));
  const consolidation = consolidate(state, keepFailover);
  return {
    requests: requests.length,
    hosts: state.hostNames(),
    emptied: consolidation.emptied,
    kept: consolidation.kept,
    failover: consolidation.failover,
    search: consolidation.search,
    usage: consolidation.state.hostUsages(),
  };
}

const render = (consolidated: ConsolidateReport, format: OutputFormat) => rendered((write) => renderConsolidate(consolidated, format, write, { color: false }));

test('says in one sentence which hosts to empty and by how many live migrations, then lists the moves in order', () => {
  const consolidated = report();
  assert.equal(consolidated.emptied.length, 1);
  const [{ host: emptied, moves }] = consolidated.emptied;
  const table = render(consolidated, 'table');
  assert.match(table, new RegExp(`Empty 1 of 3 hosts — ${emptied} — by 1 live migration; 2 stay\\.`));
  assert.match(table, new RegExp(`\\nLive migrations, in order\\n[^]*│ ${emptied} +│ ${moves[0].instance} +│ m4 +│ ${moves[0].to} │`));
});

test('says why each other host stays: an instance that finds no host, with Nova\'s reasons', () => {
  const consolidated = report();
  const bigHost = consolidated.kept.find((kept) => kept.host === 'cmp-3');
  assert.equal(bigHost?.why.kind, 'instance');
  assert.match(render(consolidated, 'table'), /│ cmp-3 │ big \(m12\) finds no host to live-migrate to: +│/);
});

test('sums hosts emptied, kept and live migrations, with the upper bound', () => {
  const consolidated = report();
  const summary = consolidateSummary(consolidated);
  assert.deepEqual(summary, { hosts: 3, emptied: 1, kept: 2, live_migrations: 1, upper_bound: consolidated.search.upper_bound });
  assert.deepEqual(JSON.parse(render(consolidated, 'json')).summary, summary);
});

test('writes one CSV row per host: emptied with its moves as instance->destination, or why it stays', () => {
  const consolidated = report();
  const rows = render(consolidated, 'csv').split('\r\n');
  assert.equal(rows[0], 'host,emptied,moves,why_it_stays,emptied_by_orders');
  const [{ host: emptied, moves }] = consolidated.emptied;
  assert.ok(rows.some((row) => row.startsWith(`${emptied},true,${moves[0].instance}->${moves[0].to},,`)), rows.join('\n'));
  // Nova's reasons hold commas, so CSV quotes them.
  assert.ok(rows.some((row) => row.startsWith('cmp-3,false,,"big (m12) finds no host to live-migrate to: No valid host was found.')), rows.join('\n'));
});

test('with --keep failover:N says the worst loss strands no more than before, and publishes both figures', () => {
  const consolidated = report(1);
  assert.ok(consolidated.failover);
  assert.match(render(consolidated, 'table'), /every loss of 1 host kept no worse/);
  assert.match(render(consolidated, 'table'), /Kept: none of the \d+ loss(es)? of 1 host strands more instances than it did before any host was emptied/);
  assert.match(render(consolidated, 'openmetrics'), /^claimplan_consolidate_failover_stranded_instances\{when="after"\} \d+$/m);
});

test('writes every listed format, each ending with a line end (CSV\'s \\r\\n)', () => {
  const consolidated = report();
  for (const format of OUTPUT_FORMATS) assert.match(render(consolidated, format), /\S\r?\n$/, format);
});
