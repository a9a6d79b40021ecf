// The README's pasted outputs are real: each `$ claimplan …` block must be what the
// command prints today (or its beginning, when the block ends with `…`).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT, runCli } from '../run-cli.ts';

const README = readFileSync(join(PROJECT_ROOT, 'README.md'), 'utf8');
const SESSIONS = [...README.matchAll(/```\n\$ claimplan ([^\n]+)\n([\s\S]*?)\n```/g)];

test('the README shows at least the worked story\'s compare and sweep', () => {
  assert.ok(SESSIONS.length >= 2);
});

for (const [, command, shown] of SESSIONS) {
  test(`README's \`claimplan ${command.slice(0, 60)}\` prints what the README shows`, () => {
    const run = runCli(command.split(' '));
    // A block ending in a line of its own `…` shows the output's beginning.
    const excerpt = shown.endsWith('\n…');
    if (excerpt) assert.equal(run.stdout.slice(0, shown.length - 1), shown.slice(0, -1));
    else assert.equal(run.stdout.trimEnd(), shown);
  });
}
