import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatFloatRepr } from '../../src/engine/core/python-format.ts';
import { formatPlanError, loadPlan, type LoadResult } from '../../src/plan/load.ts';
import { parseIni } from '../../src/plan/nova-conf/ini.ts';
import { readNovaConf } from '../../src/plan/nova-conf/read.ts';
import { sortPlanErrors } from '../../src/plan/errors.ts';

/** Every modelled option the files set, as `[group] name` → value; and the problems, formatted. */
function read(...texts: string[]): { values: Record<string, unknown>; problems: string[] } {
  const reading = readNovaConf(texts.map((text, index) => ({ file: `nova-${index + 1}.conf`, text })));
  const values: Record<string, unknown> = {};
  for (const { option, value, origin } of reading.options) if (origin !== null) values[`[${option.group}] ${option.name}`] = value;
  return { values, problems: sortPlanErrors(reading.problems, []).map(formatPlanError) };
}

/** Loads plan.yaml from a fresh directory holding `files`; --nova-conf names are relative to it. */
function load(files: Record<string, string>, novaConf: string[] = [], settingOverrides: string[] = []): { result: LoadResult; directory: string } {
  const directory = mkdtempSync(join(tmpdir(), 'claimplan-nova-conf-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(directory, name), text);
  const result = loadPlan([join(directory, 'plan.yaml')], { novaConfPaths: novaConf.map((name) => join(directory, name)), settingOverrides });
  return { result, directory };
}

function loadedSettings(files: Record<string, string>, novaConf: string[] = [], settingOverrides: string[] = []) {
  const { result } = load(files, novaConf, settingOverrides);
  assert.ok(result.ok, result.ok ? '' : result.error.map(formatPlanError).join('\n'));
  return result.value.cloud;
}

function loadErrors(files: Record<string, string>, novaConf: string[] = []): string[] {
  const { result, directory } = load(files, novaConf);
  assert.ok(!result.ok, 'expected the load to fail');
  return result.error.map((error) => formatPlanError(error).split(`${directory}/`).join(''));
}

const PLAN = 'version: 1\nhosts:\n  - {name: cmp-1, vcpus: 8, memory_mb: 16384, local_gb: 100}\n';

test('parses oslo.config INI: `=` or `:` whichever comes first, quotes taken off, continuation lines joined until a blank line', () => {
  const { assignments, problems } = parseIni('[DEFAULT]\na = 1\nb: x=y\nc = "quoted"\nd = one,\n  two,\n\ttwo-b\n\n  \n#e = 5\n;f = 6\n[Filter_Scheduler]\ng=7\n');
  assert.deepEqual(problems, []);
  assert.deepEqual(
    assignments.map(({ group, key, value, line, column }) => [group, key, value, line, column]),
    [
      ['DEFAULT', 'a', '1', 2, 5],
      ['DEFAULT', 'b', 'x=y', 3, 4],
      ['DEFAULT', 'c', 'quoted', 4, 6],
      ['DEFAULT', 'd', 'one,\ntwo,\ntwo-b', 5, 5],
      ['filter_scheduler', 'g', '7', 13, 3],
    ],
  );
});

test("refuses the lines oslo.config's parser refuses, in its words, and reads on", () => {
  const { problems } = parseIni('a = 1\n[DEFAULT]\nno separator\n[unclosed\n[]\n= value\n\n  indented\nb = 2\n');
  assert.deepEqual(
    problems.map(({ line, message }) => `${line} ${message}`),
    [
      // Known only once the assignment ends, on the line that ends it, as oslo.config reports it.
      '2 Section must be started before assignment',
      "3 No ':' or '=' found in assignment",
      '4 Invalid section (must end with ])',
      '5 Empty section name',
      '6 Key cannot be empty',
      '8 Unexpected continuation line',
    ],
  );
});

test('a later file wins; within a file the last of repeated keys, and the current name over a deprecated one', () => {
  const { values } = read('[filter_scheduler]\nhost_subset_size = 2\nhost_subset_size = 3\n', '[filter_scheduler]\nhost_subset_size = 4\n[DEFAULT]\nram_allocation_ratio = 1.0\n');
  assert.equal(values['[filter_scheduler] host_subset_size'], 4);
  assert.equal(values['[DEFAULT] ram_allocation_ratio'], 1);
  const sections = read('[FILTER_SCHEDULER]\nhost_subset_size = 5\n[default]\nram_allocation_ratio = 2\n');
  // Group names are lower-cased, but DEFAULT only matches itself.
  assert.deepEqual(sections.values, { '[filter_scheduler] host_subset_size': 5 });
});

test('[pci] alias keeps every value, oldest file first, the deprecated [DEFAULT] pci_alias before [pci] alias within a file', () => {
  const { values } = read('[pci]\nalias = {"name": "b"}\n[DEFAULT]\npci_alias = {"name": "a"}\n', '[pci]\nalias = {"name": "c"}\nalias = {"name": "d"}\n');
  assert.deepEqual(values['[pci] alias'], ['{"name": "a"}', '{"name": "b"}', '{"name": "c"}', '{"name": "d"}']);
});

test("converts values with oslo's types: booleans in every spelling, Python's numbers, lists, blank numbers as None", () => {
  const { values, problems } = read(
    '[filter_scheduler]\nshuffle_best_same_weighed_hosts = ON\nrestrict_isolated_hosts_to_isolated_images = no\nmax_io_ops_per_host = 1_000\n' +
      'ram_weight_multiplier = -1e1\ncpu_weight_multiplier = inf\nenabled_filters = A,, B ,\nisolated_images =\n[DEFAULT]\ncpu_allocation_ratio =\nreserved_host_memory_mb = +42\n',
  );
  assert.deepEqual(problems, []);
  assert.deepEqual(values, {
    '[filter_scheduler] shuffle_best_same_weighed_hosts': true,
    '[filter_scheduler] restrict_isolated_hosts_to_isolated_images': false,
    '[filter_scheduler] max_io_ops_per_host': 1000,
    '[filter_scheduler] ram_weight_multiplier': -10,
    '[filter_scheduler] cpu_weight_multiplier': Infinity,
    '[filter_scheduler] enabled_filters': ['A', '', 'B'],
    '[filter_scheduler] isolated_images': [],
    '[DEFAULT] cpu_allocation_ratio': null,
    '[DEFAULT] reserved_host_memory_mb': 42,
  });
});

test('a modelled option with a value its type refuses is one located problem, naming the option as the file does', () => {
  const { problems } = read('[filter_scheduler]\nhost_subset_size = 0\nshuffle_best_same_weighed_hosts = sure\npci_weight_multiplier = -1\n[DEFAULT]\nreserved_host_disk_mb = 1.5\n[Filter_Scheduler]\nmax_instances_per_host: 5.0\n');
  assert.deepEqual(problems, [
    'nova-1.conf:2:20  [filter_scheduler] host_subset_size  must be an integer >= 1',
    'nova-1.conf:3:35  [filter_scheduler] shuffle_best_same_weighed_hosts  must be true or false (or yes/no, on/off, 1/0)',
    'nova-1.conf:4:25  [filter_scheduler] pci_weight_multiplier  must be a number >= 0',
    'nova-1.conf:6:25  [DEFAULT] reserved_host_disk_mb  must be an integer >= 0',
    'nova-1.conf:8:25  [Filter_Scheduler] max_instances_per_host  must be an integer >= 1',
  ]);
});

test('substitutes $name, ${name} and $group.name as oslo.config does, with Python str() of the value; $$ and \\$ are a dollar', () => {
  const { values, problems } = read(
    '[DEFAULT]\ninitial_cpu_allocation_ratio = 8\ncpu_allocation_ratio = $initial_cpu_allocation_ratio\ndefault_availability_zone = az-$$1-\\$2\n' +
      '[filter_scheduler]\nhost_subset_size = ${scheduler.max_placement_results}\nisolated_hosts = $reserved_host_memory_mb,x\n[scheduler]\nmax_placement_results = 7\n',
  );
  assert.deepEqual(problems, []);
  assert.equal(values['[DEFAULT] cpu_allocation_ratio'], 8);
  assert.equal(values['[DEFAULT] default_availability_zone'], 'az-$1-$2');
  assert.equal(values['[filter_scheduler] host_subset_size'], 7);
  // Not set in the file: Nova's default, 512.
  assert.deepEqual(values['[filter_scheduler] isolated_hosts'], ['512', 'x']);
  const floats = read('[DEFAULT]\ndefault_availability_zone = $ram_allocation_ratio\nram_allocation_ratio = 2\n');
  assert.equal(floats.values['[DEFAULT] default_availability_zone'], '2.0');
});

test('a reference claimplan cannot resolve, or one that loops, is a located problem rather than a guess', () => {
  const { problems } = read('[DEFAULT]\nreserved_host_memory_mb = $my_ip\ncpu_allocation_ratio = $DEFAULT.ram_allocation_ratio\n[filter_scheduler]\nhost_subset_size = $max_io_ops_per_host\nmax_io_ops_per_host = $host_subset_size\n');
  assert.deepEqual(problems, [
    'nova-1.conf:2:27  [DEFAULT] reserved_host_memory_mb  refers to `$my_ip`, an option claimplan does not read; write its value here instead',
    'nova-1.conf:3:24  [DEFAULT] cpu_allocation_ratio  refers to `$DEFAULT.ram_allocation_ratio`; oslo.config finds no group DEFAULT there: write `$ram_allocation_ratio`',
    'nova-1.conf:5:20  [filter_scheduler] host_subset_size  refers to `$max_io_ops_per_host`, which cannot be read',
    'nova-1.conf:6:23  [filter_scheduler] max_io_ops_per_host  refers to `$host_subset_size`, which refers back to it',
  ]);
});

test("prints floats as Python's repr does", () => {
  assert.deepEqual([16, 0.1, 1e16, 1.5e-5, 123456789.125, -0, 1e-4, 2.5e22].map(formatFloatRepr), ['16.0', '0.1', '1e+16', '1.5e-05', '123456789.125', '-0.0', '0.0001', '2.5e+22']);
});

test('nova.conf becomes the cloud settings under the plan: its cloud: wins over nova.conf, and --set over both', () => {
  const conf = '[DEFAULT]\ncpu_allocation_ratio = 4.0\nram_allocation_ratio = 1.25\nreserved_host_memory_mb = 4096\n[filter_scheduler]\nhost_subset_size = 3\n';
  const plan = `${PLAN}cloud:\n  ram_allocation_ratio: 1.0\n`;
  const settings = loadedSettings({ 'plan.yaml': plan, 'nova.conf': conf }, ['nova.conf'], ['host_subset_size=5']).settings;
  assert.equal(settings.cpu_allocation_ratio, 4);
  assert.equal(settings.ram_allocation_ratio, 1);
  assert.equal(settings.reserved_host_memory_mb, 4096);
  assert.equal(settings.host_subset_size, 5);
});

test('nova_conf: names files relative to the plan, read before --nova-conf files, which win', () => {
  const directory = mkdtempSync(join(tmpdir(), 'claimplan-nova-conf-'));
  mkdirSync(join(directory, 'conf.d'));
  writeFileSync(join(directory, 'plan.yaml'), `${PLAN}nova_conf: [conf.d/base.conf]\n`);
  writeFileSync(join(directory, 'conf.d/base.conf'), '[filter_scheduler]\nhost_subset_size = 2\nshuffle_best_same_weighed_hosts = yes\n');
  writeFileSync(join(directory, 'override.conf'), '[filter_scheduler]\nhost_subset_size = 9\n');
  const result = loadPlan([join(directory, 'plan.yaml')], { novaConfPaths: [join(directory, 'override.conf')] });
  assert.ok(result.ok);
  assert.equal(result.value.cloud.settings.host_subset_size, 9);
  assert.equal(result.value.cloud.settings.shuffle_best_same_weighed_hosts, true);
  assert.ok(result.value.files.includes(join(directory, 'conf.d/base.conf')));
});

test('a nova_conf: file that cannot be read is located at the plan key naming it', () => {
  assert.deepEqual(loadErrors({ 'plan.yaml': `${PLAN}nova_conf: [missing.conf]\n` }).map((line) => line.replace(/`.*missing.conf`/, '`missing.conf`')), [
    'plan.yaml:4:13  nova_conf[0]  cannot read `missing.conf`: no such file',
  ]);
});

test('an unset or 0.0 ratio gives way to initial_*_allocation_ratio, as the resource tracker does', () => {
  const conf = '[DEFAULT]\ninitial_cpu_allocation_ratio = 4.0\nram_allocation_ratio = 0.0\ninitial_ram_allocation_ratio = 1.0\ninitial_disk_allocation_ratio = 2\ndisk_allocation_ratio = 1.5\n';
  const { settings } = loadedSettings({ 'plan.yaml': PLAN, 'nova.conf': conf }, ['nova.conf']);
  assert.deepEqual([settings.cpu_allocation_ratio, settings.ram_allocation_ratio, settings.disk_allocation_ratio], [4, 1, 1.5]);
});

test('resize_confirm_window confirms moves on its own when positive; [pci] alias becomes the PCI aliases; weight_classes its weighers', () => {
  const conf =
    '[DEFAULT]\nresize_confirm_window = 60\nallow_resize_to_same_host = True\n[pci]\nalias = {"name": " a100 ", "vendor_id": "10de", "product_id": "20b5", "numa_policy": "", "capability_type": "pci"}\n' +
    '[filter_scheduler]\nweight_classes = nova.scheduler.weights.ram.RAMWeigher,nova.scheduler.weights.cpu.CPUWeigher\n[metrics]\nweight_multiplier = 2\n';
  const cloud = loadedSettings({ 'plan.yaml': PLAN, 'nova.conf': conf }, ['nova.conf']);
  assert.equal(cloud.settings.auto_confirm_moves, true);
  assert.equal(cloud.settings.allow_resize_to_same_host, true);
  assert.deepEqual(cloud.settings.weight_classes, ['RAMWeigher', 'CPUWeigher']);
  assert.equal(cloud.settings.metrics_weight_multiplier, 2);
  assert.deepEqual(cloud.pci_aliases, [{ name: 'a100', vendor_id: '10de', product_id: '20b5', device_type: '', numa_policy: 'legacy' }]);
});

test("values the plan's settings refuse are located in nova.conf, under the option's own name", () => {
  const conf = '[filter_scheduler]\nenabled_filters = ComputeFilter,RamFliter\nweight_classes = nova.scheduler.weights.ram.RAMWiegher\n[DEFAULT]\nreserved_host_memory_mb = 9999999999\n[pci]\nalias = {"name": "x", "vendor_id": "10de"}\nalias = not json\n';
  assert.deepEqual(loadErrors({ 'plan.yaml': PLAN, 'nova.conf': conf }, ['nova.conf']), [
    'nova.conf:2:19  [filter_scheduler] enabled_filters  unknown filter `RamFliter`, in no Nova release from Pike to Zed; did you mean `RamFilter`?',
    'nova.conf:3:18  [filter_scheduler] weight_classes  unknown weigher `nova.scheduler.weights.ram.RAMWiegher`; did you mean `nova.scheduler.weights.ram.RAMWeigher`?; claimplan models Zed\'s in-tree weighers only',
    'nova.conf:5:27  [DEFAULT] reserved_host_memory_mb  must be at most 2147483647',
    'nova.conf:7:9  [pci] alias  missing `product_id`',
    'nova.conf:8:9  [pci] alias  is not valid JSON: Unexpected token \'o\', "not json" is not valid JSON',
  ]);
});

test('the real fixtures load with every option they set taken (test/fixtures/nova-conf/README.md)', () => {
  const fixtures = fileURLToPath(new URL('../fixtures/nova-conf/', import.meta.url));
  const loaded = (...names: string[]) => {
    const result = loadPlan([`${fixtures}plan.yaml`], { novaConfPaths: names.map((name) => `${fixtures}${name}`) });
    assert.ok(result.ok, result.ok ? '' : result.error.map(formatPlanError).join('\n'));
    assert.deepEqual(result.value.warnings, []);
    return result.value.cloud;
  };
  const osa = loaded('openstack-ansible-os_nova.nova.conf');
  assert.deepEqual(
    [osa.settings.cpu_allocation_ratio, osa.settings.ram_allocation_ratio, osa.settings.disk_allocation_ratio, osa.settings.reserved_host_memory_mb, osa.settings.reserved_host_disk_mb],
    [2, 1, 1, 2048, 2048],
  );
  assert.equal(osa.settings.allow_resize_to_same_host, true);
  assert.equal(osa.settings.host_subset_size, 10);
  assert.deepEqual(osa.settings.enabled_filters, ['AvailabilityZoneFilter', 'ComputeFilter', 'AggregateNumInstancesFilter', 'AggregateIoOpsFilter', 'ComputeCapabilitiesFilter', 'ImagePropertiesFilter', 'ServerGroupAntiAffinityFilter', 'ServerGroupAffinityFilter', 'NUMATopologyFilter', 'PciPassthroughFilter']);
  assert.deepEqual(osa.pci_aliases.map((alias) => `${alias.name} ${alias.vendor_id}:${alias.product_id} ${alias.device_type} ${alias.numa_policy}`), ['a100 10de:20b5 type-PCI legacy', 't4 10de:1eb8 type-PCI preferred']);

  const kolla = loaded('kolla-ansible.nova.conf', 'kolla-ansible.override.conf');
  assert.deepEqual([kolla.settings.cpu_allocation_ratio, kolla.settings.ram_allocation_ratio, kolla.settings.reserved_host_memory_mb], [4, 1.2, 8192]);
  assert.deepEqual([kolla.settings.auto_confirm_moves, kolla.settings.allow_resize_to_same_host, kolla.settings.host_subset_size, kolla.settings.shuffle_best_same_weighed_hosts, kolla.settings.ram_weight_multiplier], [true, true, 3, true, 2]);
  assert.equal(kolla.settings.enabled_filters.length, 7);
  assert.deepEqual(kolla.pci_aliases.map((alias) => alias.name), ['v100']);

  // Debian's sample sets none of the options claimplan models: the plan's own settings stand.
  const debian = loaded('debian-nova-common-26.2.2.nova.conf');
  const plain = loaded();
  assert.deepEqual(debian, plain);
});

test("warns of a modelled option's name where Nova 26 does not read it: an older release's name, or another scheduling group", () => {
  const reading = readNovaConf([{ file: 'nova.conf', text: '[DEFAULT]\nscheduler_default_filters = RamFilter\nhost_subset_size = 2\npci_alias = {"name": "a"}\n[scheduler]\ndefault_filters = ComputeFilter\n[filter_scheduler]\nhost_subset_size = 3\n[libvirt]\nenabled_filters = x\n' }]);
  assert.deepEqual(reading.warnings.map(formatPlanError), [
    'nova.conf:2:1  [DEFAULT] scheduler_default_filters  Nova 26 does not read this name; the option it reads is `[filter_scheduler] enabled_filters`: ignored',
    'nova.conf:3:1  [DEFAULT] host_subset_size  Nova 26 reads `host_subset_size` only as `[filter_scheduler] host_subset_size`: ignored here',
    'nova.conf:6:1  [scheduler] default_filters  Nova 26 does not read this name; the option it reads is `[filter_scheduler] enabled_filters`: ignored',
  ]);
  assert.equal(reading.options.find(({ option }) => option.name === 'host_subset_size')!.value, 3);
});

test('a problem in one of several [pci] alias values is located at that value', () => {
  const { problems } = read('[pci]\nalias = {"name": "a"}\nalias = {"name": "$my_alias"}\n');
  assert.deepEqual(problems, ['nova-1.conf:3:9  [pci] alias  refers to `$my_alias`, an option claimplan does not read; write its value here instead']);
});

test('a filter nova.conf names twice is run once, as twice gives the same verdict', () => {
  const { settings } = loadedSettings({ 'plan.yaml': PLAN, 'nova.conf': '[filter_scheduler]\nenabled_filters = ComputeFilter,RamFilter,ComputeFilter\n' }, ['nova.conf']);
  assert.deepEqual(settings.enabled_filters, ['ComputeFilter', 'RamFilter']);
});
