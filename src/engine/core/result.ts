// The one way a step that can fail says so, across the engine and the plan layer: a value,
// never a throw (docs/contributing.md, "Errors are data"). Throwing is kept for bugs.
export type Result<T, E = string> = { ok: true; value: T } | { ok: false; error: E };

export function success<T>(value: T): { ok: true; value: T } {
  return { ok: true, value };
}

export function failure<E>(error: E): { ok: false; error: E } {
  return { ok: false, error };
}
