// Reading parsed plan values without trusting them. The schema has already reported
// every value of the wrong type; these readers treat such a value as absent, so the
// semantic checks still run on the rest of the plan without repeating those errors.
import { LIMITS } from './limits.ts';

export type Fields = Record<string, unknown>;

export function isFields(value: unknown): value is Fields {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

export function fieldsOf(value: unknown): Fields {
  return isFields(value) ? value : {};
}

export function listOf(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

export function stringOf(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

/**
 * A name as the schema allows it: one it refused (too long) reads as absent, like a value
 * of the wrong type, so no walk or suggestion works on it (docs/limits.md). The schema
 * counts characters (code points), so a name of emoji counts each once, not as its two
 * UTF-16 units.
 */
export function nameOf(value: unknown): string | null {
  const name = stringOf(value);
  if (name === null) return null;
  // Only a name longer than the limit in UTF-16 units is spread into its characters.
  return name.length <= LIMITS.nameLength || [...name].length <= LIMITS.nameLength ? name : null;
}

export function integerOf(value: unknown, fallback: number, minimum = 0): number {
  return Number.isInteger(value) && (value as number) >= minimum ? (value as number) : fallback;
}

export function numberOrNullOf(value: unknown): number | null | undefined {
  if (value === null) return null;
  return typeof value === 'number' && value >= 0 ? value : undefined;
}
