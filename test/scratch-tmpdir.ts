// Loaded before every test file (package.json's `test` script): each test process gets a
// temporary directory of its own, removed when it exits, so that the suite leaves nothing
// behind in the machine's and no test sees another run's files. The CLI runs and worker
// threads a test starts inherit it through TMPDIR, which os.tmpdir() reads.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const scratch = mkdtempSync(join(tmpdir(), 'claimplan-test-'));
process.env.TMPDIR = scratch;
process.on('exit', () => rmSync(scratch, { recursive: true, force: true }));
