#!/usr/bin/env node
// Entry point: runs the compiled CLI (`npm run build` writes dist/).
import { setFlagsFromString } from 'node:v8';
import { main } from '../dist/claimplan.js';

// Between full collections V8 lets the heap grow to up to four times what the last one
// kept, and a million-request replay keeps a hundred megabytes or more of live instances:
// a quarter more bounds its peak memory by what it holds, for a few per cent more time
// (docs/contributing.md, "Scale"). The collector reads this setting each time it sets its
// next limit, so it takes effect here; it caps nothing, so no cloud runs out of heap by it.
setFlagsFromString('--heap-growing-percent=25');

process.exitCode = await main(process.argv.slice(2));
