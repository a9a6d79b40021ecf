// Importing what Nova's scheduler reads beyond capacity: aggregates with their zones and
// metadata, compute services' disabled and down states, hypervisor types and versions
// (docs/import.md). The plan is written with the plan's `aggregates:` and hosts'
// `hypervisor_type`/`hypervisor_version` here whatever keys this build's schema has, so
// the emitted text is checked on its own; test/fixtures/import/expected/ holds the copy.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assembledPlanText } from './import-text.ts';
import { assertMatchesGoldenIn } from '../../golden-file.ts';
import { PROJECT_ROOT, runCli } from '../../run-cli.ts';

const OSC = 'test/fixtures/import/osc';
const NOVA = 'test/fixtures/import/published/nova';
const EXPECTED = join(PROJECT_ROOT, 'test/fixtures/import/expected');

test('writes zoned aggregates with their metadata and members, and disabled and down services, as the plan reviewed', () => {
  const { text, warnings } = assembledPlanText([`${OSC}/hypervisors-show.json`, `${OSC}/flavors.json`, `${OSC}/aggregates-list.json`, `${OSC}/compute-services.json`]);
  assertMatchesGoldenIn(EXPECTED, 'import.zones-services.yaml', text);
  assert.ok(!warnings.some((warning) => warning.includes('has no place in a plan')), 'metadata is written, not warned about');
  assert.ok(warnings.some((warning) => warning.includes("`cmp-002.example.net`'s compute service is disabled")));
  assert.ok(warnings.some((warning) => warning.includes("`gpu-001.example.net`'s compute service is down")));
});

test("reads GET /os-services as published: a nova-compute service's state joins its host's, other binaries are ignored", () => {
  const { plan, warnings } = assembledPlanText([`${NOVA}/hypervisors-detail-2.53.json`, `${NOVA}/flavors-detail-2.61.json`, `${NOVA}/services-list-2.53.json`, `${NOVA}/aggregates-list-2.41.json`]);
  const hosts = plan.hosts as { name: string; disabled?: boolean; down?: boolean; hypervisor_type?: string; hypervisor_version?: number }[];
  // The sample's hypervisor runs on service host host1, whose nova-compute is disabled; host2's has no hypervisor.
  assert.deepEqual(hosts.map(({ name, disabled, down, hypervisor_type, hypervisor_version }) => ({ name, disabled, down, hypervisor_type, hypervisor_version })), [
    { name: 'fake-mini', disabled: true, down: undefined, hypervisor_type: 'fake', hypervisor_version: 1000 },
  ]);
  assert.ok(warnings.some((warning) => warning.includes('compute service host `host2` is no host of the exports')));
  assert.deepEqual(plan.aggregates, [{ name: 'name', availability_zone: 'london', hosts: [] }]);
});

/** `replay -f json`'s decisions, as far as this test reads them. */
interface Decision {
  instance: string;
  host: string | null;
  result: string;
}

test(
  'an imported cloud with disabled and down services and zoned aggregates replays with those hosts taking no builds and builds kept to their zones',
  () => {
    const scratch = mkdtempSync(join(tmpdir(), 'claimplan-zones-'));
    const plan = join(scratch, 'plan.yaml');
    const imported = runCli(['import', `${OSC}/hypervisors-show.json`, `${OSC}/flavors.json`, `${OSC}/aggregates-list.json`, `${OSC}/compute-services.json`, '-o', plan]);
    assert.equal(imported.status, 0, imported.stderr);
    const requests = ['requests:', '  - {build: m1.small, name: "az1-{n}", count: 6, availability_zone: az1}', '  - {build: m1.small, name: az2-1, availability_zone: az2}', '  - {build: m1.small, name: "anywhere-{n}", count: 3}'];
    writeFileSync(plan, readFileSync(plan, 'utf8').replace('requests: []', requests.join('\n')));
    const run = runCli(['replay', plan, '-f', 'json']);
    assert.ok(run.status === 0 || run.status === 1, run.stderr);
    const decisions = (JSON.parse(run.stdout) as { decisions: Decision[] }).decisions;
    // cmp-002 is disabled and gpu-001 down: only cmp-001 takes builds, az1's and the unzoned.
    assert.deepEqual(new Set(decisions.filter((decision) => decision.result === 'claimed').map((decision) => decision.host)), new Set(['cmp-001.example.net']));
    assert.deepEqual(decisions.filter((decision) => decision.instance.startsWith('az1-')).map((decision) => decision.host), Array(6).fill('cmp-001.example.net'));
    // az2's only host is down: its build finds no host.
    assert.deepEqual(decisions.filter((decision) => decision.instance === 'az2-1').map((decision) => [decision.host, decision.result]), [[null, 'rejected']]);
  },
);
