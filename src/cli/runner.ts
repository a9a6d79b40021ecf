// A command's work, loaded only when that command runs (docs/contributing.md, "Building").
// Each is its own CommonJS bundle, dist/run/NAME.cjs, compiled through node:vm with the V8
// code cache the build kept beside it (NAME.cjs.cache), so a start skips parsing and
// compiling what the build already compiled: Node 20 has no compile cache for ES modules.
// A cache from another Node version is refused by V8 itself; the code then compiles as usual.
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Script } from 'node:vm';
import type * as Compare from './run/compare.ts';
import type * as Consolidate from './run/consolidate.ts';
import type * as Expand from './run/expand.ts';
import type * as Failover from './run/failover.ts';
import type * as Fit from './run/fit.ts';
import type * as Forecast from './run/forecast.ts';
import type * as Import from './run/import.ts';
import type * as Replay from './run/replay.ts';
import type * as Sweep from './run/sweep.ts';
import type * as Validate from './run/validate.ts';

interface Runners {
  compare: typeof Compare;
  consolidate: typeof Consolidate;
  expand: typeof Expand;
  failover: typeof Failover;
  fit: typeof Fit;
  forecast: typeof Forecast;
  import: typeof Import;
  replay: typeof Replay;
  sweep: typeof Sweep;
  validate: typeof Validate;
}

/** Set by the build while it runs each command once, to keep the code V8 compiled. */
const KEEP_CODE_CACHE = 'CLAIMPLAN_KEEP_CODE_CACHE';

export async function runner<Name extends keyof Runners>(name: Name): Promise<Runners[Name]> {
  const file = fileURLToPath(new URL(`./run/${name}.cjs`, import.meta.url));
  const cacheFile = `${file}.cache`;
  let cachedData: Buffer | undefined;
  try {
    cachedData = readFileSync(cacheFile);
  } catch {
    cachedData = undefined;
  }
  const wrapped = `(function (exports, require, module, __filename, __dirname) {${readFileSync(file, 'utf8')}\n})`;
  const script = new Script(wrapped, { filename: file, cachedData });
  const module = { exports: {} as Runners[Name] };
  script.runInThisContext()(module.exports, createRequire(file), module, file, dirname(file));
  if (process.env[KEEP_CODE_CACHE] === '1') process.once('exit', () => writeFileSync(cacheFile, script.createCachedData()));
  return module.exports;
}
