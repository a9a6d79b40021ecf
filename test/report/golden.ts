// Reviewed copies of each format's output for the sample replay.
import { fileURLToPath } from 'node:url';
import { assertMatchesGoldenIn } from '../golden-file.ts';

const FIXTURES = fileURLToPath(new URL('../fixtures/report/', import.meta.url));

export function assertMatchesGolden(name: string, actual: string): void {
  assertMatchesGoldenIn(FIXTURES, name, actual);
}
