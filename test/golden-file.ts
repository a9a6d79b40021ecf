// Reviewed copies of outputs: a test compares the whole output with its copy, and
// UPDATE_GOLDEN=1 rewrites the copies (review the diff before committing it).
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export function assertMatchesGoldenIn(directory: string, name: string, actual: string): void {
  const path = join(directory, name);
  if (process.env.UPDATE_GOLDEN) writeFileSync(path, actual);
  assert.equal(actual, readFileSync(path, 'utf8'), `output differs from ${path}`);
}
