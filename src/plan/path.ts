// Paths into a plan document, as ajv's JSON pointers give them and as operators read them.

export type PathSegment = string | number;

const PLAIN_KEY = /^[A-Za-z_][A-Za-z0-9_:-]*$/;

/** `hosts[2].memory_mb`; keys that are not plain words are quoted: `extra_specs["hw:numa_cpus.0"]`. */
export function formatPath(path: readonly PathSegment[]): string {
  let text = '';
  for (const segment of path) {
    if (typeof segment === 'number') text += `[${segment}]`;
    else if (PLAIN_KEY.test(segment)) text += text === '' ? segment : `.${segment}`;
    else text += `[${JSON.stringify(segment)}]`;
  }
  return text;
}

/**
 * A JSON pointer (`/hosts/2/memory_mb`) as path segments. A segment is an index only
 * where the data holds a list there: a mapping key may be made of digits too.
 */
export function pointerToPath(pointer: string, data: unknown): PathSegment[] {
  if (pointer === '') return [];
  const path: PathSegment[] = [];
  let value = data;
  for (const escaped of pointer.slice(1).split('/')) {
    const key = escaped.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(value)) {
      const index = Number(key);
      path.push(index);
      value = value[index];
    } else {
      path.push(key);
      value = value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
    }
  }
  return path;
}
