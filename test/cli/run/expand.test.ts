// `claimplan expand`: usage errors before any replay, located errors in host_templates,
// the --fail-if gate's exit codes, and replays on threads giving the same answer.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { runCli } from '../../run-cli.ts';

const GROWTH = ['expand', 'examples/growth.yaml', '--add', 'r640'];

test('exits 2 on each usage mistake, before any replay and with nothing on standard output', () => {
  const cases: [string[], RegExp][] = [
    [['--target', 'failover'], /option '--target <target>' argument 'failover' is invalid\. must be builds or failover:N/],
    [['--target', 'failover:0'], /option '--target <target>' argument 'failover:0' is invalid\. must be builds or failover:N/],
    [['--position', 'middle'], /option '--position <where>' argument 'middle' is invalid\. Allowed choices are first, last/],
    [['--fail-if', 'hosts>>3'], /option '--fail-if <condition>' argument 'hosts>>3' is invalid\. must be METRIC OP NUMBER, e.g. 'hosts>10' \(quoted: > is a shell redirect\)/],
    [['--fail-if', 'racks>3'], /METRIC is hosts, cost, rejected/],
    [['--add', 'r640'], /--add r640: given twice/],
  ];
  for (const [args, message] of cases) {
    const run = runCli([...GROWTH, ...args]);
    assert.equal(run.status, 2, args.join(' '));
    assert.equal(run.stdout, '');
    assert.match(run.stderr, message);
  }
  const unknown = runCli(['expand', 'examples/growth.yaml', '--add', 'r64O']);
  assert.equal(unknown.status, 2);
  assert.match(unknown.stderr, /--add r64O: the plan has no host template, host group or host named r64O; did you mean `r640`\?/);
  const none = runCli(['expand', 'examples/growth.yaml']);
  assert.equal(none.status, 2);
  assert.match(none.stderr, /give at least one --add SKU/);
});

test('reports mistakes in host_templates located, as for any host, and replays nothing', () => {
  const run = runCli(['expand', 'test/fixtures/expand/bad-templates.yaml', '--add', 'r640']);
  assert.equal(run.status, 2);
  assert.equal(run.stdout, '');
  assert.equal(
    run.stderr,
    [
      'test/fixtures/expand/bad-templates.yaml:6:18  host_templates[0].count  unknown key `count`',
      'test/fixtures/expand/bad-templates.yaml:6:80  host_templates[0].cost  must be a non-negative number, the cost of one host',
      'test/fixtures/expand/bad-templates.yaml:7:12  host_templates[1].name  host template `r640` is already defined at test/fixtures/expand/bad-templates.yaml:6:12',
      'test/fixtures/expand/bad-templates.yaml:8:12  host_templates[2].name  host template `cmp-01` has the name of the host defined at test/fixtures/expand/bad-templates.yaml:4:12',
      'test/fixtures/expand/bad-templates.yaml:8:63  host_templates[2].instances  unknown key `instances`',
      'test/fixtures/expand/bad-templates.yaml:9:27  host_templates[3].memroy_mb  unknown key `memroy_mb`; did you mean `memory_mb`?',
      'test/fixtures/expand/bad-templates.yaml:9:78  host_templates[3].enabled_filters[0]  unknown filter `CoreFliter`, in no Nova release from Pike to Zed; did you mean `CoreFilter`?',
      'claimplan: 7 problems found; nothing was replayed',
      '',
    ].join('\n'),
  );
});

test('--fail-if exits 1 when the answer crosses the threshold, 0 when it does not', () => {
  // The growth example needs 4 r640s (36000), with 3 builds no r640 could take.
  assert.equal(runCli([...GROWTH, '--fail-if', 'hosts>3']).status, 1);
  assert.equal(runCli([...GROWTH, '--fail-if', 'hosts>4']).status, 0);
  assert.equal(runCli([...GROWTH, '--fail-if', 'cost>=36000', '-f', 'json']).status, 1);
  assert.equal(runCli([...GROWTH, '--fail-if', 'hosts>10', '--fail-if', 'rejected>0']).status, 1);
  assert.equal(runCli([...GROWTH, '--fail-if', 'rejected>3']).status, 0);
});

test('replays a trace on threads, the same report every run, with the answer --jobs 1 finds', () => {
  const args = ['expand', 'test/fixtures/expand/trace-cloud.yaml', '--add', 'new-{n:03}', '-f', 'json'];
  const first = runCli(args);
  assert.equal(first.status, 0, first.stderr);
  assert.equal(runCli(args).stdout, first.stdout);
  const threaded = JSON.parse(first.stdout);
  const alone = JSON.parse(runCli([...args, '--jobs', '1']).stdout);
  assert.equal(threaded.summary.hosts, alone.summary.hosts);
  assert.deepEqual(threaded.answers[0].names.slice(0, 2), ['new-001', 'new-002']);
  assert.deepEqual(threaded.answers[0].fewer, alone.answers[0].fewer);
});

test('hands a plan read from standard input to its threads', () => {
  const plan = readFileSync('examples/growth.yaml', 'utf8');
  const run = runCli(['expand', '-', '--add', 'r740', '--jobs', '2', '-f', 'ndjson'], { input: plan });
  assert.equal(run.status, 0, run.stderr);
  assert.match(run.stdout.trimEnd().split('\n').at(-1)!, /"hosts":3/);
});

test('refuses added host names the plan already has', () => {
  const plan = [
    'version: 1',
    'hosts:',
    '  - {name: "gen-{n}", count: 2, vcpus: 8, memory_mb: 8192, local_gb: 100}',
    '  - {name: gen-3, vcpus: 8, memory_mb: 8192, local_gb: 100}',
    'flavors: [{name: m1, vcpus: 1, memory_mb: 4096, root_gb: 10}]',
    'requests: [{build: m1, count: 9, name: "vm-{n}"}]',
  ].join('\n');
  const run = runCli(['expand', '-', '--add', 'gen-{n}'], { input: plan });
  assert.equal(run.status, 2);
  assert.match(run.stderr, /--add gen-\{n\}: its added host gen-3 would have the name of a host of the plan/);
});
