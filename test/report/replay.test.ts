import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse as parseYaml } from 'yaml';
import type { Decision } from '../../src/engine/core/model.ts';
import { OUTPUT_FORMATS, type OutputFormat } from '../../src/report/formats.ts';
import { decisionToJson, hostUsageToJson } from '../../src/report/json-fields.ts';
import { renderReplay } from '../../src/report/replay.ts';
import { rendered, replayOutputOf, SAMPLE_DECISIONS, SAMPLE_HOSTS, SAMPLE_SUMMARY } from '../fixtures/report/sample-replay.ts';
import { assertMatchesGolden } from './golden.ts';
import { PROMTOOL_MISSING, promtoolCheck } from './promtool.ts';

function render(format: OutputFormat, decisions: Iterable<Decision> = SAMPLE_DECISIONS, color = false): string {
  return rendered((write) => renderReplay(replayOutputOf(decisions), format, write, { color }));
}

for (const format of OUTPUT_FORMATS) {
  test(`renders the sample replay as ${format}, byte for byte as reviewed`, () => {
    assertMatchesGolden('sample', format, render(format));
  });

  test(`gives byte-identical ${format} output for the same replay`, () => {
    assert.equal(render(format), render(format));
  });

  test(`asks for hosts and summary in ${format} only after every decision is consumed`, () => {
    // The fixture throws when hosts() or summary() come early, as the engine's state would be wrong.
    const output = replayOutputOf();
    renderReplay(output, format, () => {}, { color: false });
    assert.equal(output.consumed(), true);
  });
}

test('never writes the audit lines, which --verbose sends to stderr', () => {
  for (const format of OUTPUT_FORMATS) assert.doesNotMatch(render(format), /Attempting claim/, format);
});

test('keeps every one of Nova\'s reasons whole in the machine-readable formats', () => {
  const reasons = SAMPLE_DECISIONS.flatMap((d) => [...d.reasons, ...(d.attempts ?? []).flatMap((a) => a.reasons)]);
  const json = JSON.parse(render('json'));
  const yaml = parseYaml(render('yaml'));
  for (const reason of reasons) {
    assert.ok(JSON.stringify(json).includes(JSON.stringify(reason)), reason);
    assert.ok(JSON.stringify(yaml).includes(JSON.stringify(reason)), reason);
  }
});

test('renders an empty replay in every format without failing', () => {
  for (const format of OUTPUT_FORMATS) assert.ok(render(format, []).endsWith('\n'), format);
  assert.deepEqual(JSON.parse(render('json', [])).decisions, []);
});

test('prints one json document of decisions, hosts and summary, indented by two spaces with a final newline', () => {
  const expected = { decisions: SAMPLE_DECISIONS.map(decisionToJson), hosts: SAMPLE_HOSTS.map(hostUsageToJson), summary: SAMPLE_SUMMARY };
  assert.equal(render('json'), `${JSON.stringify(expected, null, 2)}\n`);
});

test('prints the same document as json, in YAML', () => {
  assert.deepEqual(parseYaml(render('yaml')), JSON.parse(render('json')));
});

test('keeps Nova\'s longest reason on one line in YAML rather than folding it', () => {
  assert.match(render('yaml'), /^ {10}- Requested instance NUMA topology together with requested PCI devices cannot fit the given host NUMA topology$/m);
});

test('prints one parseable decision per ndjson line, then the summary line', () => {
  const lines = render('ndjson').split('\n');
  assert.equal(lines.pop(), '', 'ends with a newline');
  const parsed = lines.map((line) => JSON.parse(line));
  assert.deepEqual(parsed.slice(0, -1), SAMPLE_DECISIONS.map(decisionToJson));
  assert.deepEqual(parsed.at(-1), { summary: SAMPLE_SUMMARY });
});

test('writes each decision\'s ndjson line as soon as the decision is made', () => {
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
  assert.deepEqual(linesWhenMade, [...SAMPLE_DECISIONS.map((d) => `${d.seq}:${d.seq}`), `${SAMPLE_DECISIONS.length}:summary`]);
});

test('keeps one decision per request in every format but the terminal table', () => {
  const repeated = SAMPLE_DECISIONS.filter((d) => d.instance?.startsWith('batch-'));
  assert.equal(repeated.length, 3);
  for (const format of ['json', 'yaml', 'ndjson', 'csv', 'markdown'] as const) {
    for (const { instance } of repeated) assert.ok(render(format).includes(instance!), `${instance} in ${format}`);
  }
  const table = render('table');
  assert.ok(table.includes(' batch-1 '));
  assert.ok(!table.includes(' batch-2 ') && !table.includes(' batch-3 '));
  assert.match(table, /│ … and 2 more rejected for the same reasons +│/);
});

test('shows each cause of a NoValidHost under Nova\'s text, before the hosts tried', () => {
  const cell = render('table').replace(/[│\s]+/g, ' ');
  assert.match(
    cell,
    /No valid host was found\. There are not enough hosts available\. memory: 1 host \(closest cmp-1, 5120\.00 MB short\) disk: 1 host \(closest cmp-1, 60\.00 GB short\) numa: 1 host cmp-1: Free memory/,
  );
  assert.match(render('markdown'), /available\.<br>vcpu: 1 host \(closest gpu-1, 2\.00 VCPU short\)<br>aggregate: 1 host outside the aggregate \|/);
});

test('marks the row whose result failed its expectation', () => {
  assert.match(render('table'), /│ expected claimed │/);
});

test('writes no escape code at all when colour is off, and colours rows by result when it is on', () => {
  assert.doesNotMatch(render('table'), /\x1b\[/);
  const text = render('table', SAMPLE_DECISIONS, true);
  const rowOf = (instance: string) => text.split('\n').find((line) => line.replace(/\x1b\[\d+m/g, '').includes(` ${instance} `)) ?? '';
  assert.match(rowOf('web-1'), /\x1b\[32mclaimed/);
  assert.match(rowOf('analytics-1'), /\x1b\[31mrejected/);
  assert.match(text.split('\n').filter((line) => line.includes('released'))[0], /\x1b\[2mreleased/);
  assert.match(text, /\x1b\[31m… and 2 more rejected/);
  assert.match(text, /\x1b\[1mDecisions/);
});

test('shows NUMA pinning and PCI devices compactly, leaving the column out of a block without them', () => {
  assert.match(render('table'), /cell 1: vCPU0→20 vCPU1→21, 2M pages/);
  assert.match(render('table'), /10de:20b5 x1 \(type-PCI, NUMA node 1\)/);
  assert.doesNotMatch(render('table', SAMPLE_DECISIONS.slice(0, 4)), /NUMA \/ PCI/);
});

test('shows NUMA cells and PCI pools of the hosts that have them', () => {
  const text = render('table');
  assert.match(text, /^NUMA cells$/m);
  assert.match(text, /│ gpu-1 │ +1 │ +0\/4 │ +2\/12 \(20-21\) │ +8192\/32768 │ 4K 0\/4194304 +│/);
  assert.match(text, /│ +2M 4096\/8192 \(512 reserved\) │/);
  assert.match(text, /^PCI pools$/m);
  assert.match(text, /│ gpu-1 │ 10de:20b5 │ type-PCI │ +1 │ +│ +3\/4 │/);
});

test('ends the table with the summary counts, failed expectations included', () => {
  assert.match(render('table'), /Summary\n[^]*│ requests +│ 8 │[^]*│ expectations failed │ 1 │\n└/);
});

test('gives every markdown table as many cells in each row as in its header', () => {
  const tables = render('markdown').split(/\n## .*\n\n/);
  assert.equal(tables.length, 5, 'decisions, hosts, NUMA cells, PCI pools, summary');
  for (const table of tables) {
    const rows = table.trim().split('\n').filter((line) => line.startsWith('|'));
    const cells = (row: string) => row.replaceAll('\\|', '').split('|').length;
    assert.ok(rows.length >= 3, table);
    for (const row of rows) assert.equal(cells(row), cells(rows[0]), row);
  }
});

function* manyDecisions(count: number, onMade: () => void): Generator<Decision> {
  for (let seq = 1; seq <= count; seq++) {
    onMade();
    yield { ...SAMPLE_DECISIONS[seq % 2], seq, instance: `vm-${seq}` };
  }
}

test('renders 10,000 decisions in blocks written while the replay is still running', () => {
  let made = 0;
  let exhausted = false;
  const madeAtWrite: number[] = [];
  const source = manyDecisions(10_000, () => made++);
  const decisions = (function* () {
    yield* source;
    exhausted = true;
  })();
  const chunks: string[] = [];
  renderReplay(replayOutputOf(decisions), 'table', (chunk) => {
    if (!exhausted) madeAtWrite.push(made);
    chunks.push(chunk);
  }, { color: false });
  const blocks = madeAtWrite.filter((count) => count > 0);
  assert.ok(blocks.length >= 10_000 / 50 - 1, `only ${blocks.length} writes before the end`);
  assert.ok(blocks[0] <= 50, `first block written after ${blocks[0]} decisions`);
  for (let i = 1; i < blocks.length; i++) assert.ok(blocks[i] - blocks[i - 1] <= 50, 'a block held more rows than its size');
  const text = chunks.join('');
  assert.ok(text.includes(' vm-1 ') && text.includes(' vm-10000 '));
});

test('gives openmetrics the hosts in bytes and the summary by operation and result, and ends with # EOF', () => {
  const text = render('openmetrics');
  assert.match(text, /^claimplan_host_memory_bytes\{host="cmp-1"\} 34359738368$/m);
  assert.match(text, /^claimplan_host_vcpu_limit\{host="cmp-1"\} \+Inf$/m);
  assert.match(text, /^claimplan_decisions\{result="rejected"\} 5$/m);
  assert.match(text, /^claimplan_pci_devices_free\{host="gpu-1",vendor_id="10de",product_id="20b5",dev_type="type-PCI",numa_node="1"\} 3$/m);
  assert.ok(text.endsWith('\n# EOF\n'));
});

test('writes openmetrics that promtool finds nothing to say about', { skip: PROMTOOL_MISSING }, () => {
  assert.deepEqual(promtoolCheck(render('openmetrics')), { status: 0, output: '' });
});
