// The entry of the command line and of every worker thread, dist/claimplan.js: loads the
// one bundle of claimplan's code, dist/claimplan.cjs, through node:vm with the V8 code
// cache the build kept beside it (dist/claimplan.cjs.cache), so a start skips parsing and
// compiling what the build already compiled; Node 20 has no compile cache for ES modules.
// A cache from another Node version is refused by V8 itself and the code compiles as
// usual (docs/contributing.md, "Building").
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { Script } from 'node:vm';
import { isMainThread, workerData } from 'node:worker_threads';
import type * as Bundle from './bundle.ts';
import type { ThreadStart } from './threads.ts';

/** Set by the build while it runs the commands once, to keep the code V8 compiled. */
const KEEP_CODE_CACHE = 'CLAIMPLAN_KEEP_CODE_CACHE';

function loadBundle(): typeof Bundle {
  const file = fileURLToPath(new URL('./claimplan.cjs', import.meta.url));
  const cacheFile = `${file}.cache`;
  let cachedData: Buffer | undefined;
  try {
    cachedData = readFileSync(cacheFile);
  } catch {
    cachedData = undefined;
  }
  const wrapped = `(function (exports, require, module, __filename, __dirname) {${readFileSync(file, 'utf8')}\n})`;
  const script = new Script(wrapped, { filename: file, cachedData });
  const module = { exports: {} as typeof Bundle };
  script.runInThisContext()(module.exports, createRequire(file), module, file, dirname(file));
  if (isMainThread && process.env[KEEP_CODE_CACHE] === '1') {
    process.once('exit', () => {
      writeFileSync(`${cacheFile}.next`, script.createCachedData());
      renameSync(`${cacheFile}.next`, cacheFile);
    });
  }
  return module.exports;
}

// Between full collections V8 lets the heap grow to up to four times what the last one
// kept, and a million-request replay keeps a hundred megabytes or more of live instances:
// a quarter more bounds its peak memory by what it holds, for a few per cent more time
// (docs/contributing.md, "Scale"). The collector reads the setting each time it sets its
// next limit, so it takes effect from here; it caps nothing, so no cloud runs out of heap
// by it. It is set before the bundle loads: V8 refuses a code cache kept under other
// settings, and the build keeps it under this one (and a thread starts with it set).
setFlagsFromString('--heap-growing-percent=25');

const bundle = loadBundle();
export const { main, warmUpCommandLines } = bundle;
if (!isMainThread) bundle.startThread(workerData as ThreadStart);
