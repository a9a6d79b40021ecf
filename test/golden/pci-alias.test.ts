// Plans Nova accepts although a PCI alias in them leads nowhere (docs/plan-format.md,
// "What is not an error"): `validate` passes them with a warning, and `replay` decides
// their builds as Nova does. Reports are compared whole with reviewed copies in
// test/fixtures/golden/; UPDATE_GOLDEN=1 rewrites the copies.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { assertMatchesGoldenIn } from '../golden-file.ts';
import { PROJECT_ROOT, runCli } from '../run-cli.ts';

const GOLDEN = join(PROJECT_ROOT, 'test/fixtures/golden');
const matchesGolden = (name: string, actual: string) => assertMatchesGoldenIn(GOLDEN, name, actual);

const UNUSED = 'test/fixtures/pci-alias-unused.yaml';
const UNDEFINED = 'test/fixtures/pci-alias-undefined.yaml';
const UNUSED_WARNING =
  `${UNUSED}:48:5  pci_aliases[1]  warning: alias \`t4\` (10de:1eb8) matches no PCI pool on any host; ` +
  'builds asking for it will fail the PCI claim';
const UNDEFINED_WARNING =
  `${UNDEFINED}:27:44  flavors[2].extra_specs.pci_passthrough:alias  warning: names PCI alias \`gpu\`, ` +
  'which pci_aliases does not define; Nova refuses each build of this flavor: PCI alias gpu is not defined';

interface Decision {
  instance: string;
  host: string | null;
  result: string;
  reasons: string[];
  message: string | null;
  causes: { cause: string; hosts: number; closest: unknown }[] | null;
  attempts: { host: string; reasons: string[] }[] | null;
}

function decisionsOf(stdout: string): Map<string, Decision> {
  const { decisions } = JSON.parse(stdout) as { decisions: Decision[] };
  return new Map(decisions.map((decision) => [decision.instance, decision]));
}

for (const [plan, warning] of [[UNUSED, UNUSED_WARNING], [UNDEFINED, UNDEFINED_WARNING]]) {
  test(`validates ${plan} with exit 0 and one located warning on standard error`, () => {
    const run = runCli(['validate', plan]);
    assert.equal(run.status, 0, run.stderr);
    const lines = run.stderr.split('\n');
    assert.deepEqual(lines.filter((line) => line.includes('warning:')), [warning]);
    assert.match(run.stderr, /: valid \(/);
  });
}

for (const format of ['table', 'json']) {
  test(`replays the plan with an alias no host has as ${format}, byte for byte as reviewed`, () => {
    const run = runCli(['replay', UNUSED, '-f', format]);
    assert.equal(run.status, 0, run.stderr);
    assert.ok(run.stderr.includes(UNUSED_WARNING), run.stderr);
    matchesGolden(`pci-alias-unused.${format}`, run.stdout);
  });

  test(`replays the plan with a flavor naming an undefined alias as ${format}, byte for byte as reviewed`, () => {
    const run = runCli(['replay', UNDEFINED, '-f', format]);
    assert.equal(run.status, 0, run.stderr);
    assert.ok(run.stderr.includes(UNDEFINED_WARNING), run.stderr);
    matchesGolden(`pci-alias-undefined.${format}`, run.stdout);
  });
}

test('fails the PCI claim of a build asking for the unmatched alias on a named host, and finds no host when scheduled', () => {
  const decisions = decisionsOf(runCli(['replay', UNUSED, '-f', 'json', '--explain']).stdout);
  assert.deepEqual(decisions.get('infer-1')?.reasons, ['Claim pci failed.']);
  assert.deepEqual(decisions.get('infer-2')?.reasons, [
    'Requested instance NUMA topology together with requested PCI devices cannot fit the given host NUMA topology',
    'Claim pci failed.',
  ]);
  const scheduled = decisions.get('infer-3');
  assert.equal(scheduled?.host, null);
  assert.equal(scheduled?.message, 'No valid host was found. There are not enough hosts available.');
  assert.deepEqual(scheduled?.causes, [{ cause: 'pci', hosts: 3, closest: null }]);
  assert.deepEqual(
    scheduled?.attempts?.map((attempt) => attempt.reasons),
    [['Claim pci failed.'], ['Claim pci failed.'], ['Claim pci failed.']],
  );
  assert.deepEqual(['train-1', 'train-2'].map((name) => decisions.get(name)?.result), ['claimed', 'claimed']);
});

test('rejects each build of a flavor naming an undefined alias with Nova\'s text and no host, and replays the rest', () => {
  const decisions = decisionsOf(runCli(['replay', UNDEFINED, '-f', 'json']).stdout);
  for (const name of ['job-1', 'job-2']) {
    const { host, result, reasons, message } = decisions.get(name)!;
    assert.deepEqual({ host, result, reasons, message }, {
      host: null,
      result: 'rejected',
      reasons: ['PCI alias gpu is not defined'],
      message: 'PCI alias gpu is not defined',
    });
  }
  assert.deepEqual(['web-1', 'train-1'].map((name) => decisions.get(name)?.result), ['claimed', 'claimed']);
});
