import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadHistory, parseIsoTime } from '../../src/plan/history.ts';
import { formatPlanError } from '../../src/plan/load.ts';
import { importExports } from '../../src/plan/import/exports.ts';

const FLAVORS = ['m1.small', 'm1.large'];

/** Writes `text` as `name` in a fresh folder and loads it as a history; messages with the folder left out. */
function load(name: string, text: string) {
  const directory = mkdtempSync(join(tmpdir(), 'claimplan-history-'));
  writeFileSync(join(directory, name), text);
  const result = loadHistory([join(directory, name)], FLAVORS, () => '');
  const shown = (errors: Parameters<typeof formatPlanError>[0][]) => errors.map((error) => formatPlanError(error).split(`${directory}/`).join(''));
  return result.ok ? { lifecycles: result.value.lifecycles, warnings: shown(result.value.warnings), errors: [] } : { lifecycles: [], warnings: [], errors: shown(result.error) };
}

test('ISO 8601 times: dates, times with or without seconds and fractions, UTC unless an offset says', () => {
  assert.equal(parseIsoTime('2026-03-01'), Date.UTC(2026, 2, 1));
  assert.equal(parseIsoTime('2026-03-01T12:30'), Date.UTC(2026, 2, 1, 12, 30));
  assert.equal(parseIsoTime('2026-03-01T12:30:15.541277'), Date.UTC(2026, 2, 1, 12, 30, 15, 541));
  assert.equal(parseIsoTime('2026-03-01 12:30:15Z'), Date.UTC(2026, 2, 1, 12, 30, 15));
  assert.equal(parseIsoTime('2026-03-01T12:30:00+02:00'), Date.UTC(2026, 2, 1, 10, 30));
  assert.equal(parseIsoTime('2026-02-30'), null);
  assert.equal(parseIsoTime('yesterday'), null);
});

test('NDJSON lifecycles: no end is still running', () => {
  const { lifecycles, errors } = load('history.ndjson', '{"instance": "a", "flavor": "m1.small", "start": "2026-01-01T00:00:00Z", "end": "2026-01-03T00:00:00Z", "project": "p1"}\n\n{"instance": "b", "flavor": "m1.large", "start": "2026-01-02", "availability_zone": "az1"}\n');
  assert.deepEqual(errors, []);
  assert.deepEqual(lifecycles, [
    { instance: 'a', flavor: 'm1.small', start: Date.UTC(2026, 0, 1), end: Date.UTC(2026, 0, 3), project: 'p1', availability_zone: null },
    { instance: 'b', flavor: 'm1.large', start: Date.UTC(2026, 0, 2), end: null, project: null, availability_zone: 'az1' },
  ]);
});

test('NDJSON lifecycles: each bad line located by line, column and path, all of them reported', () => {
  const { errors } = load(
    'history.ndjson',
    ['{"instance": "a", "flavour": "m1.small", "start": "2026-01-01"}', '{"instance": "b", "flavor": "m1.small", "start": "soon"}', '{"instance": "c", "flavor": "m1.small", "start": "2026-01-05", "end": "2026-01-04"}', '{"instance": "d",', '[1]'].join('\n'),
  );
  assert.deepEqual(errors, [
    'history.ndjson:1:19  lifecycles[0].flavour  unknown key; did you mean `flavor`?',
    'history.ndjson:1:1  lifecycles[0].flavor  is required',
    'history.ndjson:2:50  lifecycles[1].start  must be an ISO 8601 time (2026-03-01T12:00:00Z), not "soon"',
    'history.ndjson:3:71  lifecycles[2].end  is before start',
    'history.ndjson:4:18  expected a "quoted" key, found the end of the text',
    'history.ndjson:5:1  lifecycles[4]  must be an object: {instance, flavor, start, end?, project?, availability_zone?}',
  ]);
});

test('CSV lifecycles with a header row; quoted fields; an empty end is still running', () => {
  const { lifecycles, errors } = load('history.csv', 'instance,flavor,start,end\n"web, 1",m1.small,2026-01-01T00:00:00Z,\nweb-2,m1.small,2026-01-01,2026-01-02\n');
  assert.deepEqual(errors, []);
  assert.deepEqual(
    lifecycles.map((life) => [life.instance, life.end]),
    [
      ['web, 1', null],
      ['web-2', Date.UTC(2026, 0, 2)],
    ],
  );
});

test('CSV: an unknown column and a bad row are located', () => {
  assert.deepEqual(load('history.csv', 'instance,flavr,start\n').errors, [
    'history.csv:1:10  unknown column "flavr"; did you mean `flavor`?; a history\'s columns are instance, flavor, start, end, project, availability_zone',
    'history.csv:1:1  has no flavor column',
  ]);
  assert.deepEqual(load('history.csv', 'instance,flavor,start\na,m1.small\nb,m1.small,2026-13-01\n').errors, [
    'history.csv:2:1  lifecycles[0]  has 2 fields; the header has 3',
    'history.csv:3:12  lifecycles[1].start  must be an ISO 8601 time (2026-03-01T12:00:00Z), not "2026-13-01"',
  ]);
});

const TENANT_USAGE = {
  tenant_usages: [
    {
      tenant_id: 'p1',
      server_usages: [
        { instance_id: 'u1', name: 'web-1', flavor: 'm1.small', started_at: '2026-01-01T10:00:00.000000', ended_at: '2026-01-02T10:00:00.000000', state: 'terminated', tenant_id: 'p1', hours: 24, memory_mb: 2048, local_gb: 20, vcpus: 1, uptime: 86400 },
        { instance_id: 'u2', name: 'web-2', flavor: 'm1.large', started_at: '2026-01-01T11:00:00.000000', ended_at: null, state: 'active', tenant_id: 'p1', hours: 10, memory_mb: 8192, local_gb: 80, vcpus: 4, uptime: 36000 },
        { instance_id: 'u3', name: 'never', flavor: 'm1.large', started_at: null, ended_at: null, state: 'error', tenant_id: 'p1', hours: 0, memory_mb: 8192, local_gb: 80, vcpus: 4, uptime: 0 },
        { instance_id: 'u4', name: 'old', flavor: '', started_at: '2026-01-01T11:00:00', ended_at: null, state: 'active', tenant_id: 'p1', hours: 1, memory_mb: 1, local_gb: 1, vcpus: 1, uptime: 1 },
        { instance_id: 'u5', name: 'gpu', flavor: 'g1.big', started_at: '2026-01-01T11:00:00', ended_at: null, state: 'active', tenant_id: 'p1', hours: 1, memory_mb: 1, local_gb: 1, vcpus: 1, uptime: 1 },
      ],
    },
    { tenant_id: 'p2', server_usages: [{ instance_id: 'u1', name: 'web-1', flavor: 'm1.small', started_at: '2026-01-01T10:00:00', ended_at: '2026-01-02T10:00:00', state: 'terminated', tenant_id: 'p1' }] },
  ],
};

test("Nova's os-simple-tenant-usage body is recognised by its content: names, flavors, launch and termination times", () => {
  const { lifecycles, warnings, errors } = load('usage.txt', JSON.stringify(TENANT_USAGE, null, 2));
  assert.deepEqual(errors, []);
  assert.deepEqual(lifecycles, [
    { instance: 'web-1', flavor: 'm1.small', start: Date.UTC(2026, 0, 1, 10), end: Date.UTC(2026, 0, 2, 10), project: 'p1', availability_zone: null },
    { instance: 'web-2', flavor: 'm1.large', start: Date.UTC(2026, 0, 1, 11), end: null, project: 'p1', availability_zone: null },
  ]);
  assert.deepEqual(warnings, ['usage.txt:51:21  tenant_usages[0].server_usages[3].flavor  2 lifecycles of flavors the plan lacks left out of the forecast: a deleted flavor ("") (1), g1.big (1)']);
});

test("a bad time in Nova's body is located at Nova's own key", () => {
  const body = { tenant_usage: { tenant_id: 'p1', server_usages: [{ instance_id: 'u1', name: 'a', flavor: 'm1.small', started_at: 'then', ended_at: null }] } };
  assert.deepEqual(load('usage.json', JSON.stringify(body)).errors, ['usage.json:1:116  tenant_usage.server_usages[0].started_at  must be an ISO 8601 time (2026-03-01T12:00:00Z), not "then"']);
});

test('import recognises a tenant-usage body and says it is a history for forecast', () => {
  const directory = mkdtempSync(join(tmpdir(), 'claimplan-history-'));
  writeFileSync(join(directory, 'usage.json'), JSON.stringify(TENANT_USAGE));
  const result = importExports([join(directory, 'usage.json')], () => '');
  assert.ok(!result.ok);
  assert.match(formatPlanError(result.error[0]), /GET \/os-simple-tenant-usage\?detailed=1`, the history of the cloud's instances: give it to `claimplan forecast --history`/);
});
