// A gate that fails (`expect:`, `--fail-on-reject`, `--fail-if-worse`, `--fail-if-stranded`,
// `--fail-if`) says which and why on one line of standard error before exit 1, so a CI log
// shows the reason even when the report went to a file (docs/output.md, "Exit codes").
import { CommandExit, EXIT_FAILED } from './exit-codes.ts';
import { writeStderr } from './write.ts';

/** How many of what a gate failed on its line names; the rest are counted. */
const NAMED = 5;

/** What a gate failed on, noted as it streams past: the first few named, all counted. */
export class GateFailures {
  count = 0;
  private readonly named: string[] = [];

  note(name: () => string): void {
    this.count++;
    if (this.named.length < NAMED) this.named.push(name());
  }

  /** `2 claims lost: render-1 (seq 12), db-3 (seq 9)`, after `count` in the right number. */
  line(singular: string, plural: string): string {
    const more = this.count - this.named.length;
    return `${this.count} ${this.count === 1 ? singular : plural}: ${this.named.join(', ')}${more > 0 ? `, and ${more} more` : ''}`;
  }
}

/** The first few of `names`, and how many more, as a gate's line lists them. */
export function namedList(names: readonly string[], separator = ', '): string {
  const more = names.length - NAMED;
  return `${names.slice(0, NAMED).join(separator)}${more > 0 ? `${separator}and ${more} more` : ''}`;
}

/** Writes each failed gate's line and exits 1; returns when none failed. */
export function exitOnFailedGates(lines: readonly string[]): void {
  if (lines.length === 0) return;
  writeStderr(lines.map((line) => `claimplan: ${line}\n`).join(''));
  throw new CommandExit(EXIT_FAILED);
}
