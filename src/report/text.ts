// Compact text for the figures a decision or a host carries, shared by every format
// that shows them as text (terminal, markdown, CSV).
import { formatFixed } from '../engine/core/python-format.ts';
import type { InstanceNumaPlacement, PciDevicesTaken, RejectionCause, WeighedHost } from '../engine/core/model.ts';

/**
 * Whole numbers as they are; fractions (a limit of 1.5 × 1001 MB) as Nova logs them,
 * `%.02f`. Every figure a report prints goes through here (or through `formatFixed`
 * where Nova's wording always has two decimals), so one headroom never prints two ways.
 */
export function amountText(value: number): string {
  return Number.isInteger(value) ? String(value) : formatFixed(value, 2);
}

/** A weigher's name without Nova's class suffix and server-group prefix: `RAM`, `SoftAntiAffinity`. */
function weigherLabel(name: string): string {
  return name.replace(/^ServerGroup/, '').replace(/Weigher$/, '');
}

/**
 * One weighed host (`--explain`) as two lines, `cmp-07 3.0500` and `= RAM 0.5000 + CPU 0.7500`:
 * the total, then each weigher's share that is not 0, to four decimals.
 */
export function weighedHostLines({ host, weight, weights }: WeighedHost): string[] {
  const shares = Object.entries(weights)
    .filter(([, share]) => share !== 0)
    .map(([name, share]) => `${weigherLabel(name)} ${formatFixed(share!, 4)}`);
  return [`${host} ${formatFixed(weight, 4)}`, ...(shares.length > 0 ? [`= ${shares.join(' + ')}`] : [])];
}

/** A limit, or a count no limit bounds (how many more fit), which is then `unlimited`. */
export function limitText(limit: number | null): string {
  return limit === null ? 'unlimited' : amountText(limit);
}

/** A count of hosts or requests with thousands separators, `99,990`: counts at cloud scale are read at a glance. */
export function countText(count: number): string {
  return String(count).replace(/\B(?=(\d{3})+$)/g, ',');
}

/** `1 host`, `8,120 hosts`. */
function hostsText(count: number): string {
  return plural(count, 'host');
}

const UNIT_CONSTRAINT_CAUSE = / (max_unit|min_unit|step_size)$/;

/**
 * One cause of a no-valid-host, as `memory: 8 hosts (closest gen-01, 512.00 MB short)`,
 * `VCPU max_unit: 2 hosts (closest gpu-01, 8.00 VCPU over)`, `numa: 2 hosts` or
 * `aggregate: 5 hosts outside the aggregate`. The shortfall has two decimals, as Nova's
 * own `Free memory 3072.00 MB` does.
 */
export function causeText({ cause, hosts, closest, server_group }: RejectionCause): string {
  if (cause === 'aggregate') return `aggregate: ${hostsText(hosts)} outside the aggregate`;
  if (server_group) return `group: ${hostsText(hosts)} refused by server group ${server_group.name} (${server_group.policy})`;
  // A bound on one allocation (`VCPU max_unit`) is broken by the amount asked, not by what is used.
  const missing = UNIT_CONSTRAINT_CAUSE.test(cause) ? 'over' : 'short';
  const nearest = closest === null ? '' : ` (closest ${closest.host}, ${formatFixed(closest.short, 2)} ${closest.unit} ${missing})`;
  return `${cause}: ${hostsText(hosts)}${nearest}`;
}

/** `1 host`, `3 hosts`, with the count grouped as countText groups it. */
export function plural(count: number, one: string, many = `${one}s`): string {
  return `${countText(count)} ${count === 1 ? one : many}`;
}

export function usedOfTotal(used: number, total: number): string {
  return `${amountText(used)}/${amountText(total)}`;
}

/** A CPU list in Nova's cpuset syntax (`0-3,8,10-11`), as `cpu_dedicated_set` is written. */
export function cpuSetText(cpus: readonly number[]): string {
  const sorted = [...cpus].sort((a, b) => a - b);
  const ranges: string[] = [];
  for (let start = 0; start < sorted.length; ) {
    let end = start;
    while (end + 1 < sorted.length && sorted[end + 1] === sorted[end] + 1) end++;
    ranges.push(end === start ? `${sorted[start]}` : `${sorted[start]}-${sorted[end]}`);
    start = end + 1;
  }
  return ranges.join(',');
}

/** 4 → 4K, 2048 → 2M, 1048576 → 1G: the sizes operators name huge pages by. */
export function pageSizeText(sizeKb: number): string {
  if (sizeKb % (1024 * 1024) === 0) return `${sizeKb / (1024 * 1024)}G`;
  if (sizeKb % 1024 === 0) return `${sizeKb / 1024}M`;
  return `${sizeKb}K`;
}

export interface PlacementTextStyle {
  /** `→` for terminals and markdown; `->` in CSV, which spreadsheets may not read as UTF-8 */
  arrow: string;
}

/** One line per host cell taken: `cell 0: vCPU0→4 vCPU1→5`, or the floating vCPUs when unpinned. */
export function numaPlacementLines(numa: InstanceNumaPlacement, { arrow }: PlacementTextStyle): string[] {
  const lines = numa.cells.map((cell) => {
    const { pinning } = cell;
    const cpus = pinning
      ? cell.cpus.map((cpu) => `vCPU${cpu}${arrow}${pinning[String(cpu)]}`).join(' ')
      : `vCPU${cpuSetText(cell.cpus)} shared`;
    const pages = cell.pagesize_kb === null ? '' : `, ${pageSizeText(cell.pagesize_kb)} pages`;
    return `cell ${cell.host_cell}: ${cpus}${pages}`;
  });
  if (numa.emulator_threads.length > 0) lines.push(`emulator threads: ${cpuSetText(numa.emulator_threads)}`);
  return lines;
}

/** `10de:20b5 x2 (type-PCI, NUMA node 0)`: the pool a device came from and how many. */
export function pciTakenText(taken: PciDevicesTaken): string {
  const node = taken.numa_node === null ? 'no NUMA node' : `NUMA node ${taken.numa_node}`;
  const network = taken.physical_network === null ? '' : `, physnet ${taken.physical_network}`;
  return `${taken.vendor_id}:${taken.product_id} x${taken.count} (${taken.dev_type}, ${node}${network})`;
}

/**
 * Greedy wrap at spaces; a word longer than the width is split rather than cut, so a
 * reason stays whole however narrow the column.
 */
export function wrapLine(line: string, width: number): string[] {
  const wrapped: string[] = [];
  let current = '';
  for (const word of line.split(' ')) {
    const candidate = current === '' ? word : `${current} ${word}`;
    if ([...candidate].length <= width) {
      current = candidate;
      continue;
    }
    if (current !== '') wrapped.push(current);
    let rest = [...word];
    while (rest.length > width) {
      wrapped.push(rest.slice(0, width).join(''));
      rest = rest.slice(width);
    }
    current = rest.join('');
  }
  wrapped.push(current);
  return wrapped;
}
