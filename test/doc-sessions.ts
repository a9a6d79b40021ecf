// The `$ claimplan …` sessions pasted in the README and docs/: each is run through the
// real CLI and must print what the page shows (docs/contributing.md, "Tests").
import assert from 'node:assert/strict';

export interface DocSession {
  /** The page's line holding `$ claimplan …`, from 1. */
  line: number;
  command: string;
  args: string[];
  shown: string;
}

/** Every fenced block whose first line is `$ claimplan …`, with what follows it. */
export function sessionsIn(page: string): DocSession[] {
  return [...page.matchAll(/```\n\$ claimplan ([^\n]+)\n([\s\S]*?)\n```/g)].map((match) => ({
    line: page.slice(0, match.index).split('\n').length + 1,
    command: match[1],
    args: shellWords(match[1]),
    shown: match[2],
  }));
}

// Pages quote an argument the shell would otherwise read (`--fail-if 'hosts>10'`) as an
// operator types it; single quotes are the only quoting they use.
function shellWords(command: string): string[] {
  return (command.match(/(?:[^\s']+|'[^']*')+/g) ?? []).map((word) => word.replaceAll("'", ''));
}

const ELISION = '…';

/**
 * The block shows the whole output, or excerpts of it: a line `…` of its own stands for
 * lines left out. The lines before the first `…` open the output, those after the last
 * end it, and each run between two `…` appears in that order in between.
 */
export function assertPrintsExcerpt(stdout: string, shown: string): void {
  // A page cannot show CSV's CRLF record ends; they are compared as line ends.
  const printed = stdout.replaceAll('\r\n', '\n').trimEnd().split('\n');
  const runs = splitAtElisions(shown.split('\n'));
  if (runs.length === 1) {
    assert.equal(printed.join('\n'), shown);
    return;
  }
  const opening = runs[0];
  assert.equal(printed.slice(0, opening.length).join('\n'), opening.join('\n'), 'the output does not open as shown');
  let from = opening.length;
  for (const run of runs.slice(1, -1)) {
    const at = indexOfRun(printed, run, from);
    assert.ok(at >= 0, `these lines are not in the output (after its line ${from}):\n${run.join('\n')}\n\noutput:\n${printed.join('\n')}`);
    from = at + run.length;
  }
  const ending = runs[runs.length - 1];
  const endsAt = Math.max(from, printed.length - ending.length);
  assert.equal(printed.slice(endsAt).join('\n'), ending.join('\n'), 'the output does not end as shown');
}

function splitAtElisions(lines: string[]): string[][] {
  const runs: string[][] = [[]];
  for (const line of lines) {
    if (line === ELISION) runs.push([]);
    else runs[runs.length - 1].push(line);
  }
  return runs;
}

function indexOfRun(lines: string[], run: string[], from: number): number {
  for (let at = from; at + run.length <= lines.length; at++) {
    if (run.every((line, offset) => lines[at + offset] === line)) return at;
  }
  return -1;
}
