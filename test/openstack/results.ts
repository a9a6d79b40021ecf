// What an OpenStack call answered, for tests that expect it to succeed or to fail.
import assert from 'node:assert/strict';
import type { Result } from '../../src/engine/core/result.ts';

export function valueOf<T>(result: Result<T>): T {
  assert.ok(result.ok, `expected an answer, got: ${result.ok ? '' : result.error}`);
  return result.value;
}

/** The failure's sentence; null when the call succeeded. */
export function errorOf(result: Result<unknown>): string | null {
  return result.ok ? null : result.error;
}
