// Importing what Nova's scheduler reads beyond capacity: aggregates with their zones and
// metadata, compute services' disabled and down states, hypervisor types and versions
// (docs/import.md). The plan is written with SPEC's `aggregates:` and hosts'
// `hypervisor_type`/`hypervisor_version` here whatever keys this build's schema has, so
// the emitted text is checked on its own; test/fixtures/import/expected/ holds the copy.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { assembledPlanText } from './import-text.ts';
import { assertMatchesGoldenIn } from '../golden-file.ts';
import { PROJECT_ROOT } from '../run-cli.ts';

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
