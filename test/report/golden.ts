// Reviewed copies of each format's output for the sample replay; UPDATE_GOLDEN=1 rewrites them.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const FIXTURES = fileURLToPath(new URL('../fixtures/report/', import.meta.url));

export function assertMatchesGolden(name: string, actual: string): void {
  const path = FIXTURES + name;
  if (process.env.UPDATE_GOLDEN) writeFileSync(path, actual);
  assert.equal(actual, readFileSync(path, 'utf8'), `output differs from ${path}`);
}
