// The bounds of docs/limits.md: each refused with a located error before the work it
// bounds starts, and the two plans reported hanging (a huge request count, a huge host
// group) ending at once through the real CLI, in YAML, JSON and an NDJSON trace. Their
// time is CPU time: the wall clock also counts whatever else shares the machine.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LIMITS } from '../../src/plan/limits.ts';
import { runClaimplan, violations } from '../fuzz/runner.ts';
import { runCli } from '../run-cli.ts';
import { errorsOf, MINIMAL, planOf } from './helpers.ts';

const HUGE = '10000000000000000';

/** The reported plans, each in the three ways a plan can carry them. */
const REPORTED: Record<string, Record<string, string>> = {
  'request count, YAML': {
    'plan.yaml': `${MINIMAL}requests:\n  - {build: m1, count: ${HUGE}, name: "web-{n}"}\n`,
  },
  'request count, JSON': {
    'plan.json': JSON.stringify({
      version: 1,
      hosts: [{ name: 'cmp-1', vcpus: 8, memory_mb: 16384, local_gb: 100 }],
      flavors: [{ name: 'm1', vcpus: 1, memory_mb: 1024, root_gb: 10 }],
    }).replace(/}$/, `, "requests": [{"build": "m1", "count": ${HUGE}, "name": "web-{n}"}]}`),
  },
  'request count, NDJSON trace': {
    'plan.yaml': `${MINIMAL}requests: {file: trace.ndjson}\n`,
    'trace.ndjson': `{"build": "m1", "name": "a"}\n{"build": "m1", "count": ${HUGE}, "name": "web-{n}"}\n`,
  },
  'host group, YAML': {
    'plan.yaml': `version: 1\nhosts:\n  - {name: "cmp-{n}", count: ${HUGE}, vcpus: 8, memory_mb: 16384, local_gb: 100}\n`,
  },
  'host group, JSON': {
    'plan.json': `{"version": 1, "hosts": [{"name": "cmp-{n}", "count": ${HUGE}, "vcpus": 8, "memory_mb": 16384, "local_gb": 100}]}`,
  },
  'host group, with a trace': {
    'plan.yaml': `version: 1\nhosts:\n  - {name: "cmp-{n}", count: ${HUGE}, vcpus: 8, memory_mb: 16384, local_gb: 100}\nrequests: {file: trace.ndjson}\n`,
    'trace.ndjson': '{"build": "m1", "host": "cmp-7"}\n',
  },
};

for (const [name, files] of Object.entries(REPORTED)) {
  for (const command of ['validate', 'replay', 'fit']) {
    test(`the reported ${name} ends within 2 s of CPU under 200 MB with a located error (${command})`, async () => {
      const directory = mkdtempSync(join(tmpdir(), 'claimplan-limits-'));
      for (const [file, text] of Object.entries(files)) writeFileSync(join(directory, file), text);
      const plan = Object.keys(files)[0];
      const args = command === 'fit' ? [command, plan, '--flavor', 'm1'] : [command, plan];
      const run = await runClaimplan(args, directory);
      assert.deepEqual(violations(run, command), []);
      assert.equal(run.status, 2);
      assert.ok(run.cpuMs !== null && run.cpuMs < 2000, `took ${run.cpuMs?.toFixed(0)} ms of CPU, ${run.ms.toFixed(0)} ms in all`);
      assert.match(run.stderr, /^\S+:\d+:\d+ {2}\S*count {2}must be a positive integer, at most \d+$/m);
    });
  }
}

test('reads a count the schema refused as absent: the group is one host, the request one build', () => {
  assert.deepEqual(errorsOf(`version: 1
hosts:
  - {name: "cmp-{n}", count: ${HUGE}, vcpus: 8, memory_mb: 16384, local_gb: 100}
flavors:
  - {name: m1, vcpus: 1, memory_mb: 1024, root_gb: 10}
requests:
  - {build: m1, count: 1e16, name: "web-{n}", host: cmp-1}
  - {build: m1, name: web-1}
  - {build: m1, host: cmp-2}
`), [
    `plan.yaml:3:30  hosts[0].count  must be a positive integer, at most ${LIMITS.hostsPerGroup}`,
    `plan.yaml:7:24  requests[0].count  must be a positive integer, at most ${LIMITS.buildsPerRequest}`,
    'plan.yaml:8:23  requests[1].name  builds `web-1`, which is still live; delete it first or choose another name',
    'plan.yaml:9:23  requests[2].host  unknown host `cmp-2`',
  ]);
});

test('counts hosts over every group and file before expanding one, and refuses the group that passes the total', () => {
  const group = (name: string, count: number) => `  - {name: "${name}-{n}", count: ${count}, vcpus: 8, memory_mb: 16384, local_gb: 100}\n`;
  const files = {
    'a.yaml': `version: 1\nhosts:\n${group('a', 60000)}`,
    'b.yaml': `version: 1\nhosts:\n${group('b', 30000)}${group('c', 20000)}${group('d', 10000)}`,
  };
  assert.deepEqual(errorsOf(files, ['a.yaml', 'b.yaml']), [
    `b.yaml:4:28  hosts[1].count  makes 110000 hosts in all, more than the ${LIMITS.hostsPerPlan} a plan may have`,
  ]);
});

test('refuses a group whose instances pass the plan\'s total, at its instances', () => {
  const instances = Array.from({ length: 25 }, (_, index) => `{name: "vm${index}-{n}", flavor: m1}`).join(', ');
  assert.deepEqual(errorsOf(`version: 1
hosts:
  - {name: "cmp-{n}", count: 90000, vcpus: 8, memory_mb: 16384, local_gb: 100, instances: [${instances}]}
flavors:
  - {name: m1, vcpus: 1, memory_mb: 1024, root_gb: 10}
`), [
    `plan.yaml:3:91  hosts[0].instances  puts 2250000 instances on hosts, 2250000 in all, more than the ${LIMITS.instancesOnHosts} a plan may have`,
  ]);
});

test('refuses a group whose details (here, aggregate labels) copied to every host pass the plan\'s total', () => {
  const labels = Array.from({ length: 250 }, (_, index) => `az${index}`).join(', ');
  assert.deepEqual(errorsOf(`version: 1
hosts:
  - {name: "cmp-{n}", count: 100000, vcpus: 8, memory_mb: 16384, local_gb: 100, aggregates: [${labels}]}
`), [
    `plan.yaml:3:5  hosts[0]  describes 25100000 host details (CPUs, siblings, cells, pools, labels, filters, instances), 25100000 in all, more than the ${LIMITS.hostDetails} a plan may have`,
  ]);
});

test('keeps the CPUs a cell repeats out of the host, so no host holds more than the largest CPU id allows', () => {
  const cells = Array.from({ length: 200 }, (_, id) => `{id: ${id}, cpus: "0-4095", memory_mb: 1024}`).join(', ');
  const errors = errorsOf(`version: 1
hosts:
  - {name: "cmp-{n}", count: 1000, vcpus: 8, memory_mb: 16384, local_gb: 100, numa: [${cells}]}
`);
  assert.equal(errors.length, 199);
  assert.match(errors[0], /hosts\[0\]\.numa\[1\]\.cpus {2}CPUs 0-4095 are already in numa\[0\]\.cpus$/);
});

test('refuses the request that takes the plan past its total, before making a name, and reads no further', () => {
  // Names the schema refuses count without being walked, so ten million cost nothing here.
  const unnamed = Array.from({ length: 10 }, () => `  - {build: m1, count: ${LIMITS.buildsPerRequest}, name: web}\n`).join('');
  const errors = errorsOf(`${MINIMAL}requests:\n${unnamed}  - {build: m1, count: 2, name: "more-{n}"}\n  - {build: m2}\n`);
  assert.equal(errors.length, 11);
  assert.equal(errors[9], 'plan.yaml:16:39  requests[9].name  must contain `{n}` to name 1000000 copies apart');
  assert.equal(errors[10], `plan.yaml:17:24  requests[10].count  takes the plan to 10000002 requests, more than the ${LIMITS.requestsPerPlan} a plan may replay`);
});

test('shows the request that takes a trace past the plan\'s total even after a hundred other problems', () => {
  const lines = [
    ...Array.from({ length: 150 }, () => '{"biuld": "m1"}'),
    ...Array.from({ length: 10 }, () => `{"build": "m1", "count": ${LIMITS.buildsPerRequest}, "name": "web"}`),
    '{"build": "m1", "count": 2, "name": "x-{n}"}',
    '{"build": "m2"}',
  ];
  const errors = errorsOf({ 'plan.yaml': `${MINIMAL}requests: {file: trace.ndjson}\n`, 'trace.ndjson': lines.join('\n') });
  // Each unreadable line counts as one request; the tenth million passes the total, and nothing after it is read.
  assert.deepEqual(errors.slice(100), [
    'trace.ndjson:159:43  and 59 more problems in this trace, the last one here',
    `trace.ndjson:160:26  requests[159].count  takes the plan to 10000150 requests, more than the ${LIMITS.requestsPerPlan} a plan may replay`,
  ]);
});

test('refuses a trace line longer than the limit without parsing it, and reads on', () => {
  const long = JSON.stringify({ build: 'm1', name: 'x'.repeat(LIMITS.traceLineLength) });
  assert.deepEqual(errorsOf({ 'plan.yaml': `${MINIMAL}requests: {file: trace.ndjson}\n`, 'trace.ndjson': `${long}\n{"build": "m2"}\n` }), [
    `trace.ndjson:1:1  requests[0]  is ${long.length} characters long; a trace line holds one request, at most ${LIMITS.traceLineLength}`,
    'trace.ndjson:2:11  requests[1].build  unknown flavor `m2`',
  ]);
});

test('shows a trace\'s first hundred problems, counts the rest without locating them, and locates the last', () => {
  const lines = Array.from({ length: 5000 }, (_, index) => (index % 2 === 0 ? '{"build": "m1", "nmae": "x"}' : '{"delete": "gone"}'));
  const errors = errorsOf({ 'plan.yaml': `${MINIMAL}requests: {file: trace.ndjson}\n`, 'trace.ndjson': lines.join('\n') });
  assert.equal(errors.length, 101);
  assert.equal(errors[100], 'trace.ndjson:5000:12  and 4900 more problems in this trace, the last one here');
});

test('bounds names, their padding and every integer amount', () => {
  const long = 'n'.repeat(LIMITS.nameLength + 1);
  assert.deepEqual(errorsOf(`version: 1
hosts:
  - {name: "cmp-{n:010}", count: 2, vcpus: 2147483648, memory_mb: 16384, local_gb: 100, aggregates: [${long}]}
flavors:
  - {name: m1, vcpus: 2147483648, memory_mb: 1024, root_gb: 10}
requests:
  - {build: m1, name: ${long}}
`), [
    'plan.yaml:3:12  hosts[0].name  pads `{n:010}` to 10 digits; at most 9 are allowed',
    'plan.yaml:3:44  hosts[0].vcpus  must be at most 2147483647',
    `plan.yaml:3:102  hosts[0].aggregates[0]  must be at most ${LIMITS.nameLength} characters long`,
    'plan.yaml:5:23  flavors[0].vcpus  must be at most 2147483647',
    `plan.yaml:7:23  requests[0].name  must be at most ${LIMITS.nameLength} characters long`,
  ]);
});

test('a plan at the limits is accepted: a full group of the widest padding and the longest names', () => {
  const name = `${'h'.repeat(LIMITS.nameLength - '{n:09}'.length)}{n:09}`;
  const plan = planOf(`version: 1
hosts:
  - {name: "${name}", count: ${LIMITS.hostsPerGroup}, vcpus: 8, memory_mb: 16384, local_gb: 100}
flavors:
  - {name: m1, vcpus: ${LIMITS.integer}, memory_mb: 1024, root_gb: 10}
`);
  assert.equal(plan.cloud.hosts.length, LIMITS.hostsPerGroup);
  assert.equal(plan.cloud.hosts[0].name, `${'h'.repeat(LIMITS.nameLength - '{n:09}'.length)}000000001`);
});

test('accepts a flavor of 100,000 vCPUs, as Nova\'s test_cpu_unlimited builds one, and claims it where vCPUs are unlimited', () => {
  const run = runCli(['replay', '-', '-f', 'json'], { input: `version: 1
hosts:
  - {name: cmp-1, vcpus: 8, memory_mb: 16384, local_gb: 100}
flavors:
  - {name: huge, vcpus: 100000, memory_mb: 1024, root_gb: 10}
  - {name: widest, vcpus: ${LIMITS.integer}, memory_mb: 1024, root_gb: 10}
requests:
  - {build: huge, name: a}
  - {build: widest, name: b}
` });
  assert.equal(run.stderr, '');
  assert.deepEqual(JSON.parse(run.stdout).decisions.map((d: { result: string }) => d.result), ['claimed', 'claimed']);
});

test('bounds a flavor\'s vCPUs where Nova builds them one by one: a NUMA topology, CPU pinning or a CPU mask', () => {
  const started = process.cpuUsage();
  assert.deepEqual(errorsOf(`version: 1
flavors:
  - {name: pinned, vcpus: ${LIMITS.integer}, memory_mb: 1024, root_gb: 10, extra_specs: {hw:cpu_policy: dedicated}}
  - {name: cells, vcpus: 4097, memory_mb: 1024, root_gb: 10, extra_specs: {hw:numa_nodes: 1}}
  - {name: masked, vcpus: 5000, memory_mb: 1024, root_gb: 10, extra_specs: {hw:cpu_policy: mixed, hw:cpu_dedicated_mask: "^0"}}
  - {name: widest-cells, vcpus: 4096, memory_mb: 1024, root_gb: 10, extra_specs: {hw:numa_nodes: 1}}
`).map((line) => line.replace(/, which no host.*/, '')), [
    `plan.yaml:3:82  flavors[0].extra_specs  asks for a NUMA topology, CPU pinning or a CPU mask for ${LIMITS.integer} vCPUs`,
    'plan.yaml:4:75  flavors[1].extra_specs  asks for a NUMA topology, CPU pinning or a CPU mask for 4097 vCPUs',
    'plan.yaml:5:76  flavors[2].extra_specs  asks for a NUMA topology, CPU pinning or a CPU mask for 5000 vCPUs',
  ]);
  const { user, system } = process.cpuUsage(started);
  assert.ok(user + system < 2_000_000, `took ${(user + system) / 1000} ms of CPU`);
});
