// `sweep --vary KEY=FROM:TO:STEP` read into the values to sweep and the cloud at each
// value: a cloud setting, or a host group's count (`hosts.gen-{n:02}.count`).
import { sweepValues } from '../engine/sweep.ts';
import type { Cloud, Request } from '../engine/model.ts';
import { resizeGroup } from './resize-group.ts';
import { applySettingOverride, parseSettingValue } from './settings.ts';

/** More values than anyone reads in a table or a chart is a mistyped range. */
const MOST_VALUES = 1000;
const GROUP_COUNT_KEY = /^hosts\.(.+)\.count$/;

export type Outcome<T> = { ok: true; value: T } | { ok: false; error: string };

export function parseRange(vary: string): Outcome<{ key: string; values: number[] }> {
  const match = /^([^=]+)=([^:]+):([^:]+):([^:]+)$/.exec(vary);
  if (!match) return { ok: false, error: `--vary ${vary}: must be KEY=FROM:TO:STEP, e.g. cpu_allocation_ratio=1:16:1` };
  const [from, to, step] = match.slice(2).map(Number);
  if (![from, to, step].every(Number.isFinite) || step === 0) {
    return { ok: false, error: `--vary ${vary}: FROM, TO and STEP must be numbers and STEP must not be 0` };
  }
  const span = Math.abs(to - from) / Math.abs(step);
  if (span >= MOST_VALUES) return { ok: false, error: `--vary ${vary}: ${Math.floor(span) + 1} values; sweep at most ${MOST_VALUES}` };
  return { ok: true, value: { key: match[1].trim(), values: sweepValues(from, to, step) } };
}

/** The cloud at each value, or why the range cannot be swept. */
export function cloudsForValues(cloud: Cloud, key: string, values: number[], requests: () => Iterable<Request>): Outcome<Cloud[]> {
  const group = GROUP_COUNT_KEY.exec(key);
  if (group) {
    const clouds: Cloud[] = [];
    const removed = new Set<string>();
    for (const count of values) {
      if (!Number.isInteger(count) || count < 0) return { ok: false, error: `--vary ${key}: host counts must be whole numbers, not ${count}` };
      const resized = resizeGroup(cloud, group[1], count);
      if (!resized.ok) return { ok: false, error: `--vary ${key}: ${resized.error}` };
      clouds.push(resized.cloud);
      for (const host of resized.removed) removed.add(host);
    }
    for (const request of requests()) {
      if (request.op === 'build' && request.host !== null && removed.has(request.host)) {
        return { ok: false, error: `--vary ${key}: a request builds on ${request.host}, which the smallest count removes` };
      }
    }
    return { ok: true, value: clouds };
  }
  const clouds: Cloud[] = [];
  for (const value of values) {
    const parsed = parseSettingValue(key, String(value));
    if (!parsed.ok) return { ok: false, error: `--vary ${key}=${value}: ${parsed.error.message}` };
    const settings = { ...cloud.settings };
    applySettingOverride(settings, parsed.override);
    clouds.push({ ...cloud, settings });
  }
  return { ok: true, value: clouds };
}
