// Plan documents checked against the one JSON Schema (json-schema.ts, compiled ahead of
// time by the build), and ajv's findings turned into located errors an operator reads
// without knowing JSON Schema.
import type { ErrorObject } from 'ajv';
import type { PlanError } from './errors.ts';
import { closestKnown, didYouMean } from './did-you-mean.ts';
import { pointerToPath, type PathSegment } from './path.ts';
import { errorAt, type Source } from './source.ts';
import { cloud, plan, request } from './generated/plan-validators.js';
import { OPERATIONS, operationProblems } from './json-schema.ts';

const VALIDATORS = { plan, request, cloud };

type SchemaPart = keyof typeof VALIDATORS;

/**
 * Validates `value` against the whole plan schema or one of its parts; `base` is where
 * the value sits in the plan (`['requests', 7]` for a trace line), so paths read whole.
 */
export function schemaErrors(part: SchemaPart, value: unknown, source: Source, base: PathSegment[] = []): PlanError[] {
  // Nearly every value is valid (a trace checks a million of them): answer that without allocating.
  if (isValid(part, value)) return [];
  const validate = VALIDATORS[part];
  const valid = validate(value);
  const findings = [
    ...(valid ? [] : (validate.errors ?? []).map((error) => describeError(error, value)).filter((found) => found !== null)),
    ...requestsIn(part, value).flatMap(({ path, value: entry }) => operationFindings(path, entry)),
  ];
  if (findings.length === 0) return [];
  // A misspelt required key is one mistake: "unknown key `memroy_mb`; did you mean
  // `memory_mb`?" says it all, so the "missing `memory_mb`" it causes is not repeated
  // (nor, for `biuld:`, that the request names no operation).
  const suggested = new Set(findings.flatMap((found) => (found.suggests ? [JSON.stringify([...found.path.slice(0, -1), found.suggests])] : [])));
  const errors: PlanError[] = [];
  const reported = new Set<string>();
  for (const finding of findings) {
    if (finding.missing?.some((key) => suggested.has(JSON.stringify([...finding.path, key])))) continue;
    const path = [...base, ...finding.path];
    // One message per place: a value failing its type also fails nothing else worth saying.
    const key = JSON.stringify(path);
    if (reported.has(key)) continue;
    reported.add(key);
    errors.push(errorAt(source, path, finding.message, finding.part));
  }
  return errors;
}

interface Finding {
  path: PathSegment[];
  part: 'key' | 'value';
  message: string;
  /** the known key an unknown key is probably a misspelling of */
  suggests?: string;
  /** the required keys found missing (one of them, for a request's operation) */
  missing?: readonly string[];
}

function describeError(error: ErrorObject, root: unknown): Finding | null {
  const path = pointerToPath(error.instancePath, root);
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'additionalProperties': {
      const key = String(params.additionalProperty);
      const known = Object.keys((error.parentSchema as { properties?: object }).properties ?? {});
      const suggests = closestKnown(key, known) ?? undefined;
      return { path: [...path, key], part: 'key', message: `unknown key \`${key}\`${didYouMean(key, known)}`, suggests };
    }
    case 'required': {
      const missing = String(params.missingProperty);
      return { path, part: 'value', message: `missing \`${missing}\``, missing: [missing] };
    }
    case 'uniqueItems':
      return { path: [...path, Math.max(Number(params.i), Number(params.j))], part: 'value', message: 'is listed twice' };
    case 'if':
      return null;
    default: {
      const description = (error.parentSchema as { description?: string } | undefined)?.description;
      return { path, part: 'value', message: description ? `must be ${description}` : error.message ?? 'is not valid' };
    }
  }
}

/** Whether `value` passes a part of the schema, for reading values the schema already judged. */
export function isValid(part: SchemaPart, value: unknown): boolean {
  return VALIDATORS[part](value) && requestsIn(part, value).every(({ value: entry }) => operationProblems(entry).length === 0);
}

/**
 * The request mappings inside a value of that part of the schema. Which operation a
 * request names, and which keys belong to it, is checked here rather than in the schema:
 * one rule over the whole mapping reads more plainly than a oneOf and its error noise.
 */
function requestsIn(part: SchemaPart, value: unknown): { path: PathSegment[]; value: Record<string, unknown> }[] {
  const isMapping = (item: unknown): item is Record<string, unknown> => typeof item === 'object' && item !== null && !Array.isArray(item);
  if (part === 'request') return isMapping(value) ? [{ path: [], value }] : [];
  if (part !== 'plan' || !isMapping(value) || !Array.isArray(value.requests)) return [];
  return value.requests.flatMap((item, index) => (isMapping(item) ? [{ path: ['requests', index], value: item }] : []));
}

function operationFindings(path: PathSegment[], entry: Record<string, unknown>): Finding[] {
  return operationProblems(entry).map(({ key, message }) =>
    key === null
      ? { path, part: 'value', message, missing: OPERATIONS }
      : { path: [...path, key], part: 'key', message },
  );
}
