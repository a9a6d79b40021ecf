// `sweep --vary KEY=FROM:TO:STEP` read into the values to sweep and the cloud at each
// value: a cloud setting, or a host group's count (`hosts.gen-{n:02}.count`).
import { sweepValues } from '../engine/scenarios/sweep.ts';
import type { Cloud, Request } from '../engine/core/model.ts';
import { resizeGroup } from './resize-group.ts';
import { applySettingOverride, parseSettingValue } from './settings.ts';
import { failure, success, type Result } from '../engine/core/result.ts';
import { LIMITS } from './limits.ts';

/** More values than anyone reads in a table or a chart is a mistyped range. */
const MOST_VALUES = 1000;
const GROUP_COUNT_KEY = /^hosts\.(.+)\.count$/;

export function parseRange(vary: string): Result<{ key: string; values: number[] }> {
  const match = /^([^=]+)=([^:]+):([^:]+):([^:]+)$/.exec(vary);
  if (!match) return failure(`--vary ${vary}: must be KEY=FROM:TO:STEP, e.g. cpu_allocation_ratio=1:16:1`);
  const [from, to, step] = match.slice(2).map(Number);
  if (![from, to, step].every(Number.isFinite) || step === 0) {
    return failure(`--vary ${vary}: FROM, TO and STEP must be numbers and STEP must not be 0`);
  }
  const span = Math.abs(to - from) / Math.abs(step);
  if (span >= MOST_VALUES) return failure(`--vary ${vary}: ${Math.floor(span) + 1} values; sweep at most ${MOST_VALUES}`);
  return success({ key: match[1].trim(), values: sweepValues(from, to, step) });
}

/** The cloud at each value, or why the range cannot be swept. */
export function cloudsForValues(cloud: Cloud, key: string, values: number[], requests: () => Iterable<Request>): Result<Cloud[]> {
  const group = GROUP_COUNT_KEY.exec(key);
  if (group) {
    const clouds: Cloud[] = [];
    const removed = new Set<string>();
    for (const count of values) {
      if (!Number.isInteger(count) || count < 0) return failure(`--vary ${key}: host counts must be whole numbers, not ${count}`);
      if (count > LIMITS.hostsPerGroup) return failure(`--vary ${key}: a host group holds at most ${LIMITS.hostsPerGroup} hosts, not ${count}`);
      const resized = resizeGroup(cloud, group[1], count);
      if (!resized.ok) return failure(`--vary ${key}: ${resized.error}`);
      clouds.push(resized.value.cloud);
      for (const host of resized.value.removed) removed.add(host);
    }
    for (const request of requests()) {
      if ('host' in request && request.host !== null && removed.has(request.host)) {
        const what = request.op === 'build' ? 'builds on' : 'instance' in request ? `moves ${request.instance} to` : `takes ${request.op}`;
        return failure(`--vary ${key}: a request ${what} ${request.host}, which the smallest count removes`);
      }
    }
    return success(clouds);
  }
  const clouds: Cloud[] = [];
  for (const value of values) {
    const parsed = parseSettingValue(key, String(value));
    if (!parsed.ok) return failure(`--vary ${key}=${value}: ${parsed.error.message}`);
    const settings = { ...cloud.settings };
    applySettingOverride(settings, parsed.value);
    clouds.push({ ...cloud, settings });
  }
  return success(clouds);
}
