// The legacy claim's resource tests: nova/compute/claims.py `Claim._test` as called by
// `_test_memory`, `_test_disk` and `_test_vcpus`.
import { formatFixed, formatInteger } from '../../core/python-format.ts';

export type ResourceType = 'memory' | 'disk' | 'vcpu';

const UNITS: Record<ResourceType, string> = { memory: 'MB', disk: 'GB', vcpu: 'VCPU' };

export interface ResourceCheck {
  type: ResourceType;
  total: number;
  used: number;
  requested: number;
  /** null: the scheduler set no limit, so the resource is unlimited */
  limit: number | null;
}

/** Returns Nova's reason when the request does not fit, else null; appends Nova's audit lines to `audit`. */
export function testResource(check: ResourceCheck, audit: string[] | null): string | null {
  const { type, total, used, requested, limit } = check;
  const unit = UNITS[type];
  audit?.push(`Total ${type}: ${formatInteger(total)} ${unit}, used: ${formatFixed(used, 2)} ${unit}`);
  if (limit === null) {
    audit?.push(`${type} limit not specified, defaulting to unlimited`);
    return null;
  }
  const free = limit - used;
  audit?.push(`${type} limit: ${formatFixed(limit, 2)} ${unit}, free: ${formatFixed(free, 2)} ${unit}`);
  if (requested > free) {
    return `Free ${type} ${formatFixed(free, 2)} ${unit} < requested ${formatInteger(requested)} ${unit}`;
  }
  return null;
}

/** By how much a request misses: requested − free; the test fails when it is above 0. */
export function shortfall(used: number, limit: number | null, requested: number): number {
  return limit === null ? -Infinity : requested - (limit - used);
}

/** Headroom the scheduler's index keeps per host: the test passes while requested <= headroom. */
export function headroom(used: number, limit: number | null): number {
  return limit === null ? Infinity : limit - used;
}
