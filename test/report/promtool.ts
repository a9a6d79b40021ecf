// `promtool check metrics`, Prometheus's own lint of an exposition, where it is installed
// (CI installs prometheus); elsewhere the lint is skipped, saying why.
import { spawnSync } from 'node:child_process';

/** A skip message for node:test when promtool is missing, else false. */
export const PROMTOOL_MISSING: string | false = spawnSync('promtool', ['--version']).error
  ? 'promtool is not on PATH (apt-get install -y prometheus); CI installs it'
  : false;

/** What promtool prints about the text (nothing when it finds no problem), and its exit status. */
export function promtoolCheck(text: string): { status: number | null; output: string } {
  const run = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}
