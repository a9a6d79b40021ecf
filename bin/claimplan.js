#!/usr/bin/env node
// Entry point: runs the compiled CLI (`npm run build` writes dist/).
import { main } from '../dist/claimplan.js';

process.exitCode = await main(process.argv.slice(2));
