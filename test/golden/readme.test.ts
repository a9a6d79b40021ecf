// The README's pasted outputs are real: each `$ claimplan …` block must be what the
// command prints today, or the excerpts of it the block shows between lines `…`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT, runCli } from '../run-cli.ts';
import { assertPrintsExcerpt, sessionsIn } from '../doc-sessions.ts';

const SESSIONS = sessionsIn(readFileSync(join(PROJECT_ROOT, 'README.md'), 'utf8'));

test('the README shows at least the worked story\'s compare and sweep', () => {
  assert.ok(SESSIONS.length >= 2);
});

for (const { command, args, shown } of SESSIONS) {
  test(`README's \`claimplan ${command.slice(0, 60)}\` prints what the README shows`, () => {
    assertPrintsExcerpt(runCli(args).stdout, shown);
  });
}
