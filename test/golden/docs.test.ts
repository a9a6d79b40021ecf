// docs/ is kept as honest as the README: each `$ claimplan …` block on a page must be
// what the command prints today, or the excerpts of it the block shows between lines `…`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT, runCli } from '../run-cli.ts';
import { assertPrintsExcerpt, sessionsIn } from '../doc-sessions.ts';

const DOCS = join(PROJECT_ROOT, 'docs');
const PAGES = readdirSync(DOCS).filter((name) => name.endsWith('.md')).sort();
const SESSIONS = PAGES.flatMap((name) =>
  sessionsIn(readFileSync(join(DOCS, name), 'utf8')).map((session) => ({ page: `docs/${name}`, ...session })),
);

test('docs/ holds the `$ claimplan` sessions its pages show', () => {
  assert.ok(SESSIONS.length >= 5, `${SESSIONS.length} sessions found`);
});

for (const { page, line, command, args, shown } of SESSIONS) {
  test(`${page}:${line} \`claimplan ${command.slice(0, 60)}\` prints what the page shows`, () => {
    assertPrintsExcerpt(runCli(args).stdout, shown);
  });
}
