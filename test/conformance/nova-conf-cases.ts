// Seeded random nova.conf files for the oslo.config conformance test: the modelled options
// in their groups, in other groups and in sections spelt in other cases; repeated keys,
// `=` and `:`, quotes, comments, continuation lines, blank lines, the deprecated
// `[DEFAULT] pci_alias` beside `[pci] alias`; values in every spelling oslo's types accept
// and some they refuse; `$name`, `${group.name}`, `$$` and `\$`; and, now and then, a line
// oslo's parser refuses.
import { NOVA_CONF_OPTIONS, type NovaConfOption } from '../../src/plan/nova-conf/options.ts';
import { Random as Draw } from '../fuzz/generate.ts';

export interface NovaConfCase {
  id: number;
  files: string[];
}

const SECTION_SPELLINGS: Record<string, string[]> = {
  DEFAULT: ['DEFAULT', 'DEFAULT', 'DEFAULT', 'default'],
  filter_scheduler: ['filter_scheduler', 'filter_scheduler', 'FILTER_SCHEDULER', 'Filter_Scheduler'],
  scheduler: ['scheduler', 'Scheduler'],
  pci: ['pci', 'PCI'],
  compute: ['compute'],
  metrics: ['metrics'],
  libvirt: ['libvirt'],
  placement: ['placement'],
};
const UNMODELLED_KEYS = ['debug', 'my_ip', 'transport_url', 'workers', 'virt_type', 'track_instance_changes', 'available_filters'];

const FLOATS = ['4', '4.0', ' 1.5', '-1', '0', '0.0', '1e3', '1E-2', 'inf', '-Infinity', 'nan', '1_000.5', '.5', '5.', '+2.5', '16', '0.1', '1e16', '123456789012345678', 'abc', '', '0x10', '1,5', '1__0', '"2.0"', "'3'"];
const INTEGERS = ['0', '1', '5', '-1', '+3', ' 7', '1_000', '007', '5.0', '', 'x', '2147483647', '42 ', '1e3', "'8'"];
const BOOLEANS = ['true', 'True', 'FALSE', 'yes', 'No', 'on', 'OFF', '1', '0', 'y', '', 'maybe', '"true"'];
const STRINGS = ['az1', 'nova', '', '"quoted"', "it's", 'a b', 'x.y', "'single'", '"unclosed'];
const FILTERS = ['ComputeFilter', 'RamFilter', 'AvailabilityZoneFilter', 'NUMATopologyFilter', 'PciPassthroughFilter', 'AggregateInstanceExtraSpecsFilter', 'SameHostFilter'];
const WEIGHERS = ['nova.scheduler.weights.all_weighers', 'RAMWeigher', 'nova.scheduler.weights.cpu.CPUWeigher', 'DiskWeigher'];
const ALIASES = [
  '{"name": "a100", "vendor_id": "10de", "product_id": "20b5"}',
  '{"name":"t4","vendor_id":"10de","product_id":"1eb8","device_type":"type-PCI","numa_policy":"preferred"}',
  "{'name': 'bad'}",
  '{"name": "nic", "vendor_id": "8086", "product_id": "154d", "device_type": "type-VF"}',
];

function listValue(draw: Draw, items: readonly string[]): string {
  const count = draw.below(4);
  const chosen = Array.from({ length: count }, () => draw.pick(items));
  const separator = draw.pick([',', ', ', ' , ']);
  return chosen.join(separator) + (draw.chance(0.2) ? ',' : '') + (draw.chance(0.1) ? ' ,,' : '');
}

/** `$name`, `${name}` or `$group.name` naming a modelled option oslo.config can find from `group`. */
function reference(draw: Draw, group: string): string {
  const reachable = NOVA_CONF_OPTIONS.filter((option) => option.group === group || option.group === 'DEFAULT');
  const target = draw.pick(draw.chance(0.7) ? reachable : NOVA_CONF_OPTIONS);
  const local = target.group === group || (target.group === 'DEFAULT' && !NOVA_CONF_OPTIONS.some((option) => option.group === group && option.name === target.name));
  const name = local && draw.chance(0.6) ? target.name : `${target.group}.${target.name}`;
  return draw.chance(0.5) ? `$${name}` : `\${${name}}`;
}

function valueFor(draw: Draw, option: NovaConfOption | undefined, group: string): string {
  if (draw.chance(0.06)) return reference(draw, group);
  if (draw.chance(0.03)) return draw.pick(['$$5', '\\$5', 'a$', '$5']);
  if (option === undefined) return draw.pick(['1', 'x', '', 'true', 'some text']);
  switch (option.type.kind) {
    case 'float':
      return draw.pick(FLOATS);
    case 'integer':
      return draw.pick(INTEGERS);
    case 'boolean':
      return draw.pick(BOOLEANS);
    case 'string':
      return draw.pick(STRINGS);
    case 'list':
      return listValue(draw, option.name === 'weight_classes' ? WEIGHERS : option.name === 'enabled_filters' ? FILTERS : ['img-1', 'cmp-2', 'x']);
    case 'multi-string':
      return draw.pick(ALIASES);
  }
}

/** One `key = value` (or `key: value`) line, perhaps followed by continuation lines. */
function assignment(draw: Draw, key: string, value: string): string[] {
  const separator = draw.pick([' = ', '=', ' =', ': ', ':', ' : ']);
  if (value.includes(',') && draw.chance(0.25)) {
    const [first, ...rest] = value.split(',');
    return [`${key}${separator}${first},`, ...rest.filter((part) => part !== '').map((part) => `${draw.pick(['  ', '\t', '    '])}${part.trim()},`)];
  }
  const lines = [`${key}${separator}${value}`];
  if (draw.chance(0.03)) lines.push(`   ${draw.pick(['continued', '2', 'RamFilter'])}`);
  return lines;
}

function section(draw: Draw, group: string): string[] {
  const lines = [`[${draw.pick(SECTION_SPELLINGS[group])}]`];
  const count = 1 + draw.below(8);
  for (let index = 0; index < count; index++) {
    const own = NOVA_CONF_OPTIONS.filter((option) => option.group === group);
    const roll = draw.next();
    let key: string;
    let option: NovaConfOption | undefined;
    if (roll < 0.65 && own.length > 0) {
      option = draw.pick(own);
      key = option.name;
    } else if (roll < 0.75) {
      // An option in a group that is not its own, or the deprecated `[DEFAULT] pci_alias`.
      option = draw.pick(NOVA_CONF_OPTIONS);
      key = group === 'DEFAULT' && option.name === 'alias' ? 'pci_alias' : option.name;
    } else if (roll < 0.8 && own.length > 0) {
      option = draw.pick(own);
      key = option.name.toUpperCase();
    } else {
      key = draw.pick(UNMODELLED_KEYS);
    }
    if (draw.chance(0.15)) lines.push(draw.pick(['# a comment', ';another = comment', '#host_subset_size = 3']));
    if (draw.chance(0.1)) lines.push('');
    lines.push(...assignment(draw, key, valueFor(draw, option, group)));
  }
  return lines;
}

/** A line oslo.config's parser refuses, put somewhere in a file. */
function brokenLine(draw: Draw): string {
  return draw.pick(['no separator here', '[unclosed', '[]', ' = value', '  indented after a blank']);
}

function file(draw: Draw): string {
  const lines: string[] = [];
  if (draw.chance(0.02)) lines.push('orphan = 1');
  const groups = Object.keys(SECTION_SPELLINGS);
  const sections = 1 + draw.below(5);
  for (let index = 0; index < sections; index++) {
    lines.push(...section(draw, draw.pick(groups)));
    if (draw.chance(0.5)) lines.push('');
  }
  if (draw.chance(0.03)) lines.splice(draw.below(lines.length + 1), 0, '', brokenLine(draw));
  const end = draw.pick(['\n', '\r\n']);
  return lines.join(end) + (draw.chance(0.9) ? end : '');
}

export function generateNovaConfCases(count: number, seed = 19): NovaConfCase[] {
  const draw = new Draw(seed);
  return Array.from({ length: count }, (_, id) => ({ id, files: Array.from({ length: 1 + draw.below(3) }, () => file(draw)) }));
}
