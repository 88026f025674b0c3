#!/usr/bin/env node
// The installed command (package.json's bin, through the bundle that
// scripts/bundle.mjs makes of this file): main.ts run as the process.
// Before main.ts and the command's modules load (about 80 ms), a `run`
// starts its worker threads, which boot meanwhile (helpers.ts startEarly:
// the run takes them; runAsProcess stops any it did not); this file
// imports only what that takes.
import { startEarly } from '../engine/helpers.js';
import { earlyWorkers } from './jobs.js';

const argv = process.argv.slice(2);
startEarly(earlyWorkers(argv));
const { runAsProcess } = await import('./main.js');
await runAsProcess(argv);
