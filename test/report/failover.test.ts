// `claimplan failover`'s report: one scenario shows every evacuation, several show only the
// stranded instances; aggregates lost whole are named as --lose names them; CSV has one row
// per instance; the --k search says how it was found. (Whole outputs: test/golden/failover.test.ts.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CloudState } from '../../src/engine/core/cloud-state.ts';
import { Failover } from '../../src/engine/scenarios/failover.ts';
import { replay } from '../../src/engine/core/replay.ts';
import { renderFailover, type FailoverReport } from '../../src/report/failover.ts';
import { OUTPUT_FORMATS, type OutputFormat } from '../../src/report/formats.ts';
import { build, cloud, flavor, host, ramOnly } from '../engine/builders.ts';
import { rendered } from '../fixtures/report/sample-replay.ts';

/** rack-1 holds cmp-1 and cmp-2, 16 GiB each; spare has 8 GiB. web (8 GiB) on cmp-1, db (12 GiB) on cmp-2. */
function replayed(): { failover: Failover; hosts: string[] } {
  const state = CloudState.start(
    cloud(
      [host('cmp-1', { memory_mb: 16384, aggregates: ['rack-1'] }), host('cmp-2', { memory_mb: 16384, aggregates: ['rack-1'] }), host('spare', { memory_mb: 8192 })],
      [flavor('m8', { memory_mb: 8192 }), flavor('m12', { memory_mb: 12288 })],
      { ...ramOnly(), reserved_host_memory_mb: 0, ram_allocation_ratio: 1.0 },
    ),
  );
  for (const _decision of replay(state, [build('web', 'm8', { host: 'cmp-1' }), build('db', 'm12', { host: 'cmp-2' })], { audit: false, explain: false }));
  return { failover: new Failover(state), hosts: state.hostNames() };
}

function render(report: Omit<FailoverReport, 'requests'>, format: OutputFormat): string {
  return rendered((write) => renderFailover({ ...report, requests: 2 }, format, write, { color: false }));
}

test('one scenario lists every instance of the lost hosts, moved or stranded, under Evacuations', () => {
  const { failover } = replayed();
  const table = render({ scenarios: [failover.lose(['cmp-1', 'cmp-2'])], method: 'lose' }, 'table');
  assert.match(table, /^Failover after replaying 2 requests: the hosts named\n/);
  assert.match(table, /\nEvacuations\n/);
  assert.match(table, /│ web +│ m8 +│ cmp-1 │ spare │/);
  assert.match(table, /│ db +│ m12 +│ cmp-2 │ +│ No valid host was found\. There are not enough hosts available\. │/);
  assert.doesNotMatch(table, /Stranded instances/);
});

test('several scenarios list only the stranded instances, worst scenario first, and none when nothing strands', () => {
  const { failover, hosts } = replayed();
  const scenarios = failover.each(hosts.map((name) => [name]));
  const table = render({ scenarios, method: 'each host' }, 'table');
  assert.match(table, /one scenario per host, worst first/);
  assert.deepEqual(scenarios.map((scenario) => [scenario.lost[0], scenario.stranded.length]), [['cmp-2', 1], ['cmp-1', 0], ['spare', 0]]);
  assert.match(table, /\nStranded instances\n[^]*│ cmp-2 │ db +│ m12 +│ cmp-2 │/);
  assert.doesNotMatch(table, /Evacuations/);
  const safe = render({ scenarios: [failover.lose(['spare']), failover.lose(['cmp-1'])], method: 'each host' }, 'table');
  assert.doesNotMatch(safe, /Stranded instances/);
});

test('names an aggregate lost whole as --lose does, with its host count on the terminal', () => {
  const { failover } = replayed();
  const scenarios = failover.eachAggregate();
  assert.match(render({ scenarios, method: 'each aggregate' }, 'table'), /│ aggregate:rack-1 \(2 hosts\) │/);
  assert.match(render({ scenarios, method: 'each aggregate' }, 'csv'), /^aggregate:rack-1,web,m8,cmp-1,spare,placed,\r$/m);
});

test('writes one CSV row per instance, placed or stranded, the reasons joined by "; "', () => {
  const { failover } = replayed();
  const csv = render({ scenarios: [failover.lose(['cmp-1', 'cmp-2'])], method: 'lose' }, 'csv').split('\r\n');
  assert.equal(csv[0], 'lost,instance,flavor,from,to,result,reasons');
  assert.equal(csv[1], 'cmp-1 cmp-2,web,m8,cmp-1,spare,placed,');
  // The reasons hold a comma, so CSV quotes them.
  assert.equal(csv[2], 'cmp-1 cmp-2,db,m12,cmp-2,,stranded,"No valid host was found. There are not enough hosts available.; memory: 1 host (closest spare, 4096.00 MB short); down: 2 hosts"');
  assert.equal(csv.length, 4, 'two rows and the final line end');
});

test('says how the worst loss of k hosts was found, and sums the scenarios in JSON', () => {
  const { failover, hosts } = replayed();
  const { scenario, search } = failover.worstLoss(hosts, 2);
  assert.match(render({ scenarios: [scenario], method: search }, 'table'), /the worst loss of 2 hosts, all 3 combinations run/);
  const json = JSON.parse(render({ scenarios: [scenario], method: search }, 'json'));
  assert.deepEqual(json.summary, { scenarios: 1, stranding: 1, placed: scenario.placed.length, stranded: scenario.stranded.length, method: 'exact', combinations: 3, evaluated: 3 });
});

test('publishes what the stranded instances ask for in bytes, per scenario', () => {
  const { failover } = replayed();
  const metrics = render({ scenarios: [failover.lose(['cmp-2'])], method: 'lose' }, 'openmetrics');
  assert.match(metrics, /^claimplan_failover_short_memory_bytes\{lost="cmp-2"\} 12884901888$/m);
  assert.match(metrics, /^claimplan_failover_stranded_instances\{lost="cmp-2"\} 1$/m);
});

test('writes every listed format, each ending with a line end (CSV\'s \\r\\n)', () => {
  const { failover, hosts } = replayed();
  const scenarios = failover.each(hosts.map((name) => [name]));
  for (const format of OUTPUT_FORMATS) assert.match(render({ scenarios, method: 'each host' }, format), /\S\r?\n$/, format);
});
